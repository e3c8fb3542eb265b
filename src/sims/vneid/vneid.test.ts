// The VNeID simulator as a real process: discovery, the authorization-code flow with PKCE through its
// login page, the claims in the ID token and at userinfo, and the control API's faults.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { signInAtVneid, startSim, type TestSim } from '../../../test/helpers/sims.ts';
import { demoPersonalNumber } from '../../server/demo/demo-class.ts';

const REDIRECT = 'http://127.0.0.1:9/api/auth/vneid/callback';

describe('VNeID simulator', () => {
  let sim: TestSim;
  let config: oidc.Configuration;
  before(async () => {
    sim = await startSim('vneid', { args: ['--client-id', 'ghidanh-test', '--redirect-uri', REDIRECT], env: { VNEID_SIM_CLIENT_SECRET: 's3cret' } });
    config = await oidc.discovery(new URL(sim.url), 'ghidanh-test', undefined, oidc.ClientSecretBasic('s3cret'), { execute: [oidc.allowInsecureRequests] });
  });
  after(async () => sim?.stop());

  async function flow(personalNumber: string, level: 1 | 2) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const back = await signInAtVneid(url.href, personalNumber, level);
    assert.equal(back.origin + back.pathname, REDIRECT);
    const tokens = await oidc.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    const idClaims = tokens.claims()!;
    const info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    return { idClaims, info, back, verifier, state, nonce };
  }

  test('a demo citizen signs in at level 2: the VNeID claims are in the ID token and at userinfo', async () => {
    const { idClaims, info } = await flow(demoPersonalNumber(0), 2);
    for (const c of [idClaims, info] as Array<Record<string, unknown>>) {
      assert.equal(c['SoDinhDanh'], demoPersonalNumber(0));
      assert.equal(c['HoVaTen'], 'Nguyễn Văn An');
      assert.equal(c['NgayThangNamSinh'], '20080314');
      assert.equal(c['GioiTinh'], 'Nam');
      assert.equal(c['DanToc'], (info as Record<string, unknown>)['DanToc']);
      assert.equal(c['MucDoDinhDanh'], '2');
      assert.equal(c['NhaCungCapDinhDanh'], 'VNeID');
      assert.equal((c['ThuongTru'] as { MaTinh: string }).MaTinh, '01');
    }
  });

  test('the tester picks level 1, and the claims say so', async () => {
    const { info } = await flow(demoPersonalNumber(4), 1);
    assert.equal(info['MucDoDinhDanh'], '1');
  });

  test('a code is redeemed once: a second exchange is refused by the provider', async () => {
    const { back, verifier, state, nonce } = await flow(demoPersonalNumber(0), 2);
    await assert.rejects(oidc.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce }), (e: unknown) => (e as { error?: string }).error === 'invalid_grant');
  });

  test('PKCE is required: an authorization request without a code challenge is refused', async () => {
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid profile', state: 'x', nonce: 'y' });
    const res = await fetch(url, { redirect: 'manual' });
    const to = new URL(res.headers.get('location') ?? 'http://none/');
    assert.equal(to.searchParams.get('error'), 'invalid_request');
  });

  test('a citizen added without a claim signs in, and that claim is missing', async () => {
    await sim.seed('/__citizens', { personalNumber: '001205777777', fullName: 'Kiều Văn Thử', dateOfBirth: '2005-01-02', gender: 'M', omitClaims: ['NgayThangNamSinh'] });
    const { info } = await flow('001205777777', 2);
    assert.equal(info['HoVaTen'], 'Kiều Văn Thử');
    assert.equal(info['NgayThangNamSinh'], undefined);
  });

  test('told to fail, it answers 503; told to go down, it drops the connection; then it comes back', async () => {
    await sim.control({ mode: 'fail' });
    assert.equal((await fetch(`${sim.url}/.well-known/openid-configuration`)).status, 503);
    await sim.control({ mode: 'down' });
    await assert.rejects(fetch(`${sim.url}/.well-known/openid-configuration`));
    const st = await sim.control({ mode: 'ok' });
    assert.equal(st.mode, 'ok');
    assert.equal((await fetch(`${sim.url}/.well-known/openid-configuration`)).status, 200);
  });
});
