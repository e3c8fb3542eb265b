// The context every accounts command receives: the services, the per-process runtime, who is acting,
// the request's clock reading and address. The caller (a route) builds it; commands own no globals.
import type { FastifyBaseLogger } from 'fastify';
import type { Services } from '../context.ts';
import type { Actor } from '../policy/policy.ts';
import type { AccountsRuntime } from './runtime.ts';

export interface AccountsCtx {
  s: Services;
  rt: AccountsRuntime;
  actor: Actor;
  now: Date;
  ip: string | null;
  log: FastifyBaseLogger;
}
