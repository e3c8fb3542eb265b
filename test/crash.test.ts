// A crash under write load loses no acknowledged write and repeats none. The real server runs as a child
// process on a database holding the demo class; a dozen candidates save sections (If-Match), submit
// (Idempotency-Key) and upload photos and evidence at once; the process is killed with SIGKILL in the
// middle of it, started again on the same database and data folder, and every answer the clients got
// (2xx: a version, a dossier code, an upload id) is checked against what the restarted server and the
// database hold: present, once, in order. A request that was in flight when the process died may or may
// not have landed, but never twice, and a submit retried with its key after the restart makes one
// submission. On SQLite always, on PostgreSQL when TEST_DATABASE_URL is set (skipped otherwise, said so).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { emptyDatabase, type DbKind } from './helpers/db.ts';
import { hasEnded, startApp, type RunningServer } from './load/server-process.ts';
import { createDb, type Db } from '../src/server/db/create-db.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { loadReferenceData } from '../src/server/reference/reference.repository.ts';
import { loadDemoIfEmpty } from '../src/server/demo/load-demo.ts';
import { DEMO_CLASS, demoPersonalNumber } from '../src/server/demo/demo-class.ts';
import { hashPassword } from '../src/server/accounts/password.ts';
import { goodDossier } from '../src/server/dossiers/test-fixtures.ts';

const PASSWORD = 'crash-test-password-2026';
/** how long the clients write before the kill, at least … */
const LOAD_MS = 1500;
/** … and at most, while a writer still has no submit, save or evidence answered (a machine that is busy elsewhere) */
const MAX_LOAD_MS = 8000;
/** the demo class's last two: their first submit is sent at the moment of the kill */
const AT_KILL = 2;
/** evidence files a client uploads at most (the dossier takes 10) */
const MAX_EVIDENCE = 8;

type Op = { op: 'save'; address: string } | { op: 'submit'; key: string } | { op: 'photo' } | { op: 'evidence' };

interface Submitted {
  key: string;
  json: string;
  submittedNow: boolean;
  version: number;
  code: string | null;
}

/** One candidate's client: its session and every answer it was given. */
interface Client {
  index: number;
  username: string;
  userId: string;
  cookie: string;
  csrf: string;
  dossierId: string;
  /** the last version an answer named */
  version: number;
  /** every version an answer named (saves and submits), in the order of the answers */
  answered: number[];
  /** acknowledged saves, in the order of their answers (the first is the set-up's whole dossier) */
  saves: Array<{ version: number; address: string }>;
  submits: Submitted[];
  photos: Array<{ id: string; bytes: number }>;
  evidence: Array<{ id: string; bytes: number }>;
  /** the request sent and never answered (the process died under it) */
  inFlight: Op | null;
  /** answers that were not 2xx (none expected) */
  unexpected: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sha = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

function cookieHeader(r: Response): string {
  return r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** A PNG of the given size, a different colour for each n. */
function png(width: number, height: number, n: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: (n * 37) % 256, g: (n * 91) % 256, b: (n * 53) % 256 } } })
    .png()
    .toBuffer();
}

/** Photos (400×600, the smallest accepted) and evidence scans, drawn before the load so the clients only send. */
const IMAGES = { photo: [] as Buffer[], evidence: [] as Buffer[] };
async function drawImages(): Promise<void> {
  if (IMAGES.photo.length > 0) return;
  for (let n = 0; n < 8; n++) {
    IMAGES.photo.push(await png(400, 600, n));
    IMAGES.evidence.push(await png(120, 160, n + 100));
  }
}

/** The database with the demo class, every candidate holding an account with a known password. */
async function prepareDatabase(url: string): Promise<void> {
  const db = await createDb({ url, poolSize: 2 });
  try {
    const now = new Date();
    await migrate(db.writer, db.dialect);
    await loadReferenceData(db.writer, now);
    assert.ok(await loadDemoIfEmpty(db, now), 'the demo loads into the empty database');
    // what issuing the accounts and the first password change would leave, made directly: the test is about
    // the writes after them
    const hash = await hashPassword(PASSWORD);
    await db.writer
      .updateTable('users')
      .set({ status: 'active', password_hash: hash, must_change_password: 0, password_set_at: now.toISOString() })
      .where('role', '=', 'candidate')
      .execute();
  } finally {
    await db.close();
  }
}

