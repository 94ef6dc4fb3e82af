// `npm run faults`: what a person loses when a part of the stack fails under load (a script,
// not a test; it writes docs/reliability.md and docs/reliability.json).
//
// The PostgreSQL stack (two Kratos replicas behind the load balancer, Oathkeeper, the courier,
// the registration web hook receiver, the mail sink as the SMTP relay) carries a steady load of
// the load tool's journeys (load/journey.k6.js) at about half the capacity `npm run load`
// measured. Each fault is injected once, at a random point of its own run, and the run goes on
// for a stated time afterwards. Per fault:
//
//   - requests failed, by step, and the longest a person waited for one request;
//   - the time from the fault until the last failure (the error rate back at zero);
//   - accounts lost: each address Kratos answered "signed up" to signs in afterwards;
//   - sessions lost: sessions made before the fault still answer whoami afterwards;
//   - mails lost or doubled: each code Kratos said it mailed, and each recovery and verification
//     mail asked for during the fault, arrives exactly once;
//   - identities doubled: no address belongs to two identities (checked once at the end).
//
//   npm run faults                         every fault, each in a run of its own
//   FAULTS=kratos-sigkill,smtp-down        some of them (names: see FAULTS below)
//   FAULT_VUS=2 FAULT_AFTER_SECONDS=45     load, and how long each run goes on after its fault
//   npm run soak                           no fault: the same load for SOAK_SECONDS (900), the
//                                          memory of each process and the database's connections
//                                          sampled every 30 s (docs/reliability.md, Soak)
import { randomBytes, randomInt } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { ensureBinary, PINNED } from './binaries.mjs';
import { call, createByAdmin, signInByApi } from './kratos-api.mjs';
import { accountsToVerify, processes, productionHashers, runK6 } from './load.mjs';
import { postgresBinDir } from './postgres.mjs';
import { cacheDir, ROOT } from './paths.mjs';
import { startStack } from './stack.mjs';
import { ensureSystemPackages } from './system-packages.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Asks Kratos (API flow, as a native app would) to mail a recovery or verification code to `email`. */
async function askForMail(kratosPublic, kind, email) {
  const flow = await call('GET', `${kratosPublic}/self-service/${kind}/api`);
  if (flow.status !== 200) return { ok: false, why: `${kind} flow: ${flow.status}` };
  const sent = await call('POST', `${kratosPublic}/self-service/${kind}?flow=${flow.body.id}`, { body: { method: 'code', email } });
  return sent.status === 200 && sent.body?.state === 'sent_email' ? { ok: true } : { ok: false, why: `${kind}: ${sent.status} ${JSON.stringify(sent.body?.ui?.messages ?? sent.body)}` };
}

/**
 * The faults, in the order they run. `inject` does the fault and undoes it (as the cluster would:
 * the kubelet starting a container again, the relay coming back) and returns what it observed.
 */
export const FAULTS = [
  {
    name: 'none',
    title: 'no fault (the load alone)',
    async inject() {
      return {};
    },
  },
  {
    name: 'kratos-sigkill',
    title: 'a Kratos replica killed (SIGKILL), started again 5 s later',
    async inject({ stack }) {
      await stack.faultable.replica.signal('SIGKILL');
      await sleep(5000);
      await stack.faultable.replica.start();
      return {};
    },
  },
  {
    name: 'kratos-sigterm',
    title: "a Kratos replica stopped as the kubelet stops a pod (SIGTERM, then SIGKILL after the chart's 60 s grace), started again",
    async inject({ stack }) {
      const started = Date.now();
      const drained = await stack.faultable.replica.signal('SIGTERM', 60_000);
      const exitedAfterMs = Date.now() - started;
      await stack.faultable.replica.start();
      return { drained, exitedAfterMs };
    },
  },
  {
    name: 'oathkeeper-sigkill',
    title: 'Oathkeeper killed (SIGKILL) and started again',
    async inject({ stack }) {
      await stack.faultable.oathkeeper.signal('SIGKILL');
      await stack.faultable.oathkeeper.start();
      return {};
    },
  },
  {
    name: 'postgres-restart',
    title: 'PostgreSQL restarted (fast shutdown, then started again)',
    async inject({ stack }) {
      await stack.faultable.postgres.signal('SIGINT', 30_000);
      await stack.faultable.postgres.start();
      return {};
    },
  },
  {
    name: 'postgres-unreachable',
    title: 'PostgreSQL unreachable for 10 s (every process stopped: connections hang, nothing answers)',
    async inject({ stack }) {
      const pid = stack.faultable.postgres.pid();
      // The postmaster and its children (backends and helpers).
      const all = [pid, ...processes().filter((p) => p.ppid === pid).map((p) => p.pid)];
      for (const p of all) process.kill(p, 'SIGSTOP');
      await sleep(10_000);
      for (const p of all) process.kill(p, 'SIGCONT');
      return {};
    },
  },
  {
    name: 'smtp-down',
    title: 'the SMTP relay down for 60 s while recovery and verification mails are asked for',
    async inject({ stack, mailAccounts }) {
      await stack.faultable.mailSink.smtpDown();
      const kratosPublic = stack.settings.urls.kratosPublic;
      const asked = [];
      const refused = [];
      // Half at the start of the outage, half in its middle.
      for (const [i, email] of mailAccounts.entries()) {
        if (i === Math.floor(mailAccounts.length / 2)) await sleep(30_000);
        const kind = i % 2 ? 'verification' : 'recovery';
        const r = await askForMail(kratosPublic, kind, email);
        if (r.ok) asked.push(email);
        else refused.push(r.why);
      }
      await sleep(30_000);
      await stack.faultable.mailSink.smtpUp();
      return { asked, refused };
    },
  },
  {
    name: 'hook-slow',
    title: 'the registration web hook backend slow (5 s per call) for 30 s',
    async inject({ stack }) {
      stack.hooks.delay(5000);
      await sleep(30_000);
      stack.hooks.delay(0);
      return {};
    },
  },
  {
    name: 'hook-down',
    title: 'the registration web hook backend down for 30 s',
    async inject({ stack }) {
      await stack.hooks.stop();
      await sleep(30_000);
      await stack.hooks.start();
      return {};
    },
  },
];

