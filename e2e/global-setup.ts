// Starts the test stack once for the whole run and stops it afterwards.
import { startStack } from '../infra/local/stack.mjs';

export default async function globalSetup(): Promise<() => Promise<void>> {
  console.log('Starting the test stack (Kratos, mail sink, SPA dev server, Pages emulation)…');
  const started = Date.now();
  const stack = await startStack('test', {
    log: (line: string) => console.log(line),
    onFailure: (err: Error) => console.error(`\n${err.message}\n`),
  });
  console.log(`Test stack ready in ${((Date.now() - started) / 1000).toFixed(1)}s.`);
  return () => stack.stop();
}
