// The app as a relying party of VNeID, with openid-client: discovery (cached; tried again after a
// failure), the authorization URL with PKCE, state and nonce, and the callback's code exchange, which
// checks state, nonce, issuer, audience and the ID token's signature; then the claims from the ID token
// and userinfo together. Every call to VNeID goes through the link's breaker and status tracker.
import * as oidc from 'openid-client';
import type { LinkTracker } from '../link-status.ts';

export const VNEID_SCOPE = 'openid profile';

export interface RelyingPartyOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
  timeoutMs: number;
  tracker: LinkTracker;
  clock: () => Date;
}

export interface Checks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** Why the exchange failed: the provider unreachable, the person cancelled, or the callback is not good. */
export class VneidFlowError extends Error {
  constructor(
    readonly reason: 'unavailable' | 'cancelled' | 'invalid',
    readonly detail: string,
  ) {
    super(`VNeID: ${reason} (${detail})`);
  }
}

export class VneidRelyingParty {
  private config: Promise<oidc.Configuration> | null = null;

  constructor(private readonly o: RelyingPartyOptions) {}

  /** fetch through the breaker, noting each outcome for the operations page */
  private readonly trackedFetch: oidc.CustomFetch = async (url, options) => {
    const t = this.o.tracker;
    const started = performance.now();
    let unwell: Response | null = null;
    try {
      const res = await t.breaker.run(
        async () => {
          const r = await fetch(url, options as RequestInit);
          if (r.status >= 500) {
            unwell = r;
            throw new Error(`HTTP ${r.status}`);
          }
          return r;
        },
        () => true,
      );
      t.success(this.o.clock(), Math.round(performance.now() - started));
      return res;
    } catch (e) {
      t.failure(this.o.clock(), (e as Error).message, Math.round(performance.now() - started));
      if (unwell) return unwell;
      throw e;
    }
  };

  private configuration(): Promise<oidc.Configuration> {
    if (!this.config) {
      const insecure = new URL(this.o.issuer).protocol === 'http:';
      this.config = oidc
        .discovery(new URL(this.o.issuer), this.o.clientId, undefined, oidc.ClientSecretBasic(this.o.clientSecret), {
          [oidc.customFetch]: this.trackedFetch,
          timeout: Math.max(1, Math.ceil(this.o.timeoutMs / 1000)),
          // plain http only where the issuer is configured so (the simulator on loopback)
          execute: insecure ? [oidc.allowInsecureRequests] : [],
        })
        .catch((e: unknown) => {
          this.config = null;
          throw new VneidFlowError('unavailable', (e as Error).message);
        });
    }
    return this.config;
  }

  async authorizationUrl(checks: Checks): Promise<URL> {
    const config = await this.configuration();
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.o.redirectUrl,
      scope: VNEID_SCOPE,
      code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
      state: checks.state,
      nonce: checks.nonce,
    });
  }

  /** The claims of the person who signed in, from the ID token and userinfo (userinfo wins a clash). */
  async complete(callbackQuery: URLSearchParams, checks: Checks): Promise<Record<string, unknown>> {
    const config = await this.configuration();
    const current = new URL(this.o.redirectUrl);
    current.search = callbackQuery.toString();
    try {
      const tokens = await oidc.authorizationCodeGrant(config, current, { pkceCodeVerifier: checks.codeVerifier, expectedState: checks.state, expectedNonce: checks.nonce, idTokenExpected: true });
      const idClaims = tokens.claims();
      if (!idClaims) throw new VneidFlowError('invalid', 'no ID token');
      const info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      return { ...idClaims, ...info };
    } catch (e) {
      if (e instanceof VneidFlowError) throw e;
      if (e instanceof oidc.AuthorizationResponseError) throw new VneidFlowError(e.error === 'access_denied' ? 'cancelled' : 'invalid', e.error);
      if (e instanceof oidc.ResponseBodyError) throw new VneidFlowError(e.status >= 500 ? 'unavailable' : 'invalid', e.error);
      if (e instanceof oidc.ClientError) throw new VneidFlowError('invalid', (e as { code?: string }).code ?? e.message);
      throw new VneidFlowError('unavailable', (e as Error).message);
    }
  }
}
