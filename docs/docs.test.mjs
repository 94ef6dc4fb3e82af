// @vitest-environment node
// Docs that cannot rot (issue 43): every guide (README.md, SECURITY.md, docs/*.md) is read, and
// what it names must exist: each `npm run <x>` a script of package.json, each path in the
// repository a file or folder, each relative link a file and each #anchor a heading there, each
// environment variable one the code reads. Each check is also shown catching a rotten copy.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const GUIDES = ['README.md', 'SECURITY.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const SCRIPTS = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;
/** Paths are checked when they start at the repository's top (a path like generated/x.yaml is relative to a folder the text names). */
const REPO_PATH = /^(frontend|infra|kratos|oathkeeper|e2e|docs|\.github|\.ci)\//;
/** Files a guide tells the reader to create: named, not shipped. */
const MADE_BY_THE_READER = new Set(['frontend/.env.local']);
/** Variables a guide names that another program reads, not ours: where they go. */
const READ_ELSEWHERE = { SELFSERVICE_METHODS_OIDC_CONFIG_PROVIDERS: "Kratos's own environment form of selfservice.methods.oidc.config.providers" };

/** Code the variables must be read in: every tracked source and workflow file outside docs/. */
const CODE = execFileSync('git', ['ls-files', '*.ts', '*.mjs', '*.js', '*.yml', '*.yaml', '*.sh', '.ci/*'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && !f.startsWith('docs/') && existsSync(join(ROOT, f)))
  .map((f) => readFileSync(join(ROOT, f), 'utf8'))
  .join('\n');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading) => heading.replace(/`/g, '').trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
const anchorsOf = (text) => new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1])));

/** What one guide names that does not exist. `read(path)`: a file's text, or null when it does not exist. */
export function rotten(guide, text, read) {
  const problems = [];
  for (const m of text.matchAll(/npm run ([a-z][\w:-]*)/g)) if (!(m[1] in SCRIPTS)) problems.push(`${guide}: npm run ${m[1]} is not a script of package.json`);
  for (const m of text.matchAll(/`([^`\s]+)`/g)) {
    const path = m[1].replace(/[:#].*$/, '').replace(/\/$/, '');
    if (REPO_PATH.test(path) && !/[<>…*{}]/.test(path) && !MADE_BY_THE_READER.has(path) && read(path) === null) problems.push(`${guide}: ${path} does not exist`);
  }
  const prose = text.replace(/```[\s\S]*?```/g, '');
  for (const m of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^(https?:|mailto:)/.test(m[1])) continue;
    const [path, anchor] = m[1].split('#');
    const target = path ? join(dirname(guide), path) : guide;
    const targetText = read(target);
    if (targetText === null) problems.push(`${guide}: the link ${m[1]} goes nowhere`);
    else if (anchor && target.endsWith('.md') && !anchorsOf(targetText).has(anchor)) problems.push(`${guide}: the link ${m[1]} names no heading of ${target}`);
  }
  for (const m of text.matchAll(/`([A-Z][A-Z0-9]*_[A-Z0-9_]+)(=[^`]*)?`/g)) {
    if (!(m[1] in READ_ELSEWHERE) && !CODE.includes(m[1])) problems.push(`${guide}: ${m[1]} is read by no code here`);
  }
  return [...new Set(problems)];
}

const readRepo = (path) => {
  const file = join(ROOT, path);
  if (!existsSync(file)) return null;
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return ''; // a folder
  }
};

describe('the guides name only what exists', () => {
  it.each(GUIDES)('%s', (guide) => {
    expect(rotten(guide, readFileSync(join(ROOT, guide), 'utf8'), readRepo)).toEqual([]);
  });

  it('catches each kind of rot (the check is real)', () => {
    const text = [
      'Run `npm run deploy-everything`, edit `infra/k8s/no-such-file.yaml`, see [the guide](docs/nowhere.md)',
      'and [a section](README.md#no-such-heading), then set `KRATOS_SPA_NO_SUCH_VARIABLE=1`.',
    ].join('\n');
    expect(rotten('README.md', text, readRepo)).toEqual([
      'README.md: npm run deploy-everything is not a script of package.json',
      'README.md: infra/k8s/no-such-file.yaml does not exist',
      'README.md: the link docs/nowhere.md goes nowhere',
      'README.md: the link README.md#no-such-heading names no heading of README.md',
      'README.md: KRATOS_SPA_NO_SUCH_VARIABLE is read by no code here',
    ]);
    // The same names, where they exist, pass.
    expect(rotten('README.md', 'Run `npm run render`, edit `infra/k8s/environment.yml`, see [Deployment](README.md#deployment), set `VITE_KRATOS_HOST`.', readRepo)).toEqual([]);
  });
});