async function call(c: Client, base: string, method: string, pathName: string, init: { headers?: Record<string, string>; body?: string | FormData } = {}): Promise<Response> {
  const headers: Record<string, string> = { cookie: c.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': c.csrf }), ...init.headers };
  if (typeof init.body === 'string') headers['content-type'] = 'application/json';
  return fetch(`${base}${pathName}`, { method, headers, ...(init.body !== undefined ? { body: init.body } : {}) });
}

async function signIn(base: string, index: number, username: string, userId: string): Promise<Client> {
  const r = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  assert.equal(r.status, 200, `candidate ${username} signs in`);
  const { csrfToken } = (await r.json()) as { csrfToken: string };
  return { index, username, userId, cookie: cookieHeader(r), csrf: csrfToken, dossierId: '', version: 0, answered: [], saves: [], submits: [], photos: [], evidence: [], inFlight: null, unexpected: [] };
}

const addressOf = (c: Client, n: number) => `Số ${n} ngõ ${c.index + 1} Tràng Tiền, Hoàn Kiếm, Hà Nội`;

async function save(c: Client, base: string, address: string): Promise<void> {
  c.inFlight = { op: 'save', address };
  const r = await call(c, base, 'PUT', '/api/dossier/sections/contact', {
    headers: { 'if-match': `"${c.version}"` },
    body: JSON.stringify({ phone: '0912 345 678', email: `thisinh${c.index}@example.vn`, address }),
  });
  const text = await r.text();
  c.inFlight = null;
  if (r.status !== 200) return void c.unexpected.push(`save ${r.status} ${text.slice(0, 300)}`);
  const version = (JSON.parse(text) as { dossier: { version: number } }).dossier.version;
  assert.equal(r.headers.get('etag'), `"${version}"`);
  c.version = version;
  c.answered.push(version);
  c.saves.push({ version, address });
}

async function submit(c: Client, base: string, key: string): Promise<void> {
  c.inFlight = { op: 'submit', key };
  const r = await call(c, base, 'POST', '/api/dossier/submit', { headers: { 'idempotency-key': key }, body: '{}' });
  const json = await r.text();
  c.inFlight = null;
  if (r.status !== 200) return void c.unexpected.push(`submit ${r.status} ${json.slice(0, 300)}`);
  const out = JSON.parse(json) as { submittedNow: boolean; version: number; code: string | null; status: string };
  assert.equal(out.status, 'submitted');
  c.version = out.version;
  c.answered.push(out.version);
  c.submits.push({ key, json, submittedNow: out.submittedNow, version: out.version, code: out.code });
}

async function upload(c: Client, base: string, kind: 'photo' | 'evidence', n: number): Promise<void> {
  c.inFlight = { op: kind };
  const form = new FormData();
  if (kind === 'evidence') form.append('purpose', 'other');
  const bytes = IMAGES[kind][n % IMAGES[kind].length]!;
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), `${kind}-${n}.png`);
  const r = await call(c, base, 'POST', `/api/dossier/${kind}`, { body: form });
  const text = await r.text();
  c.inFlight = null;
  if (r.status !== 201) return void c.unexpected.push(`${kind} ${r.status} ${text.slice(0, 300)}`);
  const info = JSON.parse(text) as { id: string; bytes: number; kind: string };
  assert.equal(info.kind, kind);
  (kind === 'photo' ? c.photos : c.evidence).push({ id: info.id, bytes: info.bytes });
}

