// What the process shares (Services) and what every command receives (Ctx): the database, who is acting,
// the request's clock reading, a logger, and where the request came from. The clock is injected so tests
// can stand at 16:59:59 and 17:00:00 on the closing day. Anything else a command needs (a folder, a
// runtime object) is an explicit argument, never a global.
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Db } from './db/create-db.ts';
import type { Actor } from './policy/policy.ts';

export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

export interface Services {
  config: Config;
  db: Db;
  clock: Clock;
  log: Logger;
}

/** The one command context. */
export interface Ctx {
  readonly db: Db;
  readonly actor: Actor;
  readonly now: Date;
  readonly log: Logger;
  /** the client's address (behind a trusted proxy, the forwarded one); null outside a request */
  readonly ip: string | null;
}

/** The context of a request: built once per handler call, with one clock reading. */
export function ctxOf(s: Services, req: FastifyRequest): Ctx {
  return { db: s.db, actor: req.actor, now: s.clock(), log: req.log as unknown as Logger, ip: req.ip ?? null };
}

/** A context for work outside a request (the worker, a command-line tool): the system acts. */
export function systemCtx(s: Pick<Services, 'db' | 'clock' | 'log'>, now: Date = s.clock()): Ctx {
  return { db: s.db, actor: { kind: 'anonymous' }, now, log: s.log, ip: null };
}
