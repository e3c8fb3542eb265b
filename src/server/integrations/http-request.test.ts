import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { keptAliveAgents, RequestTimeoutError, sendRequest } from './http-request.ts';

let server: http.Server;
let base: URL;
let connections = 0;
const seen: Array<{ method: string; body: string; type: string | undefined; length: string | undefined }> = [];

before(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', body, type: req.headers['content-type'], length: req.headers['content-length'] });
      if (req.url === '/hang') return; // never answers
      if (req.url === '/cut') {
        // the headers and part of the body, then the connection drops
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"half":');
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      if (req.url === '/huge') {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = 'x'.repeat(64 * 1024);
        for (let i = 0; i < 40; i++) res.write(chunk);
        return res.end();
      }
      if (req.url === '/missing') {
        res.writeHead(404, { 'content-type': 'application/json' });
        return res.end('{"error":"not found"}');
      }
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ echo: body, path: req.url }));
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

test('a JSON body goes out whole with its length, the answer comes back whole, and one kept-alive connection serves requests in turn', async () => {
  const agents = keptAliveAgents();
  const first = connections;
  const body = JSON.stringify({ HoTen: 'Nguyễn Thị Ánh', n: 1 });
  for (let i = 0; i < 5; i++) {
    const r = await sendRequest(agents, new URL('/echo', base), 'POST', { 'content-type': 'application/json' }, body, 2000);
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.text), { echo: body, path: '/echo' }, 'the body (with its Vietnamese letters) arrives unchanged');
  }
  assert.equal(seen.at(-1)!.length, String(Buffer.byteLength(body)), 'content-length counts bytes, not letters');
  assert.equal(connections - first, 1, 'five requests in turn, one connection');
  const r = await sendRequest(agents, new URL('/missing', base), 'GET', {}, undefined, 2000);
  assert.deepEqual([r.status, JSON.parse(r.text)], [404, { error: 'not found' }], 'a 4xx is an answer, for the caller to judge');
  agents.http.destroy();
});

test('a link that does not answer in time is a timeout; one that drops mid-answer or answers too much is a failed exchange', async () => {
  const agents = keptAliveAgents();
  const t = performance.now();
  await assert.rejects(sendRequest(agents, new URL('/hang', base), 'GET', {}, undefined, 150), (e: unknown) => e instanceof RequestTimeoutError && e.name === 'TimeoutError');
  assert.ok(performance.now() - t < 2000, 'the timeout ends the wait');
  await assert.rejects(sendRequest(agents, new URL('/cut', base), 'GET', {}, undefined, 2000), (e: unknown) => e instanceof Error && !(e instanceof RequestTimeoutError));
  await assert.rejects(sendRequest(agents, new URL('/huge', base), 'GET', {}, undefined, 2000), /larger than/);
  // and the agent still serves the next request
  const r = await sendRequest(agents, new URL('/ok', base), 'GET', {}, undefined, 2000);
  assert.equal(JSON.parse(r.text).path, '/ok');
  agents.http.destroy();
});

test('nobody listening is a failed exchange at once, not a timeout', async () => {
  const agents = keptAliveAgents();
  const closed = http.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((r) => closed.close(r));
  await assert.rejects(sendRequest(agents, new URL(`http://127.0.0.1:${port}/`), 'GET', {}, undefined, 5000), (e: unknown) => e instanceof Error && /ECONNREFUSED/.test(e.message));
  agents.http.destroy();
});
