// A small app for route tests of the back office: the real error handler, validators and routes, with
// a test-only hook that takes the actor from a header (the accounts feature's session plugin is tested
// on its own).
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Db } from '../db/create-db.ts';
import { loadConfig } from '../config.ts';
import { registerErrorHandler } from '../http/error-handler.ts';
import { decorateActor } from '../http/actor.ts';
import type { Actor } from '../policy/policy.ts';
import type { Clock, Services } from '../context.ts';
import { closeRenderPool } from '../render/pool.ts';

export async function backOfficeTestApp(db: Db, clock: Clock, routes: Array<(app: FastifyInstance, s: Services) => Promise<void>>): Promise<FastifyInstance> {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app, () => false);
  decorateActor(app);
  app.addHook('onRequest', async (req) => {
    const h = req.headers['x-test-actor'];
    if (typeof h === 'string') req.actor = JSON.parse(h) as Actor;
  });
  const s: Services = { config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: 'sqlite:unused', MAX_EVENT_LOOP_DELAY_MS: '0' }), db, clock, log: pino({ level: 'silent' }) };
  for (const r of routes) await r(app, s);
  app.addHook('onClose', () => closeRenderPool(s));
  await app.ready();
  return app;
}

export const as = (a: Actor) => ({ 'x-test-actor': JSON.stringify(a) });