/** How many mails have reached each of `emails` so far. */
const mailCounts = (messages, emails) => new Map(emails.map((e) => [e, messages.filter((m) => m.to.includes(e.toLowerCase())).length]));

/** Waits until every one of `emails` has at least one mail, or `timeoutMs` passed. */
async function mailsArrived(messages, emails, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while ([...mailCounts(messages, emails).values()].some((n) => n === 0) && Date.now() < deadline) await sleep(1000);
}

/** The figures of one fault's run, from k6's lines and summary and the checks afterwards. */
export function faultFigures({ lines, summary, injectedAt, lost, sessionsLost, mailCounts }) {
  const failures = {};
  let lastFailureAt = null;
  for (const l of lines) {
    if (!l.failed) continue;
    failures[l.failed] = (failures[l.failed] ?? 0) + 1;
    lastFailureAt = Math.max(lastFailureAt ?? 0, l.at ?? 0);
  }
  const maxima = Object.entries(summary.metrics)
    .filter(([k]) => k.startsWith('step_'))
    .map(([, m]) => m.values?.max ?? 0);
  const mails = [...mailCounts.values()];
  return {
    requestsFailed: Object.values(failures).reduce((a, b) => a + b, 0),
    failures,
    longestWaitMs: Math.round(Math.max(0, ...maxima)),
    errorsUntilMs: lastFailureAt === null ? 0 : Math.max(0, lastFailureAt - injectedAt),
    journeys: summary.metrics.journeys?.values.count ?? 0,
    signUps: lines.filter((l) => l.signedUp).length,
    accountsLost: lost,
    sessionsLost,
    mailsAsked: mails.length,
    mailsLost: mails.filter((n) => n === 0).length,
    mailsDoubled: mails.filter((n) => n > 1).length,
  };
}

/** Addresses that belong to more than one identity, read page by page from the admin API. */
async function doubledIdentities(kratosAdmin) {
  const owners = new Map();
  let url = `${kratosAdmin}/admin/identities?page_size=500`;
  while (url) {
    const res = await fetch(url, { headers: { Accept: 'application/json' } });
    if (res.status !== 200) throw new Error(`listing identities: ${res.status} ${await res.text()}`);
    for (const i of await res.json()) {
      const email = String(i.traits?.email ?? '').toLowerCase();
      owners.set(email, (owners.get(email) ?? 0) + 1);
    }
    const next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '');
    url = next ? new URL(next[1], kratosAdmin).href : null;
  }
  return { identities: [...owners.values()].reduce((a, b) => a + b, 0), doubled: [...owners].filter(([, n]) => n > 1).map(([e]) => e) };
}

