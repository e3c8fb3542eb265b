// `npm test`: lint, typecheck, then every test file (node:test through tsx). Database suites run on
// SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL as well; otherwise this says it skipped them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
process.chdir(root);

function run(title: string, cmd: string, args: string[]): void {
  process.stdout.write(`\n── ${title} ──\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  if (r.status !== 0) {
    process.stdout.write(`\n${title} failed (exit ${r.status ?? r.signal}).\n`);
    process.exit(r.status ?? 1);
  }
}

function testFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') out.push(...testFiles(p));
    } else if (/\.test\.tsx?$/.test(e.name)) out.push(p);
  }
  return out;
}

const only = process.argv.slice(2);
const files = only.length > 0 ? only : [...testFiles('src'), ...testFiles('test')].sort();

if (only.length === 0) {
  run('lint', 'npx', ['eslint', '.']);
  run('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
}

if (process.env['TEST_DATABASE_URL']) {
  process.stdout.write(`\nDatabase suites run on SQLite and PostgreSQL (${process.env['TEST_DATABASE_URL'].replace(/:[^:@/]*@/, ':***@')}).\n`);
} else {
  process.stdout.write('\nPostgreSQL SKIPPED: TEST_DATABASE_URL is not set, so database suites run on SQLite only.\n');
}

run(`tests (${files.length} files)`, process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files]);

if (!process.env['TEST_DATABASE_URL']) {
  process.stdout.write('\nPostgreSQL SKIPPED: set TEST_DATABASE_URL=postgres://… to run every database suite on PostgreSQL too.\n');
}
