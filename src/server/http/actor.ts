// Every request carries an actor: anonymous until the auth plugin (accounts feature) resolves the
// session cookie. Handlers read req.actor and pass it to the policy layer; nothing else decides access.
import type { FastifyInstance } from 'fastify';
import type { Actor } from '../policy/policy.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
}

const ANONYMOUS: Actor = Object.freeze({ kind: 'anonymous' });

export function decorateActor(app: FastifyInstance): void {
  app.decorateRequest('actor', null as never);
  app.addHook('onRequest', (req, _reply, done) => {
    req.actor = ANONYMOUS;
    done();
  });
}
