// Sign-in, sign-out, the current user and changing one's own password. Thin: parse, call a command,
// present an explicit shape.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { clearSessionCookies, setSessionCookies } from '../http/auth.ts';
import { csrfTokenFor } from './session-token.ts';
import { accountsRuntime } from './runtime.ts';
import { signIn } from './sign-in.ts';
import { signOut } from './sign-out.ts';
import { changePassword } from './change-password.ts';
import { findAccount, type User } from './users.repository.ts';
import { sessionExpiry } from './sessions.repository.ts';
import { changePasswordBody, sessionResponse, signInBody } from './accounts.schema.ts';
import type { AccountsCtx } from './context.ts';
import '../http/route-access.ts';

export function accountsCtx(s: Services, req: FastifyRequest): AccountsCtx {
  return { s, rt: accountsRuntime(s), actor: req.actor, now: s.clock(), ip: req.ip ?? null, log: req.log };
}

/** For sign_ins_total: a refused password (or disabled account), a throttled attempt, or a fault. */
function signInOutcome(e: unknown): 'failure' | 'throttled' | 'error' {
  const code = e instanceof AppError ? e.code : '';
  if (code === 'SIGN_IN_THROTTLED') return 'throttled';
  return code === 'INVALID_CREDENTIALS' || code === 'ACCOUNT_DISABLED' ? 'failure' : 'error';
}

export async function sessionRoutes(app: FastifyInstance, s: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['session'];
  const present = (u: User & { departmentCode: string | null }, csrfToken: string, expiresAt: string): z.infer<typeof sessionResponse> => ({
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

  r.post(
    '/api/session',
    { config: { access: 'public' }, schema: { tags, summary: 'Sign in (opens a new session; the cookie is rotated)', body: signInBody, response: { 200: sessionResponse } } },
    async (req, reply) => {
      const previous = req.actor.kind === 'user' ? req.actor.sessionId : undefined;
      const { session, user } = await signIn(accountsCtx(s, req), req.body, previous).catch((e: unknown) => {
        app.metrics?.signIns.inc({ outcome: signInOutcome(e) });
        throw e;
      });
      app.metrics?.signIns.inc({ outcome: 'success' });
      setSessionCookies(reply, s.config, session.token, session.csrfToken);
      return present(user, session.csrfToken, session.expiresAt.toISOString());
    },
  );

  r.delete(
    '/api/session',
    { config: { access: 'public' }, schema: { tags, summary: 'Sign out (ends the session on the server; idempotent)', response: { 204: z.null() } } },
    async (req, reply) => {
      await signOut(accountsCtx(s, req));
      clearSessionCookies(reply, s.config);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/session/me',
    { config: { access: 'signed_in', oneTimePasswordOk: true }, schema: { tags, summary: 'The signed-in user and the CSRF token', response: { 200: sessionResponse } } },
    async (req) => {
      const a = req.actor;
      if (a.kind !== 'user' || !req.sessionToken) throw AppError.unauthenticated();
      const acc = await findAccount(s.db.read, a.userId);
      if (!acc) throw AppError.unauthenticated();
      return present(acc, csrfTokenFor(req.sessionToken), (await sessionExpiry(s.db.read, a.sessionId)) ?? '');
    },
  );

  r.post(
    '/api/account/password',
    {
      config: { access: 'signed_in', oneTimePasswordOk: true },
      schema: { tags, summary: 'Change one’s own password (ends every session, opens a new one)', body: changePasswordBody, response: { 200: sessionResponse } },
    },
    async (req, reply) => {
      const session = await changePassword(accountsCtx(s, req), req.body);
      setSessionCookies(reply, s.config, session.token, session.csrfToken);
      const a = req.actor;
      const acc = a.kind === 'user' ? await findAccount(s.db.read, a.userId) : undefined;
      if (!acc) throw AppError.unauthenticated();
      return present(acc, session.csrfToken, session.expiresAt.toISOString());
    },
  );
}