/** Writes until told to stop or until the server stops answering (the request then stays in flight). */
async function writeLoad(c: Client, base: string, stop: { now: boolean }, tag: string): Promise<void> {
  const cycle = ['save', 'submit', 'save', 'photo', 'save', 'evidence', 'save', 'submit'] as const;
  let n = 0;
  try {
    for (let i = c.index; !stop.now; i++) {
      const op = cycle[i % cycle.length]!;
      n += 1;
      if (op === 'save') await save(c, base, addressOf(c, 1000 + n));
      else if (op === 'submit') await submit(c, base, `crash-${tag}-${c.index}-${n}`);
      else if (op === 'photo') await upload(c, base, 'photo', c.index * 1000 + n);
      else if (c.evidence.length < MAX_EVIDENCE) await upload(c, base, 'evidence', c.index * 1000 + n);
    }
  } catch (e) {
    // the connection died with the process: what was sent is left in c.inFlight
    if (e instanceof assert.AssertionError) throw e;
  }
}

/** What the database holds for one dossier, read directly. */
async function stored(db: Db, c: Client) {
  const dossier = await db.read.selectFrom('dossiers').select(['version', 'status', 'data', 'code']).where('id', '=', c.dossierId).executeTakeFirstOrThrow();
  const events = await db.read.selectFrom('dossier_events').select(['event', 'version']).where('dossier_id', '=', c.dossierId).execute();
  const uploads = await db.read.selectFrom('uploads').select(['id', 'kind', 'bytes', 'sha256', 'storage_path']).where('dossier_id', '=', c.dossierId).execute();
  const keys = await db.read.selectFrom('idempotency_keys').select(['key', 'operation', 'response', 'dossier_id']).where('actor_id', '=', c.userId).execute();
  return { dossier, events, uploads, keys };
}

const count = <T>(xs: readonly T[], p: (x: T) => boolean) => xs.filter(p).length;

