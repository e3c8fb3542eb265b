// Sign-in, sign-out, the current user and changing one's own password. Thin: the contract
// (src/contracts/accounts.ts) gives the method, path and schemas; each handler calls a command and
// presents an explicit shape.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import * as c from '../../contracts/accounts.ts';
import { ctxOf, type Services } from '../context.ts';
import { routeOf } from '../http/route.ts';
import { AppError } from '../http/errors.ts';
import { clearSessionCookies, setSessionCookies } from '../http/auth.ts';
import { csrfTokenFor } from './session-token.ts';
import { accountsRuntime } from './runtime.ts';
import { signIn } from './sign-in.ts';
import { signOut } from './sign-out.ts';
import { changePassword } from './change-password.ts';
import { currentSession } from './current-session.ts';
import type { User } from './users.repository.ts';
import '../http/route-access.ts';
import { serverKeys } from '../mfa/server-key.ts';
import { issueKnownDevice, knownDeviceCookieName, KNOWN_DEVICE_PATH, readKnownDevice } from '../mfa/known-device.ts';
import type { DeviceAtSignIn, RecordedDevice } from '../mfa/known-devices.ts';

/** For sign_ins_total: a refused password (or disabled account), a throttled attempt, or a fault. */
function signInOutcome(e: unknown): 'failure' | 'throttled' | 'error' {
  const code = e instanceof AppError ? e.code : '';
  if (code === 'SIGN_IN_THROTTLED') return 'throttled';
  return code === 'INVALID_CREDENTIALS' || code === 'ACCOUNT_DISABLED' ? 'failure' : 'error';
}

export async function sessionRoutes(app: FastifyInstance, s: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const rt = accountsRuntime(s);
  const present = (u: User & { departmentCode: string | null }, csrfToken: string, expiresAt: string): z.infer<typeof c.sessionResponse> => ({
    user: {
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      orgUnitId: u.orgUnitId,
      departmentCode: u.departmentCode,
      mustChangePassword: u.mustChangePassword,
    },
    csrfToken,
    expiresAt,
    idleMinutes: s.config.SESSION_IDLE_MINUTES,
  });

  r.route({
    ...routeOf(c.signIn),
    config: { access: 'public' },
    handler: async (req, reply) => {
      const previous = req.actor.kind === 'user' ? req.actor.sessionId : undefined;
      const knownDevice = (username: string) => cookieDevice(req, s, username);
      const out = await signIn(ctxOf(s, req), rt, s.config, req.body, previous, knownDevice, req.headers['user-agent']).catch((e: unknown) => {
        app.metrics?.signIns.inc({ outcome: signInOutcome(e) });
        throw e;
      });
      if (out.challenge) return reply.status(202).send({ next: out.challenge.step, challenge: out.challenge.token, expiresAt: out.challenge.expiresAt.toISOString() });
      const { session, user } = out;
      app.metrics?.signIns.inc({ outcome: 'success' });
      setSessionCookies(reply, s.config, session.token, session.csrfToken);
      setKnownDeviceCookie(reply, s, user.username, session.knownDevice);
      return present(user, session.csrfToken, session.expiresAt.toISOString());
    },
  });

  r.route({
    ...routeOf(c.signOut),
    config: { access: 'public' },
    handler: async (req, reply) => {
      await signOut(ctxOf(s, req));
      clearSessionCookies(reply, s.config);
      return reply.status(204).send(null);
    },
  });

  r.route({
    ...routeOf(c.currentSession),
    config: { access: 'signed_in', oneTimePasswordOk: true },
    handler: async (req) => {
      if (!req.sessionToken) throw AppError.unauthenticated();
      const { user, expiresAt } = await currentSession(ctxOf(s, req));
      return present(user, csrfTokenFor(req.sessionToken), expiresAt);
    },
  });

  r.route({
    ...routeOf(c.changePassword),
    config: { access: 'signed_in', oneTimePasswordOk: true },
    handler: async (req, reply) => {
      const { session, user } = await changePassword(ctxOf(s, req), rt, s.config, req.body);
      setSessionCookies(reply, s.config, session.token, session.csrfToken);
      return present(user, session.csrfToken, session.expiresAt.toISOString());
    },
  });
}

/** The device id a well-signed known-device cookie of this request names for the username, if any. */
export function cookieDevice(req: FastifyRequest, s: Services, username: string): string | null {
  return readKnownDevice(serverKeys(s.config), username, req.cookies[knownDeviceCookieName(username)], s.clock());
}

/** After a complete sign-in: the cookie of the known device the sign-in recorded (src/server/mfa/known-devices.ts). */
export function setKnownDeviceCookie(reply: FastifyReply, s: Services, username: string, device: RecordedDevice | undefined): void {
  if (!device) return;
  const d = issueKnownDevice(serverKeys(s.config), username, device.id, s.clock(), device.expiresAt);
  void reply.setCookie(d.name, d.value, { httpOnly: true, sameSite: 'strict', secure: s.config.COOKIE_SECURE, path: KNOWN_DEVICE_PATH, maxAge: d.maxAge });
}

/** What a complete sign-in records about this browser. */
export function deviceAtSignIn(req: FastifyRequest, s: Services, username: string): DeviceAtSignIn {
  return { cookieDeviceId: cookieDevice(req, s, username), userAgent: req.headers['user-agent'] };
}
