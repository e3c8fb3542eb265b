// Sign-in throttling. Failed attempts are counted in fixed windows under three keys: the account from one
// address (tight), the account from anywhere (looser), and the address (loosest: a school's whole class
// signs in from one NAT address). Over a limit the answer is 429 with Retry-After until the window ends:
// a wait, never a lockout, so an attacker cannot shut a candidate out for longer than one window, and only
// by failing from many addresses at once. Usernames are hashed into keys, so the store holds no CCCD, and
// unknown usernames are counted exactly like known ones (the answer never tells whether an account exists).
// The counters live in Redis when REDIS_URL is set (shared by every process, expiring by themselves),
// else in the database.
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { Redis } from 'ioredis';
import type { AuthThrottleTable, DB } from '../db/schema.ts';
import { prepared } from '../db/prepared.ts';
import type { Db } from '../db/create-db.ts';

export interface ThrottleRule {
  prefix: string;
  limit: number;
  windowMs: number;
}

const MIN = 60_000;
export const THROTTLE_RULES = {
  accountFromAddress: { prefix: 'ai', limit: 5, windowMs: 15 * MIN },
  account: { prefix: 'a', limit: 30, windowMs: 15 * MIN },
  address: { prefix: 'i', limit: 200, windowMs: 15 * MIN },
  /** a browser holding the account's known-device cookie (src/server/mfa/known-device.ts) */
  knownDevice: { prefix: 'd', limit: 5, windowMs: 15 * MIN },
  /** wrong second-factor codes for one account, from anywhere */
  secondFactor: { prefix: 'm', limit: 5, windowMs: 15 * MIN },
  /** public results look-ups from one address (a school's class behind one NAT address looks up together) */
  resultsLookup: { prefix: 'r', limit: 120, windowMs: MIN },
} as const satisfies Record<string, ThrottleRule>;

export interface ThrottleKey {
  key: string;
  rule: ThrottleRule;
}

const h = (s: string): string => createHash('sha256').update(s).digest('base64url').slice(0, 22);

export function signInKeys(username: string, ip: string): ThrottleKey[] {
  const u = h(`u:${username}`);
  return [
    { key: `ai:${u}:${h(`ip:${ip}`)}`, rule: THROTTLE_RULES.accountFromAddress },
    { key: `a:${u}`, rule: THROTTLE_RULES.account },
    { key: `i:${ip}`, rule: THROTTLE_RULES.address },
  ];
}

/**
 * The keys of a sign-in from a browser that holds a valid known-device cookie for this account: its own
 * tight counter and the address's, but not the account-wide one an attacker spread over many addresses
 * can fill, so the owner is not locked out with them.
 */
export function knownDeviceKeys(username: string, ip: string, deviceId: string): ThrottleKey[] {
  return [
    { key: `d:${h(`u:${username}`)}:${h(`d:${deviceId}`)}`, rule: THROTTLE_RULES.knownDevice },
    { key: `i:${ip}`, rule: THROTTLE_RULES.address },
  ];
}

/** The counter of wrong second-factor codes (TOTP or recovery code) for one account. */
export function secondFactorKeys(userId: string): ThrottleKey[] {
  return [{ key: `m:${h(`u:${userId}`)}`, rule: THROTTLE_RULES.secondFactor }];
}

export interface ThrottleStore {
  /** Seconds to wait before another attempt, or 0 when none of the keys is over its limit. */
  retryAfter(keys: ThrottleKey[], now: Date): Promise<number>;
  /** Count a failure under every key. `trx` is the caller's write transaction (database store only). */
  recordFailure(keys: ThrottleKey[], now: Date, trx?: Kysely<DB>): Promise<void>;
  /** A success clears the account-from-this-address counter. */
  clear(key: ThrottleKey, trx?: Kysely<DB>): Promise<void>;
  /** true when writes must go into the caller's transaction (the database store) */
  readonly inDatabase: boolean;
  close(): Promise<void>;
}

// a sign-in's three counters (signInKeys) and the success that clears one: compiled once
const threeCounters = prepared<{ k0: string; k1: string; k2: string }, Selectable<AuthThrottleTable>>((db, p) =>
  db.selectFrom('auth_throttles').selectAll().where('key', 'in', [p('k0'), p('k1'), p('k2')]),
);
const clearCounter = prepared<{ key: string }, never>((db, p) => db.deleteFrom('auth_throttles').where('key', '=', p('key')));

export class DbThrottleStore implements ThrottleStore {
  readonly inDatabase = true;
  constructor(private readonly db: Db) {}

  async retryAfter(keys: ThrottleKey[], now: Date): Promise<number> {
    const rows =
      keys.length === 3
        ? (await threeCounters(this.db.read, { k0: keys[0]!.key, k1: keys[1]!.key, k2: keys[2]!.key })).rows
        : await this.db.read
            .selectFrom('auth_throttles')
            .selectAll()
            .where(
              'key',
              'in',
              keys.map((k) => k.key),
            )
            .execute();
    let wait = 0;
    for (const r of rows) {
      const rule = keys.find((k) => k.key === r.key)?.rule;
      const ends = Date.parse(r.window_ends_at);
      if (rule && r.failures >= rule.limit && ends > now.getTime()) wait = Math.max(wait, Math.ceil((ends - now.getTime()) / 1000));
    }
    return wait;
  }