/** Every acknowledged write of one client is in the database once; the one in flight is there once or not at all. */
async function checkClient(db: Db, c: Client, dataDir: string): Promise<void> {
  const who = `candidate ${c.index} (${c.username})`;
  assert.deepEqual(c.unexpected, [], `${who}: every answer under load was a success`);
  const { dossier, events, uploads, keys } = await stored(db, c);
  const inFlight = c.inFlight;

  // versions: each acknowledged one above the one before; the events that make a version (create, edit,
  // submit) name 1, 2, … the dossier's version, each once: none lost, none repeated
  for (let i = 1; i < c.saves.length; i++) assert.ok(c.saves[i]!.version > c.saves[i - 1]!.version, `${who}: acknowledged saves' versions rise`);
  for (let i = 1; i < c.answered.length; i++) assert.ok(c.answered[i]! >= c.answered[i - 1]!, `${who}: no answer names a version older than the one before`);
  const versioned = events.filter((e) => ['create', 'edit', 'submit'].includes(e.event)).map((e) => Number(e.version));
  assert.deepEqual(
    [...versioned].sort((a, b) => a - b),
    Array.from({ length: dossier.version }, (_, i) => i + 1),
    `${who}: one event for each version up to ${dossier.version}`,
  );
  const lastKnown = Math.max(c.version, ...c.saves.map((s) => s.version));
  const mayBump = inFlight?.op === 'save' || inFlight?.op === 'submit';
  assert.ok(dossier.version === lastKnown || (mayBump && dossier.version === lastKnown + 1), `${who}: version ${dossier.version} after the last acknowledged ${lastKnown} (in flight: ${inFlight?.op ?? 'nothing'})`);
  for (const s of c.saves) {
    const at = events.filter((e) => Number(e.version) === s.version && ['create', 'edit'].includes(e.event));
    assert.equal(at.length, 1, `${who}: the acknowledged save of version ${s.version} is in the history once`);
  }

  // content: the last save that landed is what the dossier says: the last acknowledged one, or the one in flight
  const lastSaveVersion = Math.max(...events.filter((e) => ['create', 'edit'].includes(e.event)).map((e) => Number(e.version)));
  const acked = c.saves.find((s) => s.version === lastSaveVersion);
  const address = (JSON.parse(dossier.data) as { contact: { address: string } }).contact.address;
  if (acked) assert.equal(address, acked.address, `${who}: the last acknowledged save's content is there`);
  else {
    assert.equal(inFlight?.op, 'save', `${who}: a version no answer named can only be the save in flight`);
    assert.equal(address, (inFlight as { address: string }).address);
  }

  // submits: one submission at most, the one an answer called new; each acknowledged key kept once with its answer
  const submitEvents = events.filter((e) => e.event === 'submit');
  const now = c.submits.filter((s) => s.submittedNow);
  assert.ok(now.length <= 1, `${who}: at most one answer says it submitted`);
  if (c.submits.length > 0) {
    assert.equal(dossier.status, 'submitted');
    assert.equal(submitEvents.length, 1, `${who}: one submission`);
  } else assert.ok(submitEvents.length <= (inFlight?.op === 'submit' ? 1 : 0), `${who}: no submission but the one in flight`);
  if (now[0]) assert.equal(Number(submitEvents[0]!.version), now[0].version, `${who}: the submission is the one acknowledged as new`);
  for (const s of c.submits) {
    const rows = keys.filter((k) => k.key === s.key);
    assert.equal(rows.length, 1, `${who}: key ${s.key} kept once`);
    assert.equal(rows[0]!.operation, 'dossier.submit');
    assert.equal(rows[0]!.response, s.json, `${who}: key ${s.key} keeps the answer given`);
    if (s.code) assert.equal(dossier.code, s.code);
  }

  // uploads: each acknowledged evidence file once, with its file; the photo is the last one acknowledged
  // (a new photo replaces the one before), or the one in flight
  const evidence = uploads.filter((u) => u.kind === 'evidence');
  for (const e of c.evidence) {
    const rows = evidence.filter((u) => u.id === e.id);
    assert.equal(rows.length, 1, `${who}: evidence ${e.id} stored once`);
    assert.equal(Number(rows[0]!.bytes), e.bytes);
  }
  assert.ok(evidence.length - c.evidence.length <= (inFlight?.op === 'evidence' ? 1 : 0), `${who}: no evidence but the acknowledged and the one in flight`);
  assert.equal(count(events, (e) => e.event === 'evidence'), evidence.length, `${who}: one history entry per evidence file`);
  const photos = uploads.filter((u) => u.kind === 'photo');
  const lastPhoto = c.photos.at(-1);
  if (lastPhoto) {
    assert.equal(photos.length, 1, `${who}: one photo`);
    if (inFlight?.op !== 'photo') assert.equal(photos[0]!.id, lastPhoto.id, `${who}: the photo is the last acknowledged`);
    else if (photos[0]!.id === lastPhoto.id) assert.equal(Number(photos[0]!.bytes), lastPhoto.bytes);
  }
  const photoEvents = count(events, (e) => e.event === 'photo');
  assert.ok(photoEvents === c.photos.length || (inFlight?.op === 'photo' && photoEvents === c.photos.length + 1), `${who}: one history entry per photo`);
  for (const u of uploads) {
    const file = path.join(dataDir, 'uploads', u.storage_path);
    assert.equal(sha(fs.readFileSync(file)), u.sha256, `${who}: the file of upload ${u.id} is whole`);
  }
}

const TEST_URL = process.env['TEST_DATABASE_URL'];

