// Backups that restore, taken while the service keeps writing:
//   - SQLite: the online backup API (better-sqlite3's db.backup()) from a connection of its own, copying
//     the whole file in one step, so the copy is one read transaction's snapshot (a copy made in several
//     steps restarts whenever another connection writes between them);
//   - PostgreSQL: pg_dump in its custom format, which reads everything in one repeatable-read snapshot.
// The uploaded files (DATA_DIR/uploads) are copied after the database: a file is written before the
// row that names it commits, so every upload the snapshot knows is already on disk.
// Restore replaces the database named by the URL with the backup; the service must be stopped first.
// Every file a backup writes is the service user's alone (files 0600, folders 0700) whatever the umask of
// the process that runs it: the file is created owner-only before anything is written into it, and the
// copy of the uploads is narrowed after it is made (a file copied in by hand may have been readable).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';

const run = promisify(execFile);

export interface BackupResult {
  file: string;
  bytes: number;
  uploads: string | null;
  tookMs: number;
}

const stamp = (now: Date) => now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

/** A password in the URL goes to pg_dump through its environment, not its command line. */
function pgArgs(url: string): { env: NodeJS.ProcessEnv; dsn: string } {
  const u = new URL(url);
  const env = { ...process.env };
  if (u.password) env['PGPASSWORD'] = decodeURIComponent(u.password);
  u.password = '';
  return { env, dsn: u.toString() };
}

/** Creates the (empty) file with mode 0600 before the backup writes into it: never readable by others, even for a moment. */
function ownerOnlyFile(file: string): void {
  fs.closeSync(fs.openSync(file, 'w', 0o600));
  fs.chmodSync(file, 0o600);
}

function narrowTree(dir: string): void {
  fs.chmodSync(dir, 0o700);
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) narrowTree(p);
    else if (e.isFile()) fs.chmodSync(p, 0o600);
  }
}

export async function backupDatabase(url: string, outDir: string, now: Date, dataDir?: string): Promise<BackupResult> {
  fs.mkdirSync(outDir, { recursive: true, mode: 0o700 });
  const started = Date.now();
  let file: string;
  if (url.startsWith('sqlite:')) {
    file = path.join(outDir, `ghidanh-${stamp(now)}.sqlite`);
    ownerOnlyFile(file);
    const src = new Database(url.slice('sqlite:'.length), { fileMustExist: true, readonly: true });
    try {
      src.pragma('busy_timeout = 5000');
      // -1 pages per step: everything at once (a snapshot); the progress callback is never needed
      await src.backup(file, { progress: () => 1 << 30 });
    } finally {
      src.close();
    }
  } else {
    file = path.join(outDir, `ghidanh-${stamp(now)}.dump`);
    ownerOnlyFile(file);
    const { env, dsn } = pgArgs(url);
    await run('pg_dump', ['--format=custom', '--no-owner', '--file', file, dsn], { env, maxBuffer: 16 << 20 });
  }
  fs.chmodSync(file, 0o600);
  let uploads: string | null = null;
  const from = dataDir ? path.join(dataDir, 'uploads') : null;
  if (from && fs.existsSync(from)) {
    uploads = `${file}.uploads`;
    fs.cpSync(from, uploads, { recursive: true, force: false, errorOnExist: false });
    narrowTree(uploads);
  }
  return { file, bytes: fs.statSync(file).size, uploads, tookMs: Date.now() - started };
}

/** Replaces the database at `url` (and DATA_DIR/uploads, when the backup has them) with the backup. */
export async function restoreDatabase(url: string, file: string, dataDir?: string): Promise<void> {
  if (!fs.existsSync(file)) throw new Error(`no backup at ${file}`);
  if (url.startsWith('sqlite:')) {
    const target = url.slice('sqlite:'.length);
    // the copy must be a whole, readable database before it replaces anything
    const check = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const r = check.pragma('integrity_check', { simple: true });
      if (r !== 'ok') throw new Error(`the backup fails its integrity check: ${String(r)}`);
    } finally {
      check.close();
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const tmp = `${target}.restoring`;
    fs.copyFileSync(file, tmp);
    for (const suffix of ['-wal', '-shm']) fs.rmSync(target + suffix, { force: true });
    fs.renameSync(tmp, target);
    fs.chmodSync(target, 0o600);
  } else {
    const { env, dsn } = pgArgs(url);
    await run('pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error', '--dbname', dsn, file], { env, maxBuffer: 16 << 20 });
  }
  const uploads = `${file}.uploads`;
  if (dataDir && fs.existsSync(uploads)) {
    const to = path.join(dataDir, 'uploads');
    fs.rmSync(to, { recursive: true, force: true });
    fs.cpSync(uploads, to, { recursive: true });
  }
}