  async recordFailure(keys: ThrottleKey[], now: Date, trx?: Kysely<DB>): Promise<void> {
    const run = async (t: Kysely<DB>) => {
      const ts = now.toISOString();
      for (const k of keys) {
        const end = new Date(now.getTime() + k.rule.windowMs).toISOString();
        await t
          .insertInto('auth_throttles')
          .values({ key: k.key, failures: 1, window_ends_at: end })
          .onConflict((oc) =>
            oc.column('key').doUpdateSet({
              failures: sql<number>`case when auth_throttles.window_ends_at <= ${ts} then 1 else auth_throttles.failures + 1 end`,
              window_ends_at: sql<string>`case when auth_throttles.window_ends_at <= ${ts} then ${end} else auth_throttles.window_ends_at end`,
            }),
          )
          .execute();
      }
      // keep the table small: forget windows that ended a day ago (cheap with few rows; runs on failures only)
      await t.deleteFrom('auth_throttles').where('window_ends_at', '<', new Date(now.getTime() - 24 * 60 * MIN).toISOString()).execute();
    };
    if (trx) await run(trx);
    else await this.db.write(run);
  }

  async clear(key: ThrottleKey, trx?: Kysely<DB>): Promise<void> {
    const run = async (t: Kysely<DB>) => {
      await clearCounter(t, { key: key.key });
    };
    if (trx) await run(trx);
    else await this.db.write(run);
  }

  async close(): Promise<void> {}
}

/** Redis counters: INCR + PEXPIRE on the first failure; windows follow Redis's own clock. */
export class RedisThrottleStore implements ThrottleStore {
  readonly inDatabase = false;
  private readonly redis: Redis;
  constructor(url: string) {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  }

  async retryAfter(keys: ThrottleKey[]): Promise<number> {
    const m = this.redis.multi();
    for (const k of keys) m.get(`ghidanh:thr:${k.key}`).pttl(`ghidanh:thr:${k.key}`);
    const res = (await m.exec()) ?? [];
    let wait = 0;
    keys.forEach((k, i) => {
      const count = Number(res[2 * i]?.[1] ?? 0);
      const ttl = Number(res[2 * i + 1]?.[1] ?? -2);
      if (count >= k.rule.limit && ttl > 0) wait = Math.max(wait, Math.ceil(ttl / 1000));
    });
    return wait;
  }

  async recordFailure(keys: ThrottleKey[]): Promise<void> {
    const m = this.redis.multi();
    for (const k of keys) {
      const key = `ghidanh:thr:${k.key}`;
      m.incr(key).pexpire(key, k.rule.windowMs, 'NX');
    }
    await m.exec();
  }

  async clear(key: ThrottleKey): Promise<void> {
    await this.redis.del(`ghidanh:thr:${key.key}`);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => {});
  }
}

/**
 * Counters held in this process's memory, in fixed windows that every key shares (the map is emptied when
 * the window turns, so it never holds more than one window's addresses). For a path that must not touch
 * the database or the network per request (the results morning's public look-up); with several processes
 * each counts on its own, so an address gets up to `limit` per process.
 */
export class MemoryThrottleStore implements ThrottleStore {
  private readonly windows = new Map<string, { start: number; counts: Map<string, number> }>();
  readonly inDatabase = false;

  private window(rule: ThrottleRule, t: number): { start: number; counts: Map<string, number> } {
    const start = t - (t % rule.windowMs);
    let w = this.windows.get(rule.prefix);
    if (!w || w.start !== start) this.windows.set(rule.prefix, (w = { start, counts: new Map() }));
    return w;
  }

  /** The uses counted under `key` in the current window, without counting one. */
  count(k: ThrottleKey, now: Date): number {
    return this.window(k.rule, now.getTime()).counts.get(k.key) ?? 0;
  }

  /** Counts one use under `key` and returns the seconds to wait when it is over the limit (0: go on). */
  take(k: ThrottleKey, now: Date): number {
    const t = now.getTime();
    const w = this.window(k.rule, t);
    const n = (w.counts.get(k.key) ?? 0) + 1;
    w.counts.set(k.key, n);
    return n > k.rule.limit ? Math.max(1, Math.ceil((w.start + k.rule.windowMs - t) / 1000)) : 0;
  }

  async retryAfter(keys: ThrottleKey[], now: Date): Promise<number> {
    let wait = 0;
    for (const k of keys) {
      const w = this.window(k.rule, now.getTime());
      if ((w.counts.get(k.key) ?? 0) >= k.rule.limit) wait = Math.max(wait, Math.ceil((w.start + k.rule.windowMs - now.getTime()) / 1000));
    }
    return wait;
  }

  async recordFailure(keys: ThrottleKey[], now: Date): Promise<void> {
    for (const k of keys) this.take(k, now);
  }

  async clear(k: ThrottleKey): Promise<void> {
    for (const w of this.windows.values()) w.counts.delete(k.key);
  }

  async close(): Promise<void> {
    this.windows.clear();
  }
}