async function runFault(fault, { k6, stack, outDir, vus, afterSeconds, password, log }) {
  const { urls } = stack.settings;
  const run = `fault-${fault.name}-${randomBytes(3).toString('hex')}`;
  // People signed in before the fault, whose sessions must survive it, and addresses to mail.
  const sessions = [];
  for (let i = 0; i < 6; i++) {
    const email = `${run}-session-${i}@faults.example.com`;
    await createByAdmin(urls.kratosAdmin, email, password);
    const { token } = await signInByApi(urls.kratosPublic, email, password);
    if (!token) throw new Error(`could not sign in ${email} before the fault`);
    sessions.push(token);
  }
  const mailAccounts = [];
  for (let i = 0; i < 8; i++) {
    const email = `${run}-mail-${i}@faults.example.com`;
    await createByAdmin(urls.kratosAdmin, email, password);
    mailAccounts.push(email);
  }
  const faultAtMs = randomInt(10_000, 20_001);
  // Long enough for the slowest fault (the relay down for 60 s) and the time after it.
  const seconds = Math.ceil(faultAtMs / 1000) + (fault.name === 'smtp-down' ? 70 : 40) + afterSeconds;
  log(`\n${fault.title}: ${vus} virtual users for ${seconds} s, fault at ${(faultAtMs / 1000).toFixed(1)} s`);
  const target = { KRATOS_URLS: urls.kratosPublic, API_URL: urls.api, MAIL_URL: urls.mailUi, PASSWORD: password };
  const load = runK6(k6, { ...target, MODE: 'journey', VUS: String(vus), DURATION: `${seconds}s` }, outDir, run);
  await sleep(faultAtMs);
  const injectedAt = Date.now();
  const observed = await fault.inject({ stack, mailAccounts });
  const faultMs = Date.now() - injectedAt;
  log(`  fault over after ${(faultMs / 1000).toFixed(1)} s ${JSON.stringify(observed)}`);
  const { lines, summary } = await load;
  // Afterwards, with every part back: what survived.
  const accountsFile = join(outDir, `${run}-accounts.json`);
  const signedUp = accountsToVerify(lines);
  writeFileSync(accountsFile, JSON.stringify(signedUp));
  const verify = signedUp.length ? await runK6(k6, { ...target, MODE: 'verify', VUS: '2', ACCOUNTS_FILE: accountsFile }, outDir, `${run}-verify`) : { lines: [] };
  const lost = verify.lines.filter((l) => l.lost).map((l) => l.lost);
  let sessionsLost = 0;
  for (const token of sessions) if ((await call('GET', `${urls.kratosPublic}/sessions/whoami`, { token })).status !== 200) sessionsLost++;
  const asked = [...lines.filter((l) => l.asked).map((l) => l.asked), ...(observed.asked ?? [])];
  await mailsArrived(stack.faultable.mailSink.messages, asked, 120_000);
  // A late duplicate would come within the courier's next pulls.
  await sleep(3000);
  const figures = faultFigures({ lines, summary, injectedAt, lost: lost.length, sessionsLost, mailCounts: mailCounts(stack.faultable.mailSink.messages, asked) });
  log(`  ${JSON.stringify(figures)}`);
  const { asked: _asked, ...rest } = observed;
  return {
    fault: fault.name,
    title: fault.title,
    seconds,
    faultAtMs,
    faultMs,
    observed: { ...rest, ...(observed.asked ? { mailsAskedDuringFault: observed.asked.length } : {}) },
    ...figures,
    lostSample: lost.slice(0, 3),
    failureSample: lines.filter((l) => l.failed).slice(0, 3),
  };
}

/** Proportional set size (KiB): a process's own memory plus its share of what it shares (PostgreSQL's buffers). */
function pssKb(pid) {
  try {
    return Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))[1]);
  } catch {
    return 0;
  }
}

/** One sample of the soak: memory (MiB) of each of the stack's processes, and the database's connections. */
function soakSample(stack, startedAt) {
  const named = { kratos: stack.kratos.pid(), 'kratos replica': stack.faultable.replica.pid(), oathkeeper: stack.faultable.oathkeeper.pid() };
  const running = processes();
  const rssMiB = Object.fromEntries(Object.entries(named).map(([name, pid]) => [name, Math.round((running.find((p) => p.pid === pid)?.rssKb ?? 0) / 102.4) / 10]));
  const postgres = running.filter((p) => p.component === 'postgres');
  rssMiB.postgres = Math.round(postgres.reduce((sum, p) => sum + pssKb(p.pid), 0) / 102.4) / 10;
  const { urls } = stack.settings;
  const dsn = new URL(stack.settings.dsn);
  const psql = spawnSync(join(postgresBinDir(), 'psql'), ['-h', dsn.hostname, '-p', dsn.port, '-U', decodeURIComponent(dsn.username), '-d', dsn.pathname.slice(1), '-Atc', "select count(*) from pg_stat_activity where datname = current_database() and backend_type = 'client backend'"], {
    env: { ...process.env, PGPASSWORD: decodeURIComponent(dsn.password) },
    encoding: 'utf8',
  });
  if (psql.status !== 0) throw new Error(`psql against ${urls.kratosPublic}'s database: ${psql.stderr}`);
  return { second: Math.round((Date.now() - startedAt) / 1000), rssMiB, databaseConnections: Number(psql.stdout.trim()) - 1 };
}

