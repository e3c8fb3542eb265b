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

export async function startDemoVneid(c: Config, log: Logger): Promise<DemoVneid | null> {
  if (c.VNEID_ISSUER) return null;
  const secret = crypto.randomBytes(24).toString('base64url');
  const redirect = `${c.PUBLIC_URL}/api/auth/vneid/callback`;
  const sim = await spawnSim('vneid', { dataDir: path.join(c.DATA_DIR, 'sims', 'vneid'), args: ['--client-id', 'ghidanh-demo', '--redirect-uri', redirect], env: { VNEID_SIM_CLIENT_SECRET: secret } });
  sim.proc.once('exit', (code, signal) => log.warn({ code, signal }, 'the VNeID simulator stopped'));
  const env = { VNEID_ISSUER: sim.url, VNEID_CLIENT_ID: 'ghidanh-demo', VNEID_CLIENT_SECRET: secret, VNEID_REDIRECT_URL: redirect };
  return { sim, env, config: Object.freeze({ ...c, ...env }) };
}
