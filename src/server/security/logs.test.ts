// At LOG_LEVEL=debug every request is logged with its address: query strings (a credential slip's key, a
// queue search) and personal numbers in a path never reach the line as they were sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { loggerOptions, maskUrl } from '../logger.ts';
import { createTestDb } from '../../../test/helpers/db.ts';

test('maskUrl masks every query value and digit runs that could be a personal number', () => {
  assert.equal(maskUrl('/api/x?key=abc&limit=5&flag'), '/api/x?key=[redacted]&limit=[redacted]&flag');
  assert.equal(maskUrl('/api/users/001208012345/x'), '/api/users/0012******45/x');
  assert.equal(maskUrl('/api/dossier'), '/api/dossier');
});

test('debug request logs carry no key, no search and no personal number', async () => {
  const lines: string[] = [];
  const out = new Writable({
    write(c, _e, cb) {
      lines.push(String(c));
      cb();
    },
  });
  const t = await createTestDb('sqlite');
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'debug', DATABASE_URL: 'sqlite:unused' });
  const app = await buildApp({ config, db: t.db, clock: () => new Date(), log: pino(loggerOptions('debug'), out) });
  try {
    await app.ready();
    await app.inject({ url: '/api/points/p1/issuances/i1/slips.pdf?key=SECRETKEY123456' });
    await app.inject({ url: '/api/verification/queue?q=001208012345' });
    await app.inject({ url: '/api/support/candidates?idNumber=001308054321' });
    const text = lines.join('');
    assert.match(text, /incoming request/, 'request logging is on at debug');
    // each request's logger is made lazily, on its first line, and still carries the request's id
    const incoming = lines.map((l) => JSON.parse(l) as { msg?: string; reqId?: string }).filter((l) => l.msg === 'incoming request');
    assert.equal(incoming.length, 3);
    assert.ok(incoming.every((l) => typeof l.reqId === 'string' && l.reqId.length > 0));
    assert.equal(new Set(incoming.map((l) => l.reqId)).size, 3);
    assert.match(text, /slips\.pdf\?key=\[redacted\]/);
    for (const secret of ['SECRETKEY123456', '001208012345', '001308054321']) assert.ok(!text.includes(secret), `${secret} logged`);
  } finally {
    await app.close();
    await t.drop();
  }
});
