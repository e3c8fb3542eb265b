// The VNeID simulator: a real OpenID Connect provider (oidc-provider) that signs the demo citizens in
// with the authorization-code flow (PKCE required) and hands out their VNeID claims in the ID token and
// at userinfo. Its login page lets a tester pick a citizen and the identity level (1 or 2).
//   node --import tsx src/sims/vneid/main.ts --port 0 --data-dir /tmp/vneid \
//     --client-id ghidanh --redirect-uri http://localhost:3000/api/auth/vneid/callback
// The client secret comes from VNEID_SIM_CLIENT_SECRET (or --client-secret). Test-only routes:
// GET /__citizens (who it knows), POST /__citizens (add one, optionally without some claims).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';
import Provider, { type Configuration } from 'oidc-provider';
import { z } from 'zod';
import { HttpError, parseSimArgs, readBody, readJson, runSim, sendHtml, sendJson, startMain } from '../shared/sim-server.ts';
import { demoCitizens, type Citizen } from '../shared/citizens.ts';
import { claimsOf, VNEID_CLAIMS } from './claims.ts';
import { loginPage } from './login-page.ts';

interface Known {
  citizen: Citizen;
  level: 1 | 2;
  omit: string[];
}

const addCitizenBody = z
  .object({
    personalNumber: z.string().regex(/^\d{12}$/),
    fullName: z.string().min(1).max(100),
    dateOfBirth: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    gender: z.enum(['M', 'F']),
    ethnicityCode: z.string().default('01'),
    provinceCode: z.string().default('01'),
    communeCode: z.string().default('00004'),
    /** claims this identity's answers leave out (to test a relying party's refusal) */
    omitClaims: z.array(z.enum(VNEID_CLAIMS)).default([]),
  })
  .strict();

/** The signing key, kept in the data folder so tokens stay verifiable across a restart. */
function signingKey(dataDir: string): crypto.JsonWebKey {
  const file = path.join(dataDir, 'signing-key.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as crypto.JsonWebKey;
  // RS256: what OpenID Connect clients expect by default
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256', kid: crypto.randomUUID() };
  fs.writeFileSync(file, JSON.stringify(jwk), { mode: 0o600 });
  return jwk;
}

function form(raw: string): URLSearchParams {
  return new URLSearchParams(raw);
}

async function main(): Promise<void> {
  const args = parseSimArgs(process.argv.slice(2));
  const clientId = args.extra['client-id'] ?? 'ghidanh';
  const clientSecret = process.env['VNEID_SIM_CLIENT_SECRET'] ?? args.extra['client-secret'] ?? 'ghidanh-vneid-sim-secret';
  const redirectUris = (args.extra['redirect-uri'] ?? 'http://localhost:3000/api/auth/vneid/callback').split(',').filter(Boolean);

  const known = new Map<string, Known>();
  // the 'unknown' ones are not in the population database, so VNeID has no identity for them either
  for (const c of demoCitizens()) if (c.planted !== 'unknown') known.set(c.personalNumber, { citizen: c, level: 2, omit: [] });

  await runSim(args, async (issuer) => {
    const configuration: Configuration = {
      clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: redirectUris, grant_types: ['authorization_code'], response_types: ['code'] }],
      pkce: { required: () => true },
      claims: { openid: ['sub'], profile: [...VNEID_CLAIMS] },
      // the claims travel in the ID token as well as at userinfo, as the portal's sign-in does
      conformIdTokenClaims: false,
      features: { devInteractions: { enabled: false } },
      cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
      jwks: { keys: [signingKey(args.dataDir) as never] },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      async findAccount(_ctx, sub) {
        const k = known.get(sub);
        if (!k) return undefined;
        return { accountId: sub, claims: async () => ({ sub, ...claimsOf(k.citizen, k.level, k.omit) }) };
      },
      renderError: async (ctx, out) => {
        ctx.type = 'html';
        ctx.body = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Lỗi / Error</title></head><body><main><h1>Có lỗi xảy ra / An error occurred</h1><pre>${Object.entries(out)
          .map(([k, v]) => `${k}: ${String(v).replace(/[<>&]/g, '')}`)
          .join('\n')}</pre></main></body></html>`;
      },
    };
    const provider = new Provider(issuer, configuration);
    const callback = provider.callback();
    const lang = (url: URL): 'vi' | 'en' => (url.searchParams.get('lang') === 'en' ? 'en' : 'vi');
    const listed = () => [...known.values()].filter((k) => k.citizen.origin !== 'country').map((k) => k.citizen);

    async function interaction(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
      const [, , uid, action] = url.pathname.split('/');
      if (!uid) throw new HttpError(404, { error: 'not found' });
      if (req.method === 'GET' && !action) {
        await provider.interactionDetails(req, res);
        return sendHtml(res, 200, loginPage(uid, listed(), lang(url)));
      }
      if (action === 'abort') {
        return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'End-User aborted interaction' }, { mergeWithLastSubmission: false });
      }
      if (req.method === 'POST' && action === 'login') {
        const details = await provider.interactionDetails(req, res);
        const body = form(await readBody(req, 16_384));
        const number = (body.get('otherPersonalNumber') ?? '').trim() || (body.get('personalNumber') ?? '');
        const k = known.get(number);
        if (!k) return sendHtml(res, 200, loginPage(uid, listed(), lang(url), true));
        // the level is the identity's as VNeID knows it now: picking it here is the tester's way of saying so
        k.level = body.get('level') === '1' ? 1 : 2;
        const grant = new provider.Grant({ accountId: number, clientId: String(details.params['client_id']) });
        grant.addOIDCScope(String(details.params['scope'] ?? 'openid'));
        const grantId = await grant.save();
        return provider.interactionFinished(req, res, { login: { accountId: number }, consent: { grantId } }, { mergeWithLastSubmission: false });
      }
      throw new HttpError(404, { error: 'not found' });
    }

    return {
      name: 'vneid',
      handler: async (req, res, url) => {
        if (url.pathname.startsWith('/interaction/')) return interaction(req, res, url);
        await callback(req, res);
      },
      controlRoutes: async (req, res, url) => {
        if (url.pathname !== '/__citizens') throw new HttpError(404, { error: 'not found' });
        if (req.method === 'POST') {
          const b = await readJson(req, addCitizenBody);
          const residence = { provinceCode: b.provinceCode, communeCode: b.communeCode, address: 'Số 1' };
          const citizen: Citizen = {
            personalNumber: b.personalNumber,
            fullName: b.fullName.normalize('NFC'),
            dateOfBirth: b.dateOfBirth,
            gender: b.gender,
            ethnicityCode: b.ethnicityCode,
            permanentResidence: residence,
            currentResidence: residence,
            origin: 'free',
            planted: 'none',
            schoolRecord: null,
          };
          known.set(b.personalNumber, { citizen, level: 2, omit: b.omitClaims });
          return sendJson(res, 201, { personalNumber: b.personalNumber });
        }
        return sendJson(res, 200, { citizens: [...known.values()].map((k) => ({ ...k.citizen, level: k.level, omitClaims: k.omit })) });
      },
    };
  });
}

startMain(main);
