// Builds the whole app in-process on a test database, with a clock the test controls.
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig, type Config } from '../../src/server/config.ts';
import type { Db } from '../../src/server/db/create-db.ts';

/** /metrics answers a scraper sending this (every test app is configured with it). */
export const TEST_METRICS_TOKEN = 'test-metrics-token-0123456789';
export const METRICS_AUTH = { authorization: `Bearer ${TEST_METRICS_TOKEN}` };

export interface TestClock {
  (): Date;
  set(d: Date | string): void;
  advance(ms: number): void;
}

export function testClock(start: Date | string = new Date()): TestClock {
  let now = new Date(start);
  const clock = (() => new Date(now)) as TestClock;
  clock.set = (d) => {
    now = new Date(d);
  };
  clock.advance = (ms) => {
    now = new Date(now.getTime() + ms);
  };
  return clock;
}

export async function testApp(
  db: Db,
  opts: { clock?: TestClock; env?: Record<string, string> } = {},
): Promise<{ app: FastifyInstance; clock: TestClock; config: Config }> {
  // The lag-based load guard is off in tests: a busy test machine lags without the app being overloaded.
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: 'sqlite:unused', MAX_EVENT_LOOP_DELAY_MS: '0', METRICS_TOKEN: TEST_METRICS_TOKEN, ...opts.env });
  const clock = opts.clock ?? testClock();
  const app = await buildApp({ config, db, clock, log: pino({ level: 'silent' }) });
  await app.ready();
  return { app, clock, config };
}