/** The soak: the journeys' load for `seconds`, sampled every 30 s; growth per component from the first loaded minute to the end. */
async function soak({ k6, stack, outDir, vus, seconds, password, log }) {
  const { urls } = stack.settings;
  const run = `soak-${randomBytes(3).toString('hex')}`;
  log(`\nsoak: ${vus} virtual users for ${seconds} s, sampled every 30 s`);
  const startedAt = Date.now();
  const samples = [soakSample(stack, startedAt)];
  const target = { KRATOS_URLS: urls.kratosPublic, API_URL: urls.api, MAIL_URL: urls.mailUi, PASSWORD: password };
  let done = false;
  const load = runK6(k6, { ...target, MODE: 'journey', VUS: String(vus), DURATION: `${seconds}s` }, outDir, run).finally(() => (done = true));
  while (!done) {
    await Promise.race([load.catch(() => {}), sleep(30_000)]);
    if (!done) {
      samples.push(soakSample(stack, startedAt));
      log(`  ${JSON.stringify(samples.at(-1))}`);
    }
  }
  const { lines, summary } = await load;
  samples.push(soakSample(stack, startedAt));
  const warm = samples.find((x) => x.second >= 60) ?? samples[1] ?? samples[0];
  const end = samples.at(-1);
  const minutes = (end.second - warm.second) / 60;
  const growth = Object.fromEntries(Object.keys(end.rssMiB).map((k) => [k, Math.round(((end.rssMiB[k] - warm.rssMiB[k]) / Math.max(minutes, 1)) * 100) / 100]));
  const failures = {};
  for (const l of lines) if (l.failed) failures[l.failed] = (failures[l.failed] ?? 0) + 1;
  return {
    seconds,
    vus,
    journeys: summary.metrics.journeys?.values.count ?? 0,
    requestsFailed: Object.values(failures).reduce((a, b) => a + b, 0),
    failures,
    samples,
    growthMiBPerMinute: growth,
    connections: { start: samples[0].databaseConnections, max: Math.max(...samples.map((x) => x.databaseConnections)), end: end.databaseConnections },
  };
}

export function soakMarkdown(report) {
  const s = report.soak;
  const first = s.samples[0];
  const warm = s.samples.find((x) => x.second >= 60) ?? s.samples[1] ?? first;
  const end = s.samples.at(-1);
  const rows = Object.keys(end.rssMiB).map((k) => `| ${k} | ${first.rssMiB[k]} | ${warm.rssMiB[k]} | ${end.rssMiB[k]} | ${s.growthMiBPerMinute[k]} |`);
  return [
    `Measured ${report.measuredAt.slice(0, 10)} by \`npm run soak\` on ${report.machine}: the same stack and journeys as the faults above, ${s.vus} virtual users for ${s.seconds} s, no fault; ${s.journeys} journeys, ${s.requestsFailed} requests failed. Memory: resident set of each Kratos and of Oathkeeper; PostgreSQL's as the sum of its processes' proportional sets (shared buffers counted once).`,
    '',
    `| process | MiB before the load | MiB after ${warm.second} s | MiB at the end (${end.second} s) | growth after the first minute, MiB per minute |`,
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Kratos's open database connections (both replicas and the courier, PostgreSQL's client backends): ${s.connections.start} before the load, at most ${s.connections.max} during it, ${s.connections.end} at the end.`,
    '',
  ].join('\n');
}

const seconds = (ms) => (ms / 1000).toFixed(1);

export function reliabilityMarkdown(report) {
  const rows = report.faults.map((f) => {
    const failed = f.requestsFailed ? `${f.requestsFailed} (${Object.entries(f.failures).map(([k, v]) => `${k}: ${v}`).join(', ')})` : '0';
    const mails = `${f.mailsLost} of ${f.mailsAsked} / ${f.mailsDoubled}`;
    return `| ${f.title} | ${seconds(f.faultMs)} | ${failed} | ${seconds(f.longestWaitMs)} | ${f.requestsFailed ? seconds(f.errorsUntilMs) : '–'} | ${f.accountsLost} of ${f.signUps} | ${f.sessionsLost} of 6 | ${mails} |`;
  });
  return [
    `Measured ${report.measuredAt.slice(0, 10)} by \`npm run faults\` on ${report.machine}: Kratos ${report.kratos} on PostgreSQL, two replicas behind HAProxy (infra/local/balancer.mjs), one courier, Oathkeeper ${report.oathkeeper}, k6 ${report.k6} running the load tool's journey (sign up by a mailed code, choose a password, whoami through Oathkeeper, sign out, sign in, whoami, sign out) with ${report.vus} virtual users, about half of what \`npm run load\` held. Each fault is injected once at a random point 10–20 s into its own run, which goes on at least ${report.afterSeconds} s after the fault is over. Password hasher: ${report.hasher}.`,
    '',
    '| fault | fault lasted (s) | requests failed (by step) | longest wait for one request (s) | errors until (s after the fault began) | accounts lost | sessions lost | mails lost / doubled |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Identities checked at the end: ${report.identities}; addresses with more than one identity: **${report.doubledIdentities.length}**.`,
    '',
  ].join('\n');
}

