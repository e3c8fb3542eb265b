// Resolves the session cookie into req.actor, guards cookie-authenticated writes against CSRF, and applies
// each route's declared access before the body is even validated:
//   - access 'public': anyone; 'signed_in': a signed-in user (401 otherwise); 'action': a user whose role
//     may take config.action somewhere (401/403 otherwise; the handler then decides on the record);
//   - a user still holding a one-time password reaches only routes marked config.oneTimePasswordOk
//     (me, sign-out, change password) and gets 403 PASSWORD_CHANGE_REQUIRED elsewhere;
//   - a route that declares no access is public for GET/HEAD (static files) and denied for writes, and
//     the authorization matrix test fails on it.
// CSRF: the session cookie is SameSite=Lax and HttpOnly; on top of that every write carrying a session
// cookie must send the header `x-csrf-token` equal to the session's CSRF token, which the browser app reads
// from the `ghidanh_csrf` cookie or from GET /api/session/me (a custom header cannot be sent cross-site
// without a CORS preflight, which this server never grants). The token is derived from the session token,
// so nothing extra is stored and it rotates with the session.
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Services } from '../context.ts';
import type { Actor } from '../policy/policy.ts';
import { mayEverTake, passwordChangeRequired } from '../policy/policy.ts';
import { AppError } from './errors.ts';
import { accountsRuntime, closeAccountsRuntime } from '../accounts/runtime.ts';
import { findSessionByTokenHash, touchSession, type SessionWithUser } from '../accounts/sessions.repository.ts';
import { sessionAlive } from '../accounts/sessions.ts';
import { SESSION_TOKEN_PATTERN, csrfTokenFor, hashSessionToken, sameToken } from '../accounts/session-token.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/create-db.ts';
import './route-access.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** reachable by a user who must still change a one-time password (me, sign-out, change password) */
    oneTimePasswordOk?: boolean;
    /**
     * the session is read in one query with what this reader brings (a candidate's own dossier): a
     * signed-in request then costs one read instead of two. The policy still runs on what it returns.
     */
    sessionRead?: SessionRead<unknown>;
  }
  interface FastifyRequest {
    /** the raw session token of this request when it resolved to a live session */
    sessionToken: string | null;
    /** what the route's session read brought along with the session (read it with sessionValue) */
    sessionReadValue: unknown;
  }
}

/**
 * A query that reads a session (by its token's hash) together with something the route is about to need.
 * Declared by the feature, named in the route's config; its value is typed by the reader itself.
 */
export interface SessionRead<T> {
  readonly name: string;
  read(db: Db, tokenHash: string, now: Date, req: FastifyRequest): Promise<{ session: SessionWithUser; value: T | undefined } | undefined>;
}

/** What `reader` brought for this request, when it is the route's session read. */
export function sessionValue<T>(req: FastifyRequest, reader: SessionRead<T>): T | undefined {
  return req.routeOptions.config.sessionRead === (reader as SessionRead<unknown>) ? (req.sessionReadValue as T | undefined) : undefined;
}

export const CSRF_COOKIE = 'ghidanh_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** `__Host-` pins the cookie to this host and path / (browsers accept it only with Secure). */
export const sessionCookieName = (c: Config): string => (c.COOKIE_SECURE ? '__Host-ghidanh_session' : 'ghidanh_session');

/**
 * Refresh last_seen_at at most this often: a write per request would cost more than the idle precision.
 * With a short idle limit it is a quarter of the limit, so a request still counts as activity (a minute
 * between touches would end a one-minute session however busy its user was).
 */
const TOUCH_EVERY_MS = 60_000;
const touchEveryMs = (c: Config): number => Math.min(TOUCH_EVERY_MS, (c.SESSION_IDLE_MINUTES * 60_000) / 4);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface RegisteredRoute {
  method: string;
  url: string;
  config: RouteOptions['config'];
}

const routeTables = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route registered after the auth plugin, with its config: the matrix test walks this. */
export function registeredRoutes(app: FastifyInstance): RegisteredRoute[] {
  return routeTables.get(app) ?? [];
}

