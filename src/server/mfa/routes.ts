// The second factor's routes: thin handlers over src/server/mfa/mfa.ts and the contracts in
// src/contracts/mfa.ts. The sign-in steps are public (the signed challenge names the account); the
// account's own routes need a session; the reset is the level above's.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as c from '../../contracts/mfa.ts';
import { ctxOf, type Services } from '../context.ts';
import { routeOf } from '../http/route.ts';
import { setSessionCookies } from '../http/auth.ts';
import { accountsRuntime } from '../accounts/runtime.ts';
import { csrfTokenFor } from '../accounts/session-token.ts';
import { cookieDevice, deviceAtSignIn, setKnownDeviceCookie } from '../accounts/routes.ts';
import { listOwnDevices, revokeOwnDevice } from './known-devices.ts';
import type { OpenedSession } from '../accounts/sessions.ts';
import type { SignInUser } from '../accounts/sign-in.ts';
import { serverKeys } from './server-key.ts';
import * as mfa from './mfa.ts';
import '../http/route-access.ts';

export async function mfaRoutes(app: FastifyInstance, s: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const rt = accountsRuntime(s);
  serverKeys(s.config); // the key (or its file) is made at start, not on a first sign-in
  const present = (u: SignInUser, session: OpenedSession) => ({
    user: { id: u.id, username: u.username, displayName: u.displayName, role: u.role, orgUnitId: u.orgUnitId, departmentCode: u.departmentCode, mustChangePassword: u.mustChangePassword },
    csrfToken: csrfTokenFor(session.token),
    expiresAt: session.expiresAt.toISOString(),
    idleMinutes: s.config.SESSION_IDLE_MINUTES,
  });
  const previous = (req: { actor: { kind: string; sessionId?: string } }) => (req.actor.kind === 'user' ? req.actor.sessionId : undefined);

  r.route({
    ...routeOf(c.signInSecondStep),
    config: { access: 'public' },
    handler: async (req, reply) => {
      const out = await mfa.signInWithCode(ctxOf(s, req), rt, s.config, req.body, previous(req), (username) => deviceAtSignIn(req, s, username));
      setSessionCookies(reply, s.config, out.session.token, out.session.csrfToken);
      setKnownDeviceCookie(reply, s, out.user.username, out.session.knownDevice);
      return { ...present(out.user, out.session), recoveryCodesLeft: out.recoveryCodesLeft };
    },
  });
  r.route({ ...routeOf(c.startSignInEnrolment), config: { access: 'public' }, handler: async (req) => mfa.startSignInEnrolment(ctxOf(s, req), s.config, req.body.challenge) });
  r.route({
    ...routeOf(c.confirmSignInEnrolment),
    config: { access: 'public' },
    handler: async (req, reply) => {
      const out = await mfa.confirmSignInEnrolment(ctxOf(s, req), rt, s.config, req.body, previous(req), (username) => deviceAtSignIn(req, s, username));
      setSessionCookies(reply, s.config, out.session.token, out.session.csrfToken);
      setKnownDeviceCookie(reply, s, out.user.username, out.session.knownDevice);
      return { ...present(out.user, out.session), recoveryCodes: out.recoveryCodes };
    },
  });

  const own = { access: 'signed_in' } as const;
  r.route({ ...routeOf(c.getMfaStatus), config: own, handler: async (req) => mfa.mfaStatus(ctxOf(s, req), s.config) });
  r.route({ ...routeOf(c.startEnrolment), config: own, handler: async (req) => mfa.startEnrolment(ctxOf(s, req), s.config) });
  r.route({ ...routeOf(c.confirmEnrolment), config: own, handler: async (req) => ({ recoveryCodes: await mfa.confirmEnrolment(ctxOf(s, req), rt, s.config, req.body.code) }) });
  r.route({ ...routeOf(c.renewRecoveryCodes), config: own, handler: async (req) => ({ recoveryCodes: await mfa.renewRecoveryCodes(ctxOf(s, req), rt, s.config, req.body.code) }) });
  r.route({
    ...routeOf(c.turnOffMfa),
    config: own,
    handler: async (req, reply) => {
      await mfa.turnOffMfa(ctxOf(s, req), rt, s.config, req.body.code);
      return reply.status(204).send(null);
    },
  });
  r.route({ ...routeOf(c.listKnownDevices), config: own, handler: async (req) => ({ devices: await listOwnDevices(ctxOf(s, req), (username) => cookieDevice(req, s, username)) }) });
  r.route({
    ...routeOf(c.revokeKnownDevice),
    config: own,
    handler: async (req, reply) => {
      await revokeOwnDevice(ctxOf(s, req), req.params.deviceId);
      return reply.status(204).send(null);
    },
  });
  r.route({ ...routeOf(c.resetMfa), config: { access: 'action', action: 'staff.manage' }, handler: async (req) => mfa.resetMfa(ctxOf(s, req), req.params.userId, req.body.reason) });
}