async function main() {
  const log = console.log;
  const vus = Number(process.env.FAULT_VUS || 2);
  const soakSeconds = process.argv.includes('--soak') ? Number(process.env.SOAK_SECONDS || 900) : 0;
  if (process.argv.includes('--soak') && !(soakSeconds >= 60)) throw new Error('SOAK_SECONDS must be ≥ 60');
  const afterSeconds = Number(process.env.FAULT_AFTER_SECONDS || 30);
  const chosen = (process.env.FAULTS || FAULTS.map((f) => f.name).join(',')).split(',').filter(Boolean);
  for (const name of chosen) if (!FAULTS.some((f) => f.name === name)) throw new Error(`FAULTS: unknown fault '${name}' (use ${FAULTS.map((f) => f.name).join(', ')})`);
  if (!(vus >= 1) || !(afterSeconds >= 10)) throw new Error('FAULT_VUS must be ≥ 1 and FAULT_AFTER_SECONDS ≥ 10');
  const missing = ensureSystemPackages(log); // PostgreSQL and HAProxy, on a fresh machine
  if (missing) throw new Error(missing);
  const k6 = await ensureBinary('k6', { log });
  const { hashers } = await productionHashers();
  const hasher = `${hashers.algorithm} ${Object.entries(hashers[hashers.algorithm] ?? {}).map(([k, v]) => `${k} ${v}`).join(', ')}`;
  const outDir = join(cacheDir(), 'faults');
  mkdirSync(outDir, { recursive: true });
  log('starting the PostgreSQL stack (two Kratos replicas behind the load balancer)…');
  // A part the run kills is meant to stop: what it costs is measured, not thrown.
  const stack = await startStack('test', {
    log: () => {},
    env: { ...process.env, KRATOS_DB: 'postgres' },
    spa: false,
    kratosOverlay: { hashers },
    onFailure: (err) => log(`  (${err.message.split('\n')[0]})`),
  });
  const password = randomBytes(18).toString('base64url');
  const results = [];
  let identities;
  let soaked;
  try {
    if (soakSeconds) soaked = await soak({ k6, stack, outDir, vus, seconds: soakSeconds, password, log });
    else for (const name of chosen) results.push(await runFault(FAULTS.find((f) => f.name === name), { k6, stack, outDir, vus, afterSeconds, password, log }));
    identities = await doubledIdentities(stack.settings.urls.kratosAdmin);
  } finally {
    await stack.stop();
  }
  const measured = {
    measuredAt: new Date().toISOString(),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`,
    kratos: PINNED.kratos.version,
    oathkeeper: PINNED.oathkeeper.version,
    k6: PINNED.k6.version,
    hasher,
    vus,
    identities: identities.identities,
    doubledIdentities: identities.doubled,
  };
  // Faults and soak keep their own figures and their own part of the page.
  const [name, marker, report, markdown] = soaked
    ? ['soak', 'soak', { ...measured, soak: soaked }, soakMarkdown]
    : ['reliability', 'faults', { ...measured, afterSeconds, faults: results }, reliabilityMarkdown];
  writeFileSync(join(ROOT, 'docs', `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  const doc = join(ROOT, 'docs', 'reliability.md');
  const current = readFileSync(doc, 'utf8');
  const between = new RegExp(`<!-- ${marker}:start -->[\\s\\S]*<!-- ${marker}:end -->`);
  if (!between.test(current)) throw new Error(`docs/reliability.md has no <!-- ${marker}:start --> … <!-- ${marker}:end --> to write into`);
  writeFileSync(doc, current.replace(between, `<!-- ${marker}:start -->\n${markdown(report)}<!-- ${marker}:end -->`));
  log(`\nwrote docs/${name}.json and the table in docs/reliability.md`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
