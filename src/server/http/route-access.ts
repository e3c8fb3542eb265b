// Every route says who may reach it, in its route config, so the authorization matrix test can walk the
// route table and fail on a route without a decision:
//   config: { access: 'public' }         anyone (health, sign-in, static files, the API docs)
//   config: { access: 'signed_in' }      any signed-in user, on their own account (me, sign-out, change password)
//   config: { access: 'action', action } a policy action; the handler calls authorize(req.actor, action, resource)
//                                        with the record it loaded, or scopeOf(req.actor, action) for a list
import type { Action } from '../policy/policy.ts';

export type RouteAccess = { access: 'public' } | { access: 'signed_in' } | { access: 'action'; action: Action };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess['access'];
    action?: Action;
  }
}
