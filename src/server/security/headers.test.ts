// The headers on the browser app and the API: a CSP the SPA's own page satisfies (no inline script or
// style), HSTS only when the answer went over https, and no-store on a person's data.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { testApp } from '../../../test/helpers/app.ts';
import { buildWorld, quietEnv, sessionHeaders, type World } from '../accounts/test-support.ts';
import { loadConfig, type Config } from '../config.ts';
import { webRoutes, WEB_DIST } from '../web/static.ts';
import helmet from '@fastify/helmet';
import { CSP_DIRECTIVES, registerSecurityHeaders, SECURITY_HEADERS } from './headers.ts';

/** Inline script or style in an HTML page: what a CSP without 'unsafe-inline' would block. */
function inlineContent(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) if (!/\bsrc=/.test(m[1]!) || m[2]!.trim()) found.push(m[0].slice(0, 80));
  for (const m of html.matchAll(/<style\b[^>]*>/gi)) found.push(m[0]);
  for (const m of html.matchAll(/\s(style|on[a-z]+)=["']/gi)) found.push(m[0].trim());
  return found;
}

test('the SPA page has no inline script or style, so the CSP needs no unsafe-inline (the source, and the build when present)', () => {
  const source = fs.readFileSync(new URL('../../web/index.html', import.meta.url), 'utf8');
  // the source's one script is the module entry, which Vite turns into /assets/index-*.js
  assert.deepEqual(inlineContent(source), []);
  const built = path.join(WEB_DIST, 'index.html');
  if (fs.existsSync(built)) assert.deepEqual(inlineContent(fs.readFileSync(built, 'utf8')), []);
});

test('the page, its assets and unknown URLs carry the CSP; the page is revalidated, assets cached, the rest no-store', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-web-'));
  fs.mkdirSync(path.join(root, 'assets'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><script type="module" src="/assets/a.js"></script>');
  fs.writeFileSync(path.join(root, 'assets', 'a.js'), 'console.log(1)');
  const app = Fastify();
  await registerSecurityHeaders(app, loadConfig({ NODE_ENV: 'test' }));
  await webRoutes(app, { root });
  try {
    const page = await app.inject({ url: '/verify', headers: { accept: 'text/html' } });
    assert.equal(page.statusCode, 200);
    const csp = String(page.headers['content-security-policy']);
    for (const d of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) assert.ok(csp.includes(d), `${d} in ${csp}`);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    assert.equal(page.headers['cache-control'], 'no-cache');
    assert.equal(page.headers['strict-transport-security'], undefined, 'no HSTS over plain http');
    const asset = await app.inject({ url: '/assets/a.js' });
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(asset.headers['x-content-type-options'], 'nosniff');
    const missing = await app.inject({ url: '/api/nothing' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.headers['cache-control'], 'no-store');
  } finally {
    await app.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the header set computed once at start is exactly what helmet sets with the options the service used it with', async () => {
  const names = (h: Record<string, unknown>) => Object.keys(h).filter((k) => !['content-type', 'content-length', 'date', 'connection', 'cache-control'].includes(k));
  const withHelmet = Fastify();
  await withHelmet.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
  withHelmet.get('/x', async () => ({ ok: true }));
  const ours = Fastify();
  await registerSecurityHeaders(ours, loadConfig({ NODE_ENV: 'test' }));
  ours.get('/x', async () => ({ ok: true }));
  try {
    const expected = (await withHelmet.inject({ url: '/x' })).headers;
    const got = (await ours.inject({ url: '/x' })).headers;
    assert.deepEqual(names(got).sort(), names(expected).sort());
    for (const k of names(expected)) assert.equal(got[k], expected[k], k);
    assert.equal(SECURITY_HEADERS.length, names(expected).length);
  } finally {
    await withHelmet.close();
    await ours.close();
  }
});

test('a route that sets a header of the set itself replaces it', async () => {
  const app = Fastify();
  await registerSecurityHeaders(app, loadConfig({ NODE_ENV: 'test' }));
  app.get('/own', async (_req, reply) => reply.header('content-security-policy', "default-src 'none'").send('x'));
  try {
    const r = await app.inject({ url: '/own' });
    assert.equal(r.headers['content-security-policy'], "default-src 'none'");
    assert.equal(r.headers['x-frame-options'], 'DENY');
  } finally {
    await app.close();
  }
});

test('HSTS: sent when a trusted proxy says https, or on an https PUBLIC_URL without a proxy; never over plain http', async () => {
  const cases: Array<[Record<string, string>, Record<string, string>, boolean]> = [
    [{ TRUST_PROXY: 'true' }, { 'x-forwarded-proto': 'https' }, true],
    [{ TRUST_PROXY: 'true' }, {}, false],
    // an untrusted client cannot switch it on (nor is it harmful if it could: browsers ignore HSTS over http)
    [{ TRUST_PROXY: 'false' }, { 'x-forwarded-proto': 'https' }, false],
    [{ PUBLIC_URL: 'https://thi.example.vn' }, {}, true],
  ];
  for (const [env, headers, expected] of cases) {
    const config = loadConfig({ NODE_ENV: 'test', ...env });
    const app = Fastify({ trustProxy: config.TRUST_PROXY });
    await registerSecurityHeaders(app, config);
    app.get('/x', async () => ({ ok: true }));
    const r = await app.inject({ url: '/x', headers });
    assert.equal(r.headers['strict-transport-security'] !== undefined, expected, `${JSON.stringify(env)} ${JSON.stringify(headers)}`);
    if (expected) assert.match(String(r.headers['strict-transport-security']), /max-age=31536000/);
    await app.close();
  }
});

let t: TestDb;
let app: FastifyInstance;
let config: Config;
let world: World;
before(async () => {
  t = await createTestDb('sqlite');
  ({ app, config } = await testApp(t.db, { env: quietEnv() }));
  world = await buildWorld(t.db, new Date());
});
after(async () => {
  await app?.close();
  await t?.drop();
});

test('a signed-in answer is no-store; the API docs UI keeps its hashed CSP but may not be framed either', async () => {
  const me = await app.inject({ url: '/api/session/me', headers: await sessionHeaders(t.db, config, world.ids.candidateA, new Date()) });
  assert.equal(me.statusCode, 200, me.body);
  assert.equal(me.headers['cache-control'], 'no-store');
  const docs = await app.inject({ url: '/api/openapi.json' });
  assert.equal(docs.statusCode, 200);
  const ui = await app.inject({ url: '/api/docs/static/index.html' });
  assert.match(String(ui.headers['content-security-policy']), /frame-ancestors 'none'/);
});
