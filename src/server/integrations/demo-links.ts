// `npm start` with the demo: the population database and the National Public Service Portal simulators
// run beside the app, each as its own process on its own free port, and the app is configured for them,
// so identity checks, give-backs and portal updates flow out of the box. A link already configured
// (POPULATION_URL, PORTAL_URL) is left alone; a simulator that cannot start only leaves its link off.
// The payment gateway simulator (admission fees) joins them the same way: unless PAYMENT_URL is set, it
// starts with a fresh merchant secret and notifies the app's IPN URL.
import crypto from 'node:crypto';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { spawnSim, type RunningSim } from '../../sims/shared/spawn.ts';

export interface DemoLinks {
  population: RunningSim | null;
  portal: RunningSim | null;
  payment: RunningSim | null;
  /** the settings that point the app at them (for forked workers, which read their own environment) */
  env: Record<string, string>;
  stop(): Promise<void>;
}

async function start(name: 'population' | 'portal' | 'payment', c: Config, key: string, log: Logger, args: string[] = ['--api-key', key], env?: Record<string, string>): Promise<RunningSim | null> {
  try {
    const sim = await spawnSim(name, { dataDir: path.join(c.DATA_DIR, 'sims', name), args, ...(env ? { env } : {}) });
    sim.proc.once('exit', (code, signal) => {
      if (code !== 0) log.warn({ sim: name, code, signal }, 'a national link simulator stopped');
    });
    return sim;
  } catch (e) {
    log.warn({ sim: name, err: (e as Error).message }, 'a national link simulator did not start: that link stays off');
    return null;
  }
}

export async function startDemoLinks(c: Config, log: Logger): Promise<DemoLinks> {
  const popKey = crypto.randomBytes(18).toString('base64url');
  const portalKey = crypto.randomBytes(18).toString('base64url');
  const paySecret = crypto.randomBytes(24).toString('base64url');
  const merchant = 'GHIDANH01';
  const [population, portal, payment] = await Promise.all([
    c.POPULATION_URL ? null : start('population', c, popKey, log),
    c.PORTAL_URL ? null : start('portal', c, portalKey, log),
    c.PAYMENT_URL ? null : start('payment', c, paySecret, log, ['--merchant', merchant, '--ipn-url', `${c.PUBLIC_URL}/api/payments/vnpay/ipn`], { PAYMENT_SIM_SECRET: paySecret }),
  ]);
  const env: Record<string, string> = {};
  if (population) Object.assign(env, { POPULATION_URL: population.url, POPULATION_API_KEY: popKey });
  if (portal) Object.assign(env, { PORTAL_URL: portal.url, PORTAL_API_KEY: portalKey });
  if (payment) Object.assign(env, { PAYMENT_URL: payment.url, PAYMENT_MERCHANT_CODE: merchant, PAYMENT_SECRET: paySecret });
  return {
    population,
    portal,
    payment,
    env,
    stop: async () => {
      await Promise.all([population?.stop(), portal?.stop(), payment?.stop()]);
    },
  };
}

/** The banner's lines for the simulators that run. */
export function demoLinksBanner(l: DemoLinks | null): string[] {
  const out: string[] = [];
  if (l?.population) out.push(`  CSDL quốc gia về dân cư (mô phỏng / population database simulator): ${l.population.url}`);
  if (l?.portal) out.push(`  Cổng DVC quốc gia (mô phỏng / national portal simulator): ${l.portal.url}/tra-cuu  (tra cứu theo mã hồ sơ / look up by dossier code)`);
  if (l?.payment) out.push(`  Cổng thanh toán (mô phỏng / payment gateway simulator): ${l.payment.url}  (lệ phí xét tuyển / admission fees)`);
  return out;
}
