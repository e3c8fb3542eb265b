// Sign-in with VNeID (the browser is sent to the provider and comes back to the callback; refusals go back
// to the sign-in page with a code the page explains) and the free candidate's choice of registration point.
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as oidc from 'openid-client';
import type { Services } from '../../context.ts';
import { AppError } from '../../http/errors.ts';
import { setSessionCookies } from '../../http/auth.ts';
import { identityFromClaims, type VneidRefusal } from '../../../domain/vneid.ts';
import { integrationsRuntime } from '../runtime.ts';
import { VneidFlowError, VneidRelyingParty } from './relying-party.ts';
import { claimSignInAttempt, insertSignInAttempt, purgeSignInAttempts } from './vneid.repository.ts';
import { auditVneidRefusal, signInWithVneid, type VneidCtx } from './sign-in-with-vneid.ts';
import { chooseRegistrationPoint, registrationPointOptions, type PointChoiceCtx } from './choose-point.ts';
import { choosePointBody, choosePointResponse, pointOptionsResponse, redirectResponse, signInMethodsResponse, vneidCallbackQuery, vneidStartQuery } from './vneid.schema.ts';
import '../../http/route-access.ts';

/** How long a person has between pressing the button and coming back from VNeID. */
const ATTEMPT_TTL_MS = 10 * 60_000;
const BINDING_COOKIE = 'ghidanh_vneid';
const BINDING_PATH = '/api/auth/vneid';
export const VNEID_START_PATH = '/api/auth/vneid/start';
export const REGISTRATION_POINT_PAGE = '/registration-point';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export async function vneidRoutes(app: FastifyInstance, s: Services): Promise<void> {
  const c = s.config;
  const rp =
    c.VNEID_ISSUER && c.VNEID_CLIENT_ID && c.VNEID_CLIENT_SECRET
      ? new VneidRelyingParty({
          issuer: c.VNEID_ISSUER,
          clientId: c.VNEID_CLIENT_ID,
          clientSecret: c.VNEID_CLIENT_SECRET,
          redirectUrl: c.VNEID_REDIRECT_URL ?? `${c.PUBLIC_URL}/api/auth/vneid/callback`,
          timeoutMs: c.LINK_TIMEOUT_MS,
          tracker: integrationsRuntime(s).trackers.vneid,
          clock: s.clock,
        })
      : null;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['session'];
  const ctxOf = (req: FastifyRequest): VneidCtx => ({ db: s.db, config: c, now: s.clock(), ip: req.ip ?? null });
  const back = (reply: FastifyReply, refusal: VneidRefusal) => reply.redirect(`/sign-in?vneid_error=${refusal}`, 303);
  const clearBinding = (reply: FastifyReply) => void reply.clearCookie(BINDING_COOKIE, { path: BINDING_PATH, httpOnly: true, sameSite: 'lax', secure: c.COOKIE_SECURE });

  r.get(
    '/api/auth/methods',
    { config: { access: 'public' }, schema: { tags, summary: 'How one may sign in here (the VNeID button shows only when it is configured)', response: { 200: signInMethodsResponse } } },
    async () => ({ password: true, vneid: { enabled: rp !== null, startUrl: rp ? VNEID_START_PATH : null, requiredLevel: c.VNEID_REQUIRED_LEVEL } }),
  );

  r.get(
    VNEID_START_PATH,
    { config: { access: 'public' }, schema: { tags, summary: 'Start signing in with VNeID: a redirect to the provider (authorization code, PKCE, state, nonce)', querystring: vneidStartQuery, response: { 303: redirectResponse } } },
    async (req, reply) => {
      if (!rp) return back(reply, 'VNEID_NOT_CONFIGURED');
      const now = s.clock();
      const checks = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() };
      let url: URL;
      try {
        url = await rp.authorizationUrl(checks);
      } catch (e) {
        req.log.warn({ err: (e as Error).message }, 'VNeID unavailable at sign-in start');
        return back(reply, 'VNEID_UNAVAILABLE');
      }
      const binding = crypto.randomBytes(32).toString('base64url');
      await s.db.write(async (trx) => {
        await purgeSignInAttempts(trx, now);
        await insertSignInAttempt(trx, { ...checks, browserBinding: sha256(binding), createdAt: now, expiresAt: new Date(now.getTime() + ATTEMPT_TTL_MS), ip: req.ip ?? null });
      });
      void reply.setCookie(BINDING_COOKIE, binding, { path: BINDING_PATH, httpOnly: true, sameSite: 'lax', secure: c.COOKIE_SECURE, maxAge: ATTEMPT_TTL_MS / 1000 });
      return reply.redirect(url.href, 303);
    },
  );

  r.get(
    '/api/auth/vneid/callback',
    { config: { access: 'public' }, schema: { tags, summary: 'Where VNeID sends the person back: checks the answer, signs in or refuses (audited)', querystring: vneidCallbackQuery, response: { 303: redirectResponse } } },
    async (req, reply) => {
      if (!rp) return back(reply, 'VNEID_NOT_CONFIGURED');
      const ctx = ctxOf(req);
      const q = req.query;
      clearBinding(reply);
      const refuse = async (refusal: VneidRefusal, details: Record<string, unknown>) => {
        await auditVneidRefusal(ctx, refusal, details);
        return back(reply, refusal);
      };
      if (!q.state) return refuse('VNEID_INVALID_CALLBACK', { why: 'no_state' });
      const attempt = await s.db.write((trx) => claimSignInAttempt(trx, q.state!, ctx.now));
      if (typeof attempt === 'string') return refuse('VNEID_INVALID_CALLBACK', { why: `state_${attempt}` });
      const cookie = req.cookies[BINDING_COOKIE];
      if (!cookie || sha256(cookie) !== attempt.browserBinding) return refuse('VNEID_INVALID_CALLBACK', { why: 'other_browser' });
      let claims: Record<string, unknown>;
      try {
        claims = await rp.complete(new URLSearchParams(req.query as Record<string, string>), attempt);
      } catch (e) {
        if (!(e instanceof VneidFlowError)) throw e;
        const refusal = e.reason === 'cancelled' ? 'VNEID_CANCELLED' : e.reason === 'unavailable' ? 'VNEID_UNAVAILABLE' : 'VNEID_INVALID_CALLBACK';
        return refuse(refusal, { why: e.detail.slice(0, 100) });
      }
      const read = identityFromClaims(claims);
      if ('missing' in read) return refuse('VNEID_MISSING_CLAIM', { missing: read.missing });
      const result = await signInWithVneid(ctx, read.identity);
      if (!result.ok) return back(reply, result.refusal);
      app.metrics?.signIns.inc({ outcome: 'success' });
      setSessionCookies(reply, c, result.session.token, result.session.csrfToken);
      return reply.redirect(result.needsRegistrationPoint ? REGISTRATION_POINT_PAGE : '/candidate', 303);
    },
  );

  const choiceCtx = (req: FastifyRequest): PointChoiceCtx => {
    if (req.actor.kind !== 'user') throw AppError.unauthenticated();
    return { db: s.db, actor: req.actor, now: s.clock(), ip: req.ip ?? null };
  };

  r.get(
    '/api/registration-point/options',
    { config: { access: 'signed_in' }, schema: { tags: ['registration'], summary: 'A VNeID free candidate: the points that take free candidates, by province, and whether a choice is still needed', response: { 200: pointOptionsResponse } } },
    async (req) => registrationPointOptions(choiceCtx(req)),
  );

  r.post(
    '/api/registration-point',
    {
      config: { access: 'signed_in' },
      schema: { tags: ['registration'], summary: 'A VNeID free candidate chooses where to register (once); the candidate record is made from the verified identity', body: choosePointBody, response: { 200: choosePointResponse } },
    },
    async (req) => {
      const out = await chooseRegistrationPoint(choiceCtx(req), req.body.pointId);
      return { pointId: out.pointId, pointCode: out.pointCode, pointName: out.pointName };
    },
  );
}