for (const kind of ['sqlite', 'postgres'] as DbKind[]) {
  const skip = kind === 'postgres' && !TEST_URL ? 'needs PostgreSQL: set TEST_DATABASE_URL (CI does)' : false;
  test(`SIGKILL under write load loses no acknowledged write and repeats none [${kind}]`, { skip, timeout: 180_000 }, async (t) => {
    const { url: dbUrl, destroy } = await emptyDatabase(kind);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-crash-'));
    const servers: RunningServer[] = [];
    let db: Db | null = null;
    t.after(async () => {
      for (const s of servers) await s.stop();
      await db?.close();
      await destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
    const t0 = Date.now();
    const took = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
    await Promise.all([prepareDatabase(dbUrl), drawImages()]);
    // no demo simulators (nothing here uses them); the data folder holds the uploads and the key file; a test
    // database on another host without TLS is the test's choice, not a production setting (config.ts)
    const env = { DATABASE_URL: dbUrl, DATA_DIR: dataDir, DEMO_DATA: 'false', NOTIFY_PROVIDER: 'none', ALLOW_INSECURE_LINKS: 'true' };
    const first = await startApp(env);
    servers.push(first);
    t.diagnostic(`server up at ${took()}`);
    const base = first.url;

    // set-up (acknowledged like the rest): sign in, the whole dossier in one save, a photo
    const setup = await createDb({ url: dbUrl, poolSize: 1 });
    const ids = new Map((await setup.read.selectFrom('users').select(['id', 'username']).where('role', '=', 'candidate').execute()).map((u) => [u.username, u.id]));
    await setup.close();
    const clients = await Promise.all(
      DEMO_CLASS.map(async ([name, gender, dob], i) => {
        const username = demoPersonalNumber(i);
        const c = await signIn(base, i, username, ids.get(username)!);
        const address = addressOf(c, 0);
        const body = goodDossier(username, {
          personal: { fullName: name, gender: gender === 'M' ? 'male' : 'female', dateOfBirth: dob, birthPlace: { provinceCode: '01' }, ethnicityCode: '01', nationality: 'VN', idNumber: username },
          contact: { phone: '0912 345 678', email: `thisinh${i}@example.vn`, address },
        });
        const r = await call(c, base, 'PATCH', '/api/dossier', { headers: { 'if-match': '"0"' }, body: JSON.stringify(body) });
        const text = await r.text();
        assert.equal(r.status, 200, `candidate ${i} fills the dossier: ${text.slice(0, 500)}`);
        const d = (JSON.parse(text) as { dossier: { id: string; version: number } }).dossier;
        c.dossierId = d.id;
        c.version = d.version;
        c.saves.push({ version: d.version, address });
        await upload(c, base, 'photo', i);
        assert.deepEqual(c.unexpected, []);
        return c;
      }),
    );

    // the load: the first ones write until the kill, the last AT_KILL submit for the first time at it
    const writers = clients.slice(0, clients.length - AT_KILL);
    const atKill = clients.slice(clients.length - AT_KILL);
    const stop = { now: false };
    const counts = () => clients.map((c) => ({ saves: c.saves.length - 1, submits: c.submits.length, photos: c.photos.length - 1, evidence: c.evidence.length }));
    const before = counts();
    t.diagnostic(`set up at ${took()}`);
    const running = writers.map((c) => writeLoad(c, base, stop, kind));
    const loadStart = Date.now();
    const enough = (c: Client) => c.saves.length >= 3 && c.submits.length >= 1 && c.evidence.length >= 1;
    while (Date.now() - loadStart < LOAD_MS || (!writers.every(enough) && Date.now() - loadStart < MAX_LOAD_MS)) await sleep(50);
    const loadMs = Date.now() - loadStart;
    const exited = new Promise<void>((resolve) => (hasEnded(first.child) ? resolve() : first.child.once('exit', () => resolve())));
    // the first of them a moment before the kill (answered or not, as it happens), the last in the same
    // tick as the kill (never answered: a submit whose fate the candidate cannot know)
    const lastSubmit = (c: Client) =>
      submit(c, base, `crash-${kind}-last-${c.index}`).catch((e: unknown) => {
        if (e instanceof assert.AssertionError) throw e;
      });
    const lastSubmits = atKill.slice(0, -1).map(lastSubmit);
    await sleep(2);
    lastSubmits.push(lastSubmit(atKill.at(-1)!));
    assert.ok(first.child.kill('SIGKILL'), 'the server is killed');
    await exited;
    stop.now = true;
    await Promise.all([...running, ...lastSubmits]);
    assert.equal(first.child.signalCode, 'SIGKILL');
    // stop() of a process already killed returns at once
    const stopped = await Promise.race([first.stop().then(() => true), sleep(2000).then(() => false)]);
    assert.ok(stopped, 'stop() returns for a process that is already dead');

    // what the load got answered (beyond the set-up's save and photo), of every kind
    const sum = (k: keyof ReturnType<typeof counts>[number]) => counts().reduce((n, x) => n + x[k], 0) - before.reduce((n, x) => n + x[k], 0);
    const inFlight = clients.map((c) => c.inFlight?.op).filter(Boolean);
    t.diagnostic(
      `${loadMs} ms of load, then SIGKILL at ${took()}: ${sum('saves')} saves, ${sum('submits')} submits, ${sum('photos')} photos, ${sum('evidence')} evidence files acknowledged; in flight: ${inFlight.join(' ')}`,
    );
    for (const k of ['saves', 'submits', 'photos', 'evidence'] as const) assert.ok(sum(k) > 0, `the load had ${k} acknowledged`);

    // the restart on the same database and data folder
    const second = await startApp(env);
    servers.push(second);
    db = await createDb({ url: dbUrl, poolSize: 2 });
    t.diagnostic(`restarted at ${took()}`);
    for (const c of clients) await checkClient(db, c, dataDir);

    // through the API, with the sessions opened before the crash: the dossier at its version, each
    // acknowledged submit key answered again with the answer given, each evidence file served whole
    for (const c of clients) {
      const r = await call(c, second.url, 'GET', '/api/dossier');
      assert.equal(r.status, 200, `candidate ${c.index}'s session survives the restart`);
      const view = (await r.json()) as { dossier: { version: number; photoUploaded: boolean }; uploads: Array<{ id: string }> };
      const row = await db.read.selectFrom('dossiers').select('version').where('id', '=', c.dossierId).executeTakeFirstOrThrow();
      assert.equal(view.dossier.version, row.version);
      assert.equal(r.headers.get('etag'), `"${row.version}"`);
      assert.ok(view.dossier.photoUploaded);
      for (const e of c.evidence) assert.ok(view.uploads.some((u) => u.id === e.id), `evidence ${e.id} is listed`);
      for (const s of c.submits) {
        const again = await call(c, second.url, 'POST', '/api/dossier/submit', { headers: { 'idempotency-key': s.key }, body: '{}' });
        assert.equal(again.status, 200);
        assert.equal(again.headers.get('idempotent-replayed'), 'true', `key ${s.key} is a replay after the restart`);
        assert.equal(await again.text(), s.json);
      }
      for (const e of c.evidence.slice(-2)) {
        const f = await call(c, second.url, 'GET', `/api/dossier/evidence/${e.id}`);
        assert.equal(f.status, 200);
        assert.equal(Buffer.from(await f.arrayBuffer()).length, e.bytes);
      }
    }

    // a submit that was in flight, sent again with its key: one submission, whatever the crash left
    const retried = clients.filter((c) => c.inFlight?.op === 'submit');
    assert.ok(retried.includes(atKill.at(-1)!), 'the submit sent with the kill was never answered');
    for (const c of atKill) assert.ok(c.submits.length === 1 || c.inFlight?.op === 'submit', `candidate ${c.index}'s submit at the kill was answered or is in flight`);
    for (const c of retried) {
      const key = (c.inFlight as { key: string }).key;
      const r = await call(c, second.url, 'POST', '/api/dossier/submit', { headers: { 'idempotency-key': key }, body: '{}' });
      const json = await r.text();
      assert.equal(r.status, 200, `the retried submit of candidate ${c.index}: ${json.slice(0, 300)}`);
      assert.equal((JSON.parse(json) as { status: string }).status, 'submitted');
      const twice = await call(c, second.url, 'POST', '/api/dossier/submit', { headers: { 'idempotency-key': key }, body: '{}' });
      assert.equal(twice.headers.get('idempotent-replayed'), 'true');
      assert.equal(await twice.text(), json, 'the retry is answered the same way again');
    }
    for (const c of clients) {
      const events = await db.read.selectFrom('dossier_events').select('event').where('dossier_id', '=', c.dossierId).where('event', '=', 'submit').execute();
      assert.equal(events.length, c.submits.length > 0 || c.inFlight?.op === 'submit' ? 1 : 0, `candidate ${c.index}: one submission`);
      const keys = await db.read.selectFrom('idempotency_keys').select('key').where('actor_id', '=', c.userId).execute();
      assert.equal(new Set(keys.map((k) => k.key)).size, keys.length, `candidate ${c.index}: no key stored twice`);
    }
    t.diagnostic(`checked at ${took()}`);
  });
}
