// The compiled response serializer: it writes only the declared fields (no internal column leaks), and in
// tests an answer that does not match its contract fails loudly instead of reaching the browser.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { serializerCompilerFor } from './serializer.ts';

const shape = z.object({ id: z.string(), count: z.number().int(), note: z.string().nullable(), tags: z.array(z.string()), nested: z.object({ ok: z.boolean() }) });

async function appWith(check: boolean, answer: unknown, errors: unknown[] = []) {
  const app = Fastify();
  app.setErrorHandler((e, _req, reply) => {
    errors.push(e);
    void reply.status(500).send({ error: 'contract' });
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompilerFor(check));
  app.withTypeProvider<ZodTypeProvider>().get('/x', { schema: { response: { 200: shape } } }, async () => answer as never);
  await app.ready();
  return app;
}

describe('response serializer', () => {
  const good = { id: 'a', count: 2, note: null, tags: ['t'], nested: { ok: true } };

  it('writes the declared fields only: an extra property never leaves the server', async () => {
    const app = await appWith(false, { ...good, passwordHash: 'secret', nested: { ok: true, internal: 1 } });
    const r = await app.inject({ method: 'GET', url: '/x' });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(JSON.parse(r.body), good);
    assert.doesNotMatch(r.body, /secret|internal/);
  });

  it('in tests, an answer that breaks its contract fails the request and names the route', async () => {
    const errors: unknown[] = [];
    const app = await appWith(true, { ...good, count: 'two' }, errors);
    const r = await app.inject({ method: 'GET', url: '/x' });
    assert.equal(r.statusCode, 500);
    assert.match(String((errors[0] as Error).message), /GET \/x.*count/s);
  });

  it('in tests, a matching answer passes through unchanged', async () => {
    const app = await appWith(true, good);
    const r = await app.inject({ method: 'GET', url: '/x' });
    assert.deepEqual(JSON.parse(r.body), good);
  });
});
