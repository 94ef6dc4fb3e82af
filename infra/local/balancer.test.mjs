// @vitest-environment node
// The load balancer behaves as a cluster's Service and Envoy do (balancer.mjs), shown on HAProxy
// itself in front of two small HTTP servers standing in for Kratos replicas.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KRATOS_READINESS } from '../render-production.mjs';
import { balancerConfig, startBalancer } from './balancer.mjs';
import { freePort } from './processes.mjs';

const HOST = '127.0.0.1';
const dataDir = mkdtempSync(join(tmpdir(), 'balancer-'));
const replicas = {};
let balancer;
let url;

/** A stand-in replica: records what reached it; `ready` decides its readiness; `drop` ends a POST's connection unanswered. */
async function replica(name) {
  const state = { name, ready: true, drop: false, seen: [] };
  const server = createServer((req, res) => {
    if (req.url === '/health/ready' || req.url === KRATOS_READINESS.httpGet.path) {
      res.writeHead(state.ready ? 200 : 503).end();
      return;
    }
    state.seen.push(`${req.method} ${req.url}`);
    if (req.method === 'POST' && state.drop) {
      req.socket.destroy(); // received, then lost: as a process killed mid-request
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(name);
  });
  state.port = await new Promise((r) => server.listen(0, HOST, () => r(server.address().port)));
  state.close = () => new Promise((r) => server.close(r));
  return state;
}

const wait = (ms) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  mkdirSync(join(dataDir, 'logs'));
  replicas.a = await replica('a');
  replicas.b = await replica('b');
  const port = await freePort();
  url = `http://${HOST}:${port}`;
  // Production's readiness check, checked every second instead of every 5 s so the test is quick.
  balancer = await startBalancer({
    host: HOST,
    port,
    backends: [{ name: 'a', port: replicas.a.port, adminPort: replicas.a.port }, { name: 'b', port: replicas.b.port, adminPort: replicas.b.port }],
    dataDir,
    readiness: { ...KRATOS_READINESS, periodSeconds: 1 },
  });
  await wait(2500); // both pass their health checks
}, 30_000);

afterAll(async () => {
  await balancer?.stop();
  for (const r of Object.values(replicas)) await r.close();
  if (!process.env.KEEP_BALANCER_LOG) rmSync(dataDir, { recursive: true, force: true });
  else console.log(dataDir);
});

describe('the PostgreSQL stack\'s load balancer (HAProxy)', { timeout: 20_000 }, () => {
  it('checks each replica as production\'s readiness probe does: its path on the admin port, its period, timeout and thresholds', () => {
    const config = balancerConfig({ host: HOST, port: 1, backends: [{ name: 'k', port: 2, adminPort: 3 }] });
    const r = KRATOS_READINESS;
    expect(config).toContain(`option httpchk GET ${r.httpGet.path}`);
    expect(config).toContain(`default-server inter ${r.periodSeconds}s fall ${r.failureThreshold} rise ${r.successThreshold}`);
    expect(config).toContain(`timeout check ${r.timeoutSeconds}s`);
    expect(config).toContain('server k 127.0.0.1:2 check port 3');
  });

  it('alternates requests between the ready replicas', async () => {
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await (await fetch(`${url}/spread/${i}`)).text());
    expect(answers.filter((a) => a === 'a').length).toBe(3);
    expect(answers.filter((a) => a === 'b').length).toBe(3);
  });

  it('sends nothing to a replica whose readiness fails, and takes it back once it passes again', async () => {
    replicas.b.ready = false;
    await wait(2500); // out after 2 failed checks
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await (await fetch(`${url}/not-ready/${i}`)).text());
    expect(answers).toEqual(['a', 'a', 'a', 'a']);
    replicas.b.ready = true;
    await wait(2500);
    const again = [];
    for (let i = 0; i < 4; i++) again.push(await (await fetch(`${url}/ready-again/${i}`)).text());
    expect(again).toContain('b');
  });

  it('never sends a POST a replica received again: lost with that replica (the client gets 502 or a closed connection), never answered by the other', async () => {
    replicas.a.drop = true;
    replicas.b.drop = true;
    try {
      const outcomes = [];
      for (let i = 0; i < 2; i++) outcomes.push(await fetch(`${url}/submit/${i}`, { method: 'POST', body: 'x' }).then((r) => r.status, () => 'closed'));
      for (const outcome of outcomes) expect([502, 'closed']).toContain(outcome);
      // Each POST reached exactly one replica, once.
      const reached = [...replicas.a.seen, ...replicas.b.seen].filter((s) => s.startsWith('POST /submit/'));
      expect(reached.sort()).toEqual(['POST /submit/0', 'POST /submit/1']);
    } finally {
      replicas.a.drop = false;
      replicas.b.drop = false;
    }
  });

  it('tries another replica for a request whose connection failed (it never reached one)', async () => {
    // Replica b goes away between two health checks: its port refuses connections before the
    // checks notice. Every request is still answered, by a.
    await replicas.b.close();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${url}/after-b-went/${i}`, { method: 'POST', body: 'x' })).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
  });
});
