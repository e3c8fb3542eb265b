// What every command receives: the database, the clock and a logger, plus the actor when there is one.
// The clock is injected so tests can stand at 16:59:59 and 17:00:00 on the closing day.
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Db } from './db/create-db.ts';

export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

export interface Services {
  config: Config;
  db: Db;
  clock: Clock;
  log: Logger;
}
