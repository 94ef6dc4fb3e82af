// Starts the test stack once for the whole run and stops it afterwards. A control endpoint on
// loopback lets the outage and fault tests stop and start the real Kratos, the web hooks'
// receiver, and on PostgreSQL the second replica and the database (tests run in other processes).
import { createServer } from 'node:http';
import { listen } from '../infra/local/processes.mjs';
import { startStack } from '../infra/local/stack.mjs';

export default async function globalSetup(): Promise<() => Promise<void>> {
  console.log('Starting the test stack (Kratos, Oathkeeper, demo API, mail sink, SPA builds, dev server)…');
  const started = Date.now();
  const stack = await startStack('test', {
    log: (line: string) => console.log(line),
    onFailure: (err: Error) => console.error(`\n${err.message}\n`),
  });
  const { host } = stack.settings;
  const ports = stack.settings.ports as Record<string, number>;
  const { replica, postgres } = stack.faultable;
  const actions: Record<string, () => Promise<unknown>> = {
    '/kratos/stop': stack.kratos.stop,
    '/kratos/start': () => stack.kratos.start(),
    '/hooks/stop': stack.hooks.stop,
    '/hooks/start': () => stack.hooks.start(),
    // The PostgreSQL stack's faults (e2e/faults.spec.ts): the second replica killed as a node
    // kills a pod, PostgreSQL stopped with its fast shutdown.
    ...(replica ? { '/replica/kill': () => replica.signal('SIGKILL'), '/replica/start': () => replica.start() } : {}),
    ...(postgres ? { '/postgres/stop': () => postgres.signal('SIGINT', 30_000), '/postgres/start': () => postgres.start() } : {}),
  };
  const control = createServer((req, res) => {
    const action = req.method === 'POST' ? actions[req.url ?? ''] : undefined;
    if (!action) {
      res.writeHead(404).end();
      return;
    }
    action().then(
      () => res.writeHead(204).end(),
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(err.message),
    );
  });
  await listen(control, ports.control, host, 'test control');
  console.log(`Test stack ready in ${((Date.now() - started) / 1000).toFixed(1)}s.`);
  return async () => {
    await new Promise((r) => control.close(r));
    await stack.stop();
  };
}
