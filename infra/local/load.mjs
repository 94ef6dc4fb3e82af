// `npm run load`: how much sign-up and sign-in the stack holds, measured with k6 (a script, not
// a test; it writes docs/load.md, docs/load.json and the table in README.md).
//
// Two setups, one after the other, each on a fresh database: Kratos on SQLite (one process) and
// Kratos on PostgreSQL (two replicas behind the stack's load balancer, infra/local/balancer.mjs),
// both with Oathkeeper in front of the demo API and the password hasher production runs (read
// from the rendered production values; Kratos's own default where they set none). Virtual users
// do what people do (load/journey.k6.js); the concurrency doubles, each level for LOAD_SECONDS,
// until a step's p95 passes 1 s or a request fails. Afterwards every account Kratos said
// "signed up" to signs in once more: an account that cannot is reported lost.
//
// CPU time per component (kratos, postgres, oathkeeper, k6, node) is read from /proc for each
// level, and the largest resident memory of each: which one fills the machine's cores is what
// saturates first, and the memory is what the production sizing asks for.
//
//   npm run load                          both setups
//   LOAD_SETUPS=postgres npm run load     one of them (sqlite, postgres)
//   LOAD_SECONDS=30 LOAD_MAX_VUS=64       time per level, last level tried
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ensureBinary, PINNED, releasedSource } from './binaries.mjs';
import { STEPS } from './load/steps.js';
import { cacheDir, ROOT } from './paths.mjs';
import { startStack } from './stack.mjs';
import { ensureSystemPackages } from './system-packages.mjs';

const JOURNEY = join(ROOT, 'infra', 'local', 'load', 'journey.k6.js');
const SETUPS = {
  sqlite: { title: 'SQLite, one Kratos', env: { KRATOS_DB: 'sqlite' } },
  postgres: { title: 'PostgreSQL, two Kratos replicas', env: { KRATOS_DB: 'postgres' } },
};
/** A level whose slowest step's p95 passes this is the last one tried. */
const P95_LIMIT_MS = 1000;
const COMPONENTS = ['kratos', 'postgres', 'oathkeeper', 'k6', 'node'];

/**
 * The password hasher production runs: the rendered values' `hashers`, or where they set none,
 * Kratos's own defaults, read from the config schema in the released source of the Kratos the stack runs.
 */
export async function productionHashers() {
  const values = parse(readFileSync(join(ROOT, 'infra', 'k8s', 'generated', 'kratos-values.yaml'), 'utf8'));
  if (values.kratos.config.hashers) return { source: 'infra/k8s/generated/kratos-values.yaml', hashers: values.kratos.config.hashers };
  const { version } = PINNED.kratos;
  const dir = await releasedSource('kratos');
  const schema = JSON.parse(readFileSync(join(dir, 'embedx', 'config.schema.json'), 'utf8'));
  const h = schema.properties.hashers.properties;
  const algorithm = h.algorithm.default;
  const settings = Object.fromEntries(Object.entries(h[algorithm].properties).filter(([, p]) => p.default !== undefined).map(([k, p]) => [k, p.default]));
  return { source: `Kratos ${version}'s defaults (embedx/config.schema.json): production sets no hashers`, hashers: { algorithm, [algorithm]: settings } };
}

/** The measured processes: pid, parent pid, component, CPU ticks (utime + stime) and resident memory (KiB). */
export function processes() {
  const out = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat;
    let status;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      status = readFileSync(`/proc/${pid}/status`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // The name the kernel keeps (15 characters): cached binaries are named <tool>-<version>-<key>.
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const component = COMPONENTS.find((c) => comm === c || comm.startsWith(`${c}-`));
    if (!component) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const rss = /VmRSS:\s+(\d+) kB/.exec(status);
    out.push({ pid: Number(pid), ppid: Number(fields[1]), component, ticks: Number(fields[11]) + Number(fields[12]), rssKb: rss ? Number(rss[1]) : 0 });
  }
  return out;
}

/** CPU seconds used so far by each component's processes. */
function cpuSeconds() {
  const ticks = Object.fromEntries(COMPONENTS.map((c) => [c, 0]));
  for (const p of processes()) ticks[p.component] += p.ticks;
  // k6 has exited by the time a level is read: its time is in this process's reaped children's.
  const own = readFileSync('/proc/self/stat', 'utf8');
  const fields = own.slice(own.lastIndexOf(')') + 2).split(' ');
  ticks.k6 += Number(fields[13]) + Number(fields[14]);
  return Object.fromEntries(Object.entries(ticks).map(([c, t]) => [c, t / 100])); // USER_HZ
}

