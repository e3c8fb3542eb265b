// Per-process parts of the accounts feature: the hash limiter, the throttle store and the fixed hash that
// unknown usernames are verified against (so a sign-in takes as long whether or not the account exists).
import type { Services } from '../context.ts';
import { HashLimiter } from './hash-limiter.ts';
import { DbThrottleStore, RedisThrottleStore, type ThrottleStore } from './throttle.ts';
import { hashPassword } from './password.ts';
import { randomBytes } from 'node:crypto';

export interface AccountsRuntime {
  hashLimiter: HashLimiter;
  throttle: ThrottleStore;
  dummyHash(): Promise<string>;
}

const runtimes = new WeakMap<Services, AccountsRuntime>();

export function accountsRuntime(s: Services): AccountsRuntime {
  let rt = runtimes.get(s);
  if (!rt) {
    let dummy: Promise<string> | undefined;
    rt = {
      hashLimiter: new HashLimiter(s.config.HASH_CONCURRENCY),
      throttle: s.config.REDIS_URL ? new RedisThrottleStore(s.config.REDIS_URL) : new DbThrottleStore(s.db),
      dummyHash: () => (dummy ??= hashPassword(randomBytes(16).toString('hex'))),
    };
    runtimes.set(s, rt);
  }
  return rt;
}

export async function closeAccountsRuntime(s: Services): Promise<void> {
  const rt = runtimes.get(s);
  runtimes.delete(s);
  await rt?.throttle.close();
}