export function setSessionCookies(reply: FastifyReply, c: Config, token: string, csrf: string): void {
  const secure = c.COOKIE_SECURE;
  void reply.setCookie(sessionCookieName(c), token, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: c.SESSION_ABSOLUTE_HOURS * 3600 });
  void reply.setCookie(CSRF_COOKIE, csrf, { httpOnly: false, sameSite: 'lax', secure, path: '/', maxAge: c.SESSION_ABSOLUTE_HOURS * 3600 });
}

export function clearSessionCookies(reply: FastifyReply, c: Config): void {
  void reply.clearCookie(sessionCookieName(c), { path: '/', httpOnly: true, sameSite: 'lax', secure: c.COOKIE_SECURE });
  void reply.clearCookie(CSRF_COOKIE, { path: '/', sameSite: 'lax', secure: c.COOKIE_SECURE });
}

export async function registerAuth(app: FastifyInstance, s: Services): Promise<void> {
  await app.register(cookie);
  accountsRuntime(s);
  app.addHook('onClose', async () => closeAccountsRuntime(s));
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('sessionReadValue', undefined);

  const table: RegisteredRoute[] = [];
  routeTables.set(app, table);
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    // the docs UI's own routes (static assets) are public by nature
    if (r.url.startsWith('/api/docs') && !r.config?.access) r.config = { ...(r.config ?? {}), access: 'public' };
    for (const m of methods) if (m !== 'HEAD') table.push({ method: m, url: r.url, config: r.config });
  });

  const cookieName = sessionCookieName(s.config);

  async function resolve(req: FastifyRequest, reply: FastifyReply): Promise<Actor | null> {
    const token = req.cookies[cookieName];
    if (!token) return null;
    if (!SESSION_TOKEN_PATTERN.test(token)) {
      clearSessionCookies(reply, s.config);
      return null;
    }
    const now = s.clock();
    const tokenHash = hashSessionToken(token);
    const reader = req.routeOptions.config.sessionRead;
    let found: SessionWithUser | undefined;
    let value: unknown;
    if (reader !== undefined) {
      const both = await reader.read(s.db, tokenHash, now, req);
      found = both?.session;
      value = both?.value;
    } else {
      found = await findSessionByTokenHash(s.db.read, tokenHash);
    }
    if (!found || !sessionAlive(found, s.config, now) || found.userStatus !== 'active') {
      clearSessionCookies(reply, s.config);
      return null;
    }
    if (now.getTime() - Date.parse(found.lastSeenAt) >= touchEveryMs(s.config)) {
      await s.db.write((trx) => touchSession(trx, found.id, now));
    }
    req.sessionToken = token;
    req.sessionReadValue = value;
    return {
      kind: 'user',
      userId: found.userId,
      role: found.role,
      orgUnitId: found.orgUnitId,
      departmentCode: found.departmentCode,
      sessionId: found.id,
      mustChangePassword: found.mustChangePassword,
    };
  }

  app.addHook('onRequest', async (req, reply) => {
    const actor = await resolve(req, reply);
    if (actor) {
      req.actor = actor;
      if (!SAFE_METHODS.has(req.method)) {
        const sent = req.headers[CSRF_HEADER];
        if (typeof sent !== 'string' || !sameToken(sent, csrfTokenFor(req.sessionToken ?? ''))) {
          throw new AppError('FORBIDDEN', 'Phiên làm việc không hợp lệ, vui lòng tải lại trang.', 'The request lacks a valid CSRF token; please reload the page.', {
            code: 'CSRF_FAILED',
          });
        }
      }
    }

    const config = req.routeOptions.config;
    if (req.routeOptions.url === undefined) return; // the not-found handler
    switch (config.access) {
      case 'public':
        return;
      case 'signed_in':
        if (req.actor.kind !== 'user') throw AppError.unauthenticated();
        if (req.actor.mustChangePassword && !config.oneTimePasswordOk) throw passwordChangeRequired();
        return;
      case 'action':
        if (req.actor.kind !== 'user') throw AppError.unauthenticated();
        if (req.actor.mustChangePassword) throw passwordChangeRequired();
        if (!config.action || !mayEverTake(req.actor, config.action)) throw AppError.forbidden();
        return;
      default:
        if (!SAFE_METHODS.has(req.method)) throw AppError.forbidden();
    }
  });
}