/** Samples each component's largest single-process resident memory (MiB) until stopped. */
function memorySampler() {
  const peak = Object.fromEntries(COMPONENTS.map((c) => [c, 0]));
  const sample = () => {
    for (const p of processes()) peak[p.component] = Math.max(peak[p.component], Math.round(p.rssKb / 1024));
  };
  const timer = setInterval(sample, 1000);
  sample();
  return () => {
    clearInterval(timer);
    sample();
    return peak;
  };
}

/** One k6 run named `name`: its log and summary files, and the accounts' prefix (RUN), carry it. */
export function runK6(k6, env, outDir, name) {
  const summaryFile = join(outDir, `${name}.summary.json`);
  const logFile = join(outDir, `${name}.log`);
  // k6 appends to its log file: a previous run's lines are not this run's.
  rmSync(logFile, { force: true });
  rmSync(summaryFile, { force: true });
  return new Promise((resolve, reject) => {
    const child = spawn(k6, ['run', '--quiet', '--no-usage-report', '--log-format=raw', `--log-output=file=${logFile}`, JOURNEY], {
      env: { ...process.env, ...env, RUN: name, SUMMARY_FILE: summaryFile },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('exit', (code) => {
      // k6 exits 0 unless the script itself broke (no thresholds are set).
      if (code !== 0) return reject(new Error(`k6 ${name} exited with ${code}:\n${stderr.slice(-2000)}`));
      const lines = readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => {
        try {
          return JSON.parse(l);
        } catch {
          return { other: l };
        }
      });
      resolve({ summary: JSON.parse(readFileSync(summaryFile, 'utf8')), lines });
    });
  });
}

/**
 * The accounts to sign in to afterwards, from a run's lines: each address Kratos said "signed up"
 * to, by password where the journey chose one, else by a mailed code (its password step failed).
 */
export function accountsToVerify(lines) {
  const withPassword = new Set(lines.filter((l) => l.passwordSet).map((l) => l.passwordSet));
  return lines.filter((l) => l.signedUp).map((l) => ({ email: l.signedUp, by: withPassword.has(l.signedUp) ? 'password' : 'code' }));
}

const round = (n) => (n === undefined || Number.isNaN(n) ? null : Math.round(n));

/** One level's row: per step p50/p95/p99, journeys per second, failures by step, CPU by component. */
export function levelResult({ vus, seconds, summary, lines, cpu }) {
  const m = summary.metrics;
  const steps = Object.fromEntries(
    STEPS.map((step, i) => {
      const v = m[`step_${i}`]?.values ?? {};
      return [step, { p50: round(v.med), p95: round(v['p(95)']), p99: round(v['p(99)']), count: v.count ?? 0 }];
    }),
  );
  const failures = {};
  for (const l of lines) if (l.failed) failures[l.failed] = (failures[l.failed] ?? 0) + 1;
  const errors = Object.values(failures).reduce((a, b) => a + b, 0);
  const journeys = m.journeys?.values.count ?? 0;
  const signUps = lines.filter((l) => l.signedUp).map((l) => l.signedUp);
  const slowestP95 = Math.max(...Object.values(steps).map((s) => s.p95 ?? 0));
  return {
    vus,
    seconds,
    journeysPerSecond: Math.round((journeys / seconds) * 100) / 100,
    signUpsPerSecond: Math.round((signUps.length / seconds) * 100) / 100,
    steps,
    slowestP95,
    errors,
    failures,
    sample: lines.filter((l) => l.failed).slice(0, 3),
    cpuCores: Object.fromEntries(Object.entries(cpu).map(([c, s]) => [c, Math.round((s / seconds) * 100) / 100])),
    signUps,
    accounts: accountsToVerify(lines),
  };
}

async function measureSetup(key, { k6, seconds, maxVus, hashers, outDir, log }) {
  const setup = SETUPS[key];
  log(`\n${setup.title}: starting the stack…`);
  const stack = await startStack('test', { log: () => {}, env: { ...process.env, ...setup.env }, spa: false, kratosOverlay: { hashers } });
  const { urls } = stack.settings;
  // With two replicas, the Kratos public URL is the load balancer in front of both.
  const kratosUrls = [urls.kratosPublic];
  // What every run of this setup is pointed at, with one password for all its accounts.
  const target = { KRATOS_URLS: kratosUrls.join(','), API_URL: urls.api, MAIL_URL: urls.mailUi, PASSWORD: randomBytes(18).toString('base64url') };
  const levels = [];
  try {
    for (let vus = 1; vus <= maxVus; vus *= 2) {
      const before = cpuSeconds();
      const memory = memorySampler();
      const startedAt = Date.now();
      const { summary, lines } = await runK6(k6, { ...target, MODE: 'journey', VUS: String(vus), DURATION: `${seconds}s` }, outDir, `${key}-c${vus}`);
      const after = cpuSeconds();
      const peakMiB = memory();
      const wall = (Date.now() - startedAt) / 1000;
      const cpu = Object.fromEntries(COMPONENTS.map((c) => [c, ((after[c] - before[c]) * seconds) / wall]));
      const level = { ...levelResult({ vus, seconds, summary, lines, cpu }), peakMiB };
      levels.push(level);
      log(
        `  ${String(vus).padStart(3)} VUs: ${level.journeysPerSecond} journeys/s, sign-in submit p95 ${level.steps['sign-in: submit'].p95} ms, ` +
          `slowest p95 ${level.slowestP95} ms, ${level.errors} errors; CPU cores ${JSON.stringify(level.cpuCores)}`,
      );
      if (level.slowestP95 > P95_LIMIT_MS || level.errors > 0) break;
    }
    const accounts = levels.flatMap((l) => l.accounts);
    const accountsFile = join(outDir, `${key}-accounts.json`);
    writeFileSync(accountsFile, JSON.stringify(accounts));
    log(`  checking that the ${accounts.length} accounts Kratos signed up can sign in…`);
    const verify = await runK6(k6, { ...target, MODE: 'verify', VUS: '2', ACCOUNTS_FILE: accountsFile }, outDir, `${key}-verify`);
    const lost = verify.lines.filter((l) => l.lost).map((l) => l.lost);
    const verifyFailures = verify.lines.filter((l) => l.failed);
    log(`  lost accounts: ${lost.length}${verifyFailures.length ? ` (${verifyFailures.length} sign-in requests failed)` : ''}`);
    return {
      setup: key,
      title: setup.title,
      kratosReplicas: urls.kratosReplicaPublic ? 2 : 1,
      levels: levels.map(({ signUps, accounts: _, ...rest }) => ({ ...rest, signedUp: signUps.length })),
      accounts: accounts.length,
      lost: lost.length,
      lostSample: lost.slice(0, 5),
    };
  } finally {
    await stack.stop();
  }
}

const vusText = (n) => `${n} virtual user${n === 1 ? '' : 's'}`;

/** The largest level with no error and every step's p95 within the limit. */
export function heldLevel(levels) {
  return [...levels].reverse().find((l) => l.errors === 0 && l.slowestP95 <= P95_LIMIT_MS) ?? null;
}

/** What used the most CPU at the last level, and how full the machine was. */
export function saturation(levels, cores) {
  const last = levels.at(-1);
  if (!last) return '';
  const [top, used] = Object.entries(last.cpuCores).sort((a, b) => b[1] - a[1])[0];
  const total = Object.values(last.cpuCores).reduce((a, b) => a + b, 0);
  const cpu = `at ${vusText(last.vus)} the measured processes used ${total.toFixed(2)} of ${cores} cores, ${top} ${used.toFixed(2)}`;
  if (last.errors > 0 && total < cores / 2) {
    const failed = Object.entries(last.failures).map(([step, n]) => `${step}: ${n}`).join(', ');
    return `not the CPU: ${cpu}, while requests failed (${failed}; first: ${JSON.stringify(last.sample[0] ?? {})}): they waited on something else, see Kratos's log`;
  }
  return `the CPU: ${cpu}`;
}

export function reportMarkdown(report) {
  const lines = [
    `Measured ${report.measuredAt.slice(0, 10)} by \`npm run load\` (k6 ${report.k6}) on ${report.machine}, everything on that one machine: Kratos ${report.kratos}, Oathkeeper ${report.oathkeeper}, the load generator and the database. Password hasher: ${report.hasher} (${report.hasherSource}). A journey is: sign up (create the browser flow, submit with its CSRF token and cookies), whoami through Oathkeeper's API host, sign out, sign in (create flow, submit), whoami, sign out. With two replicas, Kratos requests go through the load balancer (HAProxy, round robin over the ready replicas), Oathkeeper's session checks too; the local PostgreSQL runs with fsync off. Each concurrency level runs ${report.seconds} s; the last level is the first whose slowest step's p95 passed ${P95_LIMIT_MS} ms or that had an error. Times are p50 / p95 / p99 in ms. CPU: cores used by each component during the level.`,
    '',
  ];
  for (const s of report.setups) {
    const held = heldLevel(s.levels);
    lines.push(`#### ${s.title}`, '');
    lines.push(`| VUs | journeys/s | ${STEPS.join(' | ')} | errors | CPU cores (kratos / postgres / oathkeeper / k6) | peak memory of one process, MiB (kratos / postgres / oathkeeper) |`);
    lines.push(`| ${['---', '---', ...STEPS.map(() => '---'), '---', '---', '---'].join(' | ')} |`);
    for (const l of s.levels) {
      const cells = STEPS.map((step) => {
        const t = l.steps[step];
        return t.count ? `${t.p50} / ${t.p95} / ${t.p99}` : '–';
      });
      const cpu = `${l.cpuCores.kratos} / ${l.cpuCores.postgres} / ${l.cpuCores.oathkeeper} / ${l.cpuCores.k6}`;
      const memory = `${l.peakMiB.kratos} / ${l.peakMiB.postgres} / ${l.peakMiB.oathkeeper}`;
      const errors = `${l.errors}${l.errors ? ` (${Object.entries(l.failures).map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''}`;
      lines.push(`| ${l.vus} | ${l.journeysPerSecond} | ${cells.join(' | ')} | ${errors} | ${cpu} | ${memory} |`);
    }
    lines.push('');
    lines.push(
      `Held with 0 errors and every p95 ≤ ${P95_LIMIT_MS} ms: **${held ? `${vusText(held.vus)}, ${held.journeysPerSecond} journeys/s (${held.signUpsPerSecond} sign-ups/s)` : 'no level'}**. ` +
        `Accounts Kratos signed up: ${s.accounts}; lost (cannot sign in afterwards): **${s.lost}**. Saturation: ${saturation(s.levels, report.cores)}.`,
      '',
    );
  }
  return lines.join('\n');
}

export function writeLoadReport(report) {
  writeFileSync(join(ROOT, 'docs', 'load.json'), `${JSON.stringify(report, null, 2)}\n`);
  const body = reportMarkdown(report);
  writeFileSync(join(ROOT, 'docs', 'load.md'), `# Load\n\n${body}`);
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const marked = /<!-- load:start -->[\s\S]*<!-- load:end -->/;
  if (marked.test(readme)) writeFileSync(join(ROOT, 'README.md'), readme.replace(marked, `<!-- load:start -->\n${body}<!-- load:end -->`));
}

async function main() {
  const log = console.log;
  const seconds = Number(process.env.LOAD_SECONDS || 30);
  const maxVus = Number(process.env.LOAD_MAX_VUS || 64);
  const setups = (process.env.LOAD_SETUPS || 'sqlite,postgres').split(',').filter(Boolean);
  for (const s of setups) if (!SETUPS[s]) throw new Error(`LOAD_SETUPS: unknown setup '${s}' (use ${Object.keys(SETUPS).join(', ')})`);
  if (!(seconds >= 5) || !(maxVus >= 1)) throw new Error('LOAD_SECONDS must be ≥ 5 and LOAD_MAX_VUS ≥ 1');
  const missing = ensureSystemPackages(log); // PostgreSQL and HAProxy, on a fresh machine
  if (missing) throw new Error(missing);
  const k6 = await ensureBinary('k6', { log });
  const { hashers, source } = await productionHashers();
  const hasher = `${hashers.algorithm} ${Object.entries(hashers[hashers.algorithm] ?? {}).map(([k, v]) => `${k} ${v}`).join(', ')}`;
  log(`password hasher: ${hasher} (${source})`);
  const outDir = join(cacheDir(), 'load');
  mkdirSync(outDir, { recursive: true });
  const results = [];
  for (const key of setups) results.push(await measureSetup(key, { k6, seconds, maxVus, hashers, outDir, log }));
  const report = {
    measuredAt: new Date().toISOString(),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`,
    cores: cpus().length,
    k6: PINNED.k6.version,
    kratos: PINNED.kratos.version,
    oathkeeper: PINNED.oathkeeper.version,
    hasher,
    hasherSource: source,
    seconds,
    setups: results,
  };
  writeLoadReport(report);
  log('\nwrote docs/load.json, docs/load.md and the table in README.md');
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
