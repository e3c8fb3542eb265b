// The hardening findings, each probed as it was found (issue 19), through the whole app on SQLite and
// PostgreSQL: active PDFs and decompression bombs, deep JSON on every write route, /metrics behind a token
// or an operator, HSTS only over https.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import PDFDocument from 'pdfkit';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { METRICS_AUTH, testApp, testClock, type TestClock } from '../../../test/helpers/app.ts';
import { quietEnv } from '../accounts/test-support.ts';
import type { Config } from '../config.ts';
import type { UserActor } from '../policy/policy.ts';
import { registeredRoutes } from '../http/auth.ts';
import { AT, buildRegWorld, goodDossier, type RegWorld } from '../dossiers/test-fixtures.ts';
import { headersFor } from '../dossiers/test-fixtures.ts';
import { pdfActiveContent } from './active-content.ts';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from './body-guards.ts';

type Json = Record<string, any>;

function form(name: string, bytes: Buffer, fields: Record<string, string> = {}) {
  const b = '----sec' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), bytes, Buffer.from(`\r\n--${b}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
/** A PNG whose header announces width × height pixels, with (truncated) pixel data of a few bytes. */
export function bombPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // RGB
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.alloc(64 * 1024))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const JS_OPEN_ACTION = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n' +
    "3 0 obj\n<< /S /JavaScript /JS (app.alert\\('x'\\)) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
  'latin1',
);
/** The script hidden in a compressed object stream, its names written with #xx escapes. */
function hiddenJs(): Buffer {
  const inner = zlib.deflateSync(Buffer.from('3 0 << /S /J#61vaScript /J#53 (app.launchURL\\("x"\\)) >>', 'latin1'));
  return Buffer.concat([
    Buffer.from(`%PDF-1.5\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n4 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${inner.length} >>\nstream\n`, 'latin1'),
    inner,
    Buffer.from('\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1'),
  ]);
}
function cleanPdf(): Promise<Buffer> {
  return new Promise((resolve) => {
    const doc = new PDFDocument({ size: 'A4' });
    const parts: Buffer[] = [];
    doc.on('data', (d: Buffer) => parts.push(d));
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.fontSize(14).text('IELTS 6.5 - Test Report Form');
    doc.end();
  });
}

test('PDF scan: script, actions, files and forms are found, also inside compressed streams and behind #xx escapes', async () => {
  assert.deepEqual(pdfActiveContent(JS_OPEN_ACTION).sort(), ['JS', 'JavaScript', 'OpenAction']);
  assert.deepEqual(pdfActiveContent(hiddenJs()).sort(), ['JS', 'JavaScript']);
  assert.deepEqual(pdfActiveContent(Buffer.from('%PDF-1.4\n1 0 obj << /Names << /EmbeddedFiles 2 0 R >> /AcroForm 5 0 R >> endobj', 'latin1')).sort(), ['AcroForm', 'EmbeddedFiles']);
  // a name that merely starts like one is not one
  assert.deepEqual(pdfActiveContent(Buffer.from('%PDF-1.4\n<< /JSON 1 /AAA 2 /Launcher 3 >>', 'latin1')), []);
  assert.deepEqual(pdfActiveContent(await cleanPdf()), []);
});

test('JSON depth is measured without recursion, ignoring brackets inside strings', () => {
  assert.equal(jsonDepthExceeds('['.repeat(100_000) + ']'.repeat(100_000)), true);
  assert.equal(jsonDepthExceeds('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH)), false);
  assert.equal(jsonDepthExceeds('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1)), true);
  assert.equal(jsonDepthExceeds(JSON.stringify({ note: '['.repeat(1000) + '"\\"{{{' })), false);
});

describeEachDb('hardening probes', (getDb) => {
  let app: FastifyInstance;
  let clock: TestClock;
  let config: Config;
  let w: RegWorld;
  let dataDir: string;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-sec-'));
    w = await buildRegWorld(getDb().db);
    clock = testClock(AT.official);
    ({ app, config } = await testApp(getDb().db, { clock, env: quietEnv({ DATA_DIR: dataDir }) }));
    // uploads need a started dossier
    const started = await call(w.users.candA, 'PUT', '/api/dossier/sections/personal', { body: goodDossier().personal, headers: { 'if-match': '"0"' } });
    assert.equal(started.statusCode, 200, started.body);
  });
  after(async () => {
    await app?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function call(u: UserActor | null, method: string, url: string, o: { body?: unknown; raw?: string; headers?: Record<string, string>; payload?: Buffer } = {}): Promise<LightMyRequestResponse> {
    const headers = { ...(u ? await headersFor(getDb().db, config, u, clock()) : {}), ...(o.headers ?? {}) };
    if (o.payload) return app.inject({ method: method as 'POST', url, headers, payload: o.payload });
    if (o.raw !== undefined) return app.inject({ method: method as 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload: o.raw });
    return app.inject({ method: method as 'POST', url, headers, ...(o.body !== undefined ? { payload: o.body as object } : {}) });
  }
  const json = (r: LightMyRequestResponse): Json => r.json() as Json;

  test('an evidence PDF with an /OpenAction JavaScript is refused, naming the reason; a plain PDF is kept byte for byte', async () => {
    for (const [name, bytes] of [
      ['open-action.pdf', JS_OPEN_ACTION],
      ['hidden.pdf', hiddenJs()],
    ] as const) {
      const r = await call(w.users.candA, 'POST', '/api/dossier/evidence', form(name, bytes, { purpose: 'language_certificate' }));
      assert.equal(r.statusCode, 422, r.body);
      assert.equal(json(r).error.code, 'PDF_ACTIVE_CONTENT');
      assert.match(json(r).error.en, /JavaScript/);
      assert.match(json(r).error.vi, /JavaScript/);
    }
    const clean = await cleanPdf();
    const ok = await call(w.users.candA, 'POST', '/api/dossier/evidence', form('ielts.pdf', clean, { purpose: 'language_certificate' }));
    assert.equal(ok.statusCode, 201, ok.body);
    const back = await call(w.users.candA, 'GET', `/api/dossier/evidence/${json(ok).id}`);
    assert.equal(back.statusCode, 200);
    assert.ok(back.rawPayload.equals(clean));
    // the stored file and the folders made for it are the service user's alone
    const stored = (fs.readdirSync(path.join(dataDir, 'uploads'), { recursive: true }) as string[]).map((p) => path.join(dataDir, 'uploads', p));
    assert.ok(stored.some((p) => p.endsWith('.pdf')));
    for (const p of stored) assert.equal((fs.statSync(p).mode & 0o777).toString(8), fs.statSync(p).isDirectory() ? '700' : '600', p);
  });

  test('a 100-megapixel PNG is refused by its pixel count, not as a wrong file type (photo and evidence)', async () => {
    const bomb = bombPng(10_000, 10_000);
    assert.ok(bomb.length < 1024 * 1024, 'small on the wire');
    const photo = await call(w.users.candA, 'POST', '/api/dossier/photo', form('bomb.png', bomb));
    assert.equal(photo.statusCode, 422, photo.body);
    assert.equal(json(photo).error.code, 'IMAGE_TOO_MANY_PIXELS');
    assert.match(json(photo).error.en, /10000×10000 px/);
    const ev = await call(w.users.candA, 'POST', '/api/dossier/evidence', form('bomb.png', bomb, { purpose: 'other' }));
    assert.equal(ev.statusCode, 422, ev.body);
    assert.equal(json(ev).error.code, 'IMAGE_TOO_MANY_PIXELS');
  });

  test('a 100,000-deep JSON body is a 400 naming the nesting on desk registration, and no write route answers 5xx to it', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const desk = await call(w.users.pointOther, 'POST', '/api/desk-registrations', { raw: `{"dossier":{"personal":${deep}},"documentsChecked":["cccd"]}`, headers: { 'idempotency-key': 'desk-deep-0001' } });
    assert.equal(desk.statusCode, 400, desk.body);
    assert.equal(json(desk).error.fields[0].code, 'TOO_DEEP');
    const failures: string[] = [];
    for (const r of registeredRoutes(app).filter((x) => x.method === 'POST' || x.method === 'PUT' || x.method === 'PATCH')) {
      const url = r.url.replace(/:[A-Za-z]+/g, 'x').replace('*', 'x');
      for (const u of [w.users.candA, w.users.pointA, w.users.ministry]) {
        for (const raw of [deep, `{"a":${deep}}`]) {
          const res = await call(u, r.method, url, { raw, headers: { 'if-match': '"1"', 'idempotency-key': 'deep-key-0001' } });
          if (res.statusCode >= 500) failures.push(`${r.method} ${r.url} as ${u.role}: ${res.statusCode} ${res.body.slice(0, 120)}`);
        }
      }
    }
    assert.deepEqual(failures, []);
  });

  test('personal numbers never travel in an address: the queue search and the support look-up take a body', async () => {
    const inUrl = await call(w.users.pointA, 'GET', `/api/verification/queue?q=${w.cccd.candA}`);
    assert.equal(inUrl.statusCode, 400, inUrl.body);
    assert.equal(json(inUrl).error.code, 'VALIDATION_FAILED');
    const search = await call(w.users.pointA, 'POST', '/api/verification/queue/search', { body: { q: w.cccd.candA } });
    assert.equal(search.statusCode, 200, search.body);
    assert.deepEqual(json(search).items.map((i: Json) => i.fullName), ['NGUYỄN VĂN AN']);
    assert.equal((await call(w.users.ministry, 'GET', `/api/support/candidates?idNumber=${w.cccd.candA}`)).statusCode, 404);
  });

  test('identity: a number not the account’s and a school-listed 12th-grader declaring a graduated free candidate are findings the point sees', async () => {
    const personal = { ...goodDossier(w.cccd.candA).personal, fullName: 'Trần Thị Bình', gender: 'female', dateOfBirth: '2008-07-02' };
    const r = await call(w.users.candB, 'PUT', '/api/dossier/sections/personal', { body: personal, headers: { 'if-match': '"0"' } });
    assert.equal(r.statusCode, 200, r.body);
    const status = await call(w.users.candB, 'PUT', '/api/dossier/sections/status', { body: { candidateType: 'free', graduated: true, programme: 'CT2018', track: 'THPT' }, headers: { 'if-match': '"1"' } });
    assert.equal(status.statusCode, 200, status.body);
    const view = json(await call(w.users.pointA, 'GET', `/api/dossiers/${json(status).dossier.id}`));
    const codes = (view.findings ?? view.dossier.findings).map((f: Json) => `${f.code}@${f.field}:${f.severity}`);
    assert.ok(codes.includes('ID_NUMBER_NOT_ACCOUNT@personal.idNumber:warning'), codes.join(' '));
    assert.ok(codes.includes('STATUS_NOT_AS_IMPORTED@status.candidateType:warning'), codes.join(' '));
    // the queue's "check the ID" filter finds it
    const flagged = await call(w.users.pointA, 'GET', '/api/verification/queue?flags=cccd_mismatch');
    assert.equal(flagged.statusCode, 200, flagged.body);
    assert.ok(json(flagged).items.some((i: Json) => i.fullName === 'TRẦN THỊ BÌNH'), flagged.body.slice(0, 300));
  });

  test('/metrics answers a scraper with the configured token and an operator, no one else', async () => {
    assert.equal((await call(null, 'GET', '/metrics')).statusCode, 401);
    assert.equal((await call(null, 'GET', '/metrics', { headers: { authorization: 'Bearer wrong-token-0123456789xx' } })).statusCode, 401);
    assert.equal((await call(w.users.candA, 'GET', '/metrics')).statusCode, 403);
    assert.equal((await call(w.users.pointA, 'GET', '/metrics')).statusCode, 403);
    const op = await call(w.users.ministry, 'GET', '/metrics');
    assert.equal(op.statusCode, 200);
    assert.match(op.body, /http_request_duration_seconds/);
    const scraper = await call(null, 'GET', '/metrics', { headers: METRICS_AUTH });
    assert.equal(scraper.statusCode, 200);
    assert.match(scraper.body, /db_write_queue_depth/);
    assert.equal(scraper.headers['cache-control'], 'no-store');
  });
});
