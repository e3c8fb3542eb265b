// `npm start` with the demo: the VNeID simulator runs beside the app on its own free port and the app is
// configured for it, so "Đăng nhập bằng VNeID" works out of the box. Not when VNEID_ISSUER is set.
import crypto from 'node:crypto';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../../config.ts';
import { spawnSim, type RunningSim } from '../../../sims/shared/spawn.ts';

export interface DemoVneid {
  sim: RunningSim;
  /** the settings that point the app at it (for forked workers, which read their own environment) */
  env: Record<string, string>;
  config: Config;
}

/** Null when VNeID is configured, or when the simulator could not start (the app then runs without the button). */
export async function startDemoVneid(c: Config, log: Logger): Promise<DemoVneid | null> {
  if (c.VNEID_ISSUER) return null;
  const secret = crypto.randomBytes(24).toString('base64url');
  const redirect = `${c.PUBLIC_URL}/api/auth/vneid/callback`;
  let sim: RunningSim;
  try {
    sim = await spawnSim('vneid', { dataDir: path.join(c.DATA_DIR, 'sims', 'vneid'), args: ['--client-id', 'ghidanh-demo', '--redirect-uri', redirect], env: { VNEID_SIM_CLIENT_SECRET: secret } });
  } catch (e) {
    log.warn({ err: (e as Error).message }, 'the VNeID simulator did not start: sign-in with VNeID is off');
    return null;
  }
  sim.proc.once('exit', (code, signal) => {
    if (code !== 0) log.warn({ code, signal }, 'the VNeID simulator stopped');
  });
  const env = { VNEID_ISSUER: sim.url, VNEID_CLIENT_ID: 'ghidanh-demo', VNEID_CLIENT_SECRET: secret, VNEID_REDIRECT_URL: redirect };
  return { sim, env, config: Object.freeze({ ...c, ...env }) };
}
