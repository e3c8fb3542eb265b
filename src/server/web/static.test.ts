import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Fastify from 'fastify';
import { webRoutes } from './static.ts';

// A built app as vite.config.ts's precompress step leaves it: each text file with its .br and .gz beside it.
function builtRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-web-'));
  fs.mkdirSync(path.join(root, 'assets'));
  const put = (rel: string, body: string) => {
    fs.writeFileSync(path.join(root, rel), body);
    fs.writeFileSync(path.join(root, `${rel}.br`), zlib.brotliCompressSync(body));
    fs.writeFileSync(path.join(root, `${rel}.gz`), zlib.gzipSync(body));
  };
  put('index.html', `<!doctype html><html><head><script type="module" src="/assets/index-abc.js"></script></head><body>${'<!-- pad -->'.repeat(100)}</body></html>`);
  put('assets/index-abc.js', `console.log(${JSON.stringify('x'.repeat(5000))});`);
  return root;
}

test('static files go out pre-compressed: brotli when accepted, else gzip, else as they are; always with Vary: Accept-Encoding', async () => {
  const root = builtRoot();
  const app = Fastify();
  await webRoutes(app, { root });
  try {
    const js = fs.readFileSync(path.join(root, 'assets/index-abc.js'));
    const br = await app.inject({ method: 'GET', url: '/assets/index-abc.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(br.statusCode, 200);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.match(String(br.headers['content-type']), /javascript/);
    assert.match(String(br.headers.vary), /accept-encoding/i);
    assert.match(String(br.headers['cache-control']), /immutable/);
    assert.ok(br.rawPayload.length < js.length / 4, `sent ${br.rawPayload.length} bytes of ${js.length}`);
    assert.deepEqual(zlib.brotliDecompressSync(br.rawPayload), js);

    const gz = await app.inject({ method: 'GET', url: '/assets/index-abc.js', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.deepEqual(zlib.gunzipSync(gz.rawPayload), js);

    const plain = await app.inject({ method: 'GET', url: '/assets/index-abc.js', headers: { 'accept-encoding': 'identity' } });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.match(String(plain.headers.vary), /accept-encoding/i);
    assert.deepEqual(plain.rawPayload, js);

    // the SPA's shell too, and never cached
    const html = await app.inject({ method: 'GET', url: '/dang-nhap', headers: { accept: 'text/html', 'accept-encoding': 'br' } });
    assert.equal(html.statusCode, 200);
    assert.equal(html.headers['content-encoding'], 'br');
    assert.match(String(html.headers['content-type']), /text\/html/);
    assert.equal(html.headers['cache-control'], 'no-cache');
    assert.match(zlib.brotliDecompressSync(html.rawPayload).toString(), /index-abc\.js/);
  } finally {
    await app.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
