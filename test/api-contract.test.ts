// The browser's response types (src/web/api/endpoints.ts) against what the server sends, for the features
// not yet on contracts (the dossier and verification). src/web may not import src/server, so the web keeps
// its own copies of those; this file holds them together (the features on src/contracts need none of it:
// their answers are checked against the contract's schema in every test that calls them):
//  1. at compile time (tsc runs in `npm test`), every web type is checked against the server's source of
//     truth — the interface a command returns or the zod schema a route answers with: the server's type
//     must be assignable to the web's, and every key the web declares (optional ones too, at any depth)
//     must exist on the server;
//  2. at run time, the most used answers (GET /api/dossier, /api/dossier/status, /api/verification/queue) are fetched from the app in-process and their JSON must carry every key the
//     web type declares. The expected keys are listed once, typed from the web type, so a key the web adds
//     or renames must be listed here too.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { describeEachDb } from './helpers/db.ts';
import { testApp, testClock } from './helpers/app.ts';
import type { Config } from '../src/server/config.ts';
import type { UserActor } from '../src/server/policy/policy.ts';
import { quietEnv } from '../src/server/accounts/test-support.ts';
import { AT, buildRegWorld, goodDossier, headersFor, type RegWorld } from '../src/server/registration/test-fixtures.ts';
import { orgIdForCode } from '../src/server/org/org.repository.ts';
import type * as Web from '../src/web/api/endpoints.ts';
import type { ApiResult } from '../src/web/api/client.ts';
// the server's sources of truth
import type { DossierView as ServerDossierView } from '../src/server/registration/dossier-view.ts';
import type { DossierResponse, StatusResponse } from '../src/server/registration/get-dossier.ts';
import type { SaveResult } from '../src/server/registration/save-section.ts';
import type { SubmitResponse } from '../src/server/registration/submit-registration.ts';
import type { listVerificationQueue } from '../src/server/verification/list-queue.ts';
import type { QueueItem } from '../src/server/verification/verification.repository.ts';
import type { bulkResponse, formNumbersResponse, queueResponse, statusResponse } from '../src/server/verification/verification.schema.ts';
import type { checkResponse, yearListResponse, yearResponse } from '../src/contracts/admin.ts';

// ---------------------------------------------------------------------------------------------------
// 1. Compile time
// ---------------------------------------------------------------------------------------------------

type Assert<T extends true> = T;
type Extends<A, B> = [A] extends [B] ? true : false;
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
type IsAny<T> = 0 extends 1 & T ? true : false;

type Defined<T> = Exclude<T, null | undefined>;
type ItemOf<T> = T extends readonly (infer E)[] ? E : T;

/**
 * The paths ('.dossier.flags.photoMissing', '.items[].className') of keys the web type W declares and the
 * server type S lacks, at any depth through objects, arrays and nullable values; never when none.
 * Catches what assignability alone lets through: a key the web declares optional but the server renamed.
 */
type MissingKeys<W, S, P extends string = ''> =
  Equal<W, S> extends true
    ? never
    : Defined<W> extends readonly (infer WE)[]
      ? MissingKeys<WE, ItemOf<Defined<S>>, `${P}[]`>
      : [Defined<W>] extends [object]
        ? Exclude<
            { [K in keyof Defined<W> & string]: K extends keyof Defined<S> ? MissingKeys<Defined<W>[K], Defined<S>[K], `${P}.${K}`> : `${P}.${K}` }[keyof Defined<W> & string],
            undefined
          >
        : never;

/** true when the web may read Server as WebT; otherwise a type naming what is wrong (shown by tsc). */
type Contract<Server, WebT> = true extends IsAny<Server> | IsAny<WebT>
  ? { error: 'a side is `any`: the import or the type does not resolve'; server: Server; web: WebT }
  : [MissingKeys<WebT, Server>] extends [never]
  ? Extends<Server, WebT> extends true
    ? true
    : { error: 'the server type is not assignable to the web type'; server: Server; web: WebT }
  : { error: 'keys the web declares that the server does not send'; missing: MissingKeys<WebT, Server> };

/** What a web api function's promise gives the page (the data of an ApiResult, or the value itself). */
type Data<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>> extends ApiResult<infer T> ? T : Awaited<ReturnType<F>>;
type Item<T> = T extends ReadonlyArray<infer E> ? E : never;

// The helpers themselves: they must see a rename, a missing optional key and a nested one.
export type HelperSelfChecks = [
  Assert<Equal<MissingKeys<{ a: string; b?: number }, { a: string }>, '.b'>>,
  Assert<Equal<MissingKeys<{ x: Array<{ a: string } | null> }, { x: Array<{ b: string } | null> }>, '.x[].a'>>,
  Assert<Equal<MissingKeys<{ a: string }, { a: string; extra: number }>, never>>,
  Assert<Extends<Contract<{ a: string }, { a: string | null }>, true>>,
  Assert<Extends<Contract<{ a: number }, { a: string }>, true> extends true ? false : true>,
  Assert<Extends<Contract<{ renamed: string }, { a?: string }>, true> extends true ? false : true>,
  Assert<Extends<Contract<any, { a: string }>, true> extends true ? false : true>,
];

type QueueOut = z.output<typeof queueResponse>;
/** what the route sends: `lines` is the QueueItems' JSON text (the run-time walk below reads it) */
type QueueSent = Omit<Awaited<ReturnType<typeof listVerificationQueue>>, 'lines' | 'count'> & { items: QueueItem[] };

/** One entry per web type (or per inline response type of an api function): web ← server. */
export type ApiContracts = {
  // the dossier: src/server/registration/routes.ts (getDossier, getDossierStatus, saveSection, submitRegistration)
  taskState: Assert<Equal<Web.TaskState, Item<ServerDossierView['tasks']>['state']>>;
  dossierView: Assert<Contract<ServerDossierView, Web.DossierView>>;
  dossierGet: Assert<Contract<DossierResponse, { dossier: Web.DossierView }>>;
  dossierSave: Assert<Contract<SaveResult, { dossier: Web.DossierView }>>;
  dossierSubmit: Assert<Extends<SubmitResponse, Data<typeof Web.dossierApi.submit>>>;
  dossierSubmitEnvelope: Assert<Contract<SubmitResponse, { dossier: Web.DossierView }>>;
  dossierStatus: Assert<Contract<StatusResponse, Web.DossierStatusView>>;
  historyEntry: Assert<Contract<Item<StatusResponse['history']>, Web.HistoryEntry>>;

  // the verification queue and its commands: src/server/verification/routes.ts
  queuePage: Assert<Contract<QueueOut, Web.QueuePage>>;
  queueItem: Assert<Contract<Item<QueueOut['items']>, Web.QueueItem>>;
  /** what the route actually writes (the repository's lines, sent as bytes, not through the schema) */
  queueSent: Assert<Contract<QueueSent, Web.QueuePage>>;
  queueCall: Assert<Contract<QueueOut, Data<typeof Web.pointApi.queue>>>;
  bulkVerify: Assert<Contract<z.output<typeof bulkResponse>, Data<typeof Web.pointApi.verify>>>;
  returnDossier: Assert<Contract<z.output<typeof statusResponse>, Data<typeof Web.pointApi.returnDossier>>>;
  formNumbers: Assert<Contract<z.output<typeof formNumbersResponse>, Data<typeof Web.pointApi.assignFormNumbers>>>;
  staffDossier: Assert<Contract<DossierResponse, { dossier: Web.DossierView }>>;
  staffDossierStatus: Assert<Contract<StatusResponse, Data<typeof Web.pointApi.dossierStatus>>>;

  // exam years: src/server/admin/routes.ts, shapes of admin.schema.ts
  examYearConfig: Assert<Contract<z.output<typeof yearResponse>, Web.ExamYearConfig>>;
  examYearList: Assert<Contract<z.output<typeof yearListResponse>, Data<typeof Web.examYearApi.list>>>;
  examYearCheck: Assert<Contract<z.output<typeof checkResponse>, Web.ExamYearCheck>>;
  examYearPublish: Assert<Contract<z.output<typeof yearResponse>, Data<typeof Web.examYearApi.publish>>>;
};

// ---------------------------------------------------------------------------------------------------
// 2. Run time
// ---------------------------------------------------------------------------------------------------

/**
 * The keys a web type declares, every one of them (`-?`): `true` checks the key is there; a nested spec
 * also walks the value (an object, each element of an array; null is skipped).
 */
type KeySpec<T> = { [K in keyof T]-?: true | NestedSpec<T[K]> };
type NestedSpec<V> = [ItemOf<Defined<V>>] extends [object] ? (ItemOf<Defined<V>> extends readonly unknown[] ? never : KeySpec<ItemOf<Defined<V>>>) : never;
interface Spec {
  readonly [key: string]: true | Spec;
}

const labelKeys = { vi: true, en: true } as const satisfies KeySpec<{ vi: string; en: string }>;

const dossierViewKeys = {
  id: true,
  examYear: true,
  isTrial: true,
  status: true,
  statusLabel: labelKeys,
  version: true,
  channel: true,
  formNumber: true,
  submittedAt: true,
  verifiedAt: true,
  returnedAt: true,
  returnReason: true,
  photoUploaded: true,
  sections: true,
  prefill: { personal: true, status: true },
  tasks: { id: true, vi: true, en: true, state: true, findings: true },
  findings: true,
  readyToSubmit: true,
  candidate: { id: true, fullName: true, idNumberMasked: true, candidateType: true, pointId: true, departmentCode: true },
  phase: true,
  mayEdit: true,
} as const satisfies KeySpec<Web.DossierView>;

const historyKeys = {
  at: true,
  event: true,
  label: labelKeys,
  by: { role: true, roleLabel: labelKeys, name: true },
  fromStatus: true,
  toStatus: true,
  sections: { id: true, vi: true, en: true },
  reason: true,
} as const satisfies KeySpec<Web.HistoryEntry>;

const statusKeys = {
  dossierId: true,
  status: true,
  statusLabel: labelKeys,
  version: true,
  formNumber: true,
  submittedAt: true,
  verifiedAt: true,
  returned: { at: true, reason: true },
  phase: true,
  mayEdit: true,
  officialClosesAt: true,
  history: historyKeys,
} as const satisfies KeySpec<Web.DossierStatusView>;

const queueItemKeys = {
  candidateId: true,
  pointId: true,
  departmentCode: true,
  fullName: true,
  dateOfBirth: true,
  gender: true,
  className: true,
  idNumber: true,
  candidateType: true,
  dossier: {
    id: true,
    status: true,
    version: true,
    channel: true,
    formNumber: true,
    purpose: true,
    subjectsCombo: true,
    flags: { cccdMismatch: true, photoMissing: true, exemptionClaimed: true, priorityClaimed: true },
    submittedAt: true,
    returnReason: true,
    errorsCount: true,
  },
} as const satisfies KeySpec<Web.QueueItem>;

const queuePageKeys = { examYear: true, items: queueItemKeys, nextCursor: true } as const satisfies KeySpec<Web.QueuePage>;

/** The registration routes answer `{ dossier: view, … }` (the web unwraps it). */
const dossierGetKeys = { dossier: dossierViewKeys } as const satisfies KeySpec<{ dossier: Web.DossierView }>;

interface KeyCheck {
  /** keys the spec lists and the JSON lacks, or holds as a non-object where an object was expected */
  missing: string[];
  /** nested specs never walked because the JSON had no value there (null or an empty list): unchecked */
  unchecked: string[];
}

/** Paths are written without array indexes: `.items.dossier.flags`. */
function checkKeys(json: unknown, spec: Spec): KeyCheck {
  const missing = new Set<string>();
  const walked = new Set<string>();
  const nested = new Set<string>();
  const collect = (s: Spec, at: string) => {
    for (const [k, v] of Object.entries(s)) {
      if (v === true) continue;
      nested.add(`${at}.${k}`);
      collect(v, `${at}.${k}`);
    }
  };
  collect(spec, '');
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const walk = (value: unknown, s: Spec, at: string) => {
    if (!isObject(value)) {
      missing.add(`${at} (not an object)`);
      return;
    }
    walked.add(at);
    for (const [k, sub] of Object.entries(s)) {
      if (!Object.hasOwn(value, k)) {
        missing.add(`${at}.${k}`);
        continue;
      }
      const v = value[k];
      if (sub === true || v === null) continue;
      if (Array.isArray(v)) for (const e of v) walk(e, sub, `${at}.${k}`);
      else walk(v, sub, `${at}.${k}`);
    }
  };
  walk(json, spec, '');
  return { missing: [...missing].sort(), unchecked: [...nested].filter((p) => !walked.has(p)).sort() };
}

test('the key walker sees a renamed key, a renamed nested key and a nested spec left unwalked', () => {
  const spec: Spec = { a: true, list: { b: true, inner: { c: true } } };
  assert.deepEqual(checkKeys({ a: 1, list: [{ b: 1, inner: { c: 1 } }, { b: 2, inner: null }] }, spec), { missing: [], unchecked: [] });
  assert.deepEqual(checkKeys({ a2: 1, list: [{ b: 1, inner: { c2: 1 } }] }, spec), { missing: ['.a', '.list.inner.c'], unchecked: [] });
  assert.deepEqual(checkKeys({ a: 1, list: [] }, spec), { missing: [], unchecked: ['.list', '.list.inner'] });
  assert.deepEqual(checkKeys({ a: 1, list: 'x' }, spec), { missing: ['.list (not an object)'], unchecked: ['.list', '.list.inner'] });
});

describeEachDb('API contract: the JSON the server sends has every key the web reads', (getDb) => {
  let app: FastifyInstance;
  let config: Config;
  let w: RegWorld;
  let dataDir: string;
  const clock = testClock(AT.official);

  const call = async (u: UserActor, method: 'GET' | 'PATCH' | 'POST', url: string, o: { body?: object; headers?: Record<string, string> } = {}) => {
    const headers = { ...(await headersFor(getDb().db, config, u, clock())), ...(o.headers ?? {}) };
    const r = await app.inject({ method, url, headers, ...(o.body !== undefined ? { payload: o.body } : {}) });
    assert.ok(r.statusCode >= 200 && r.statusCode < 300, `${method} ${url}: ${r.statusCode} ${r.body}`);
    return r.json() as unknown;
  };
  const expectKeys = (json: unknown, spec: Spec) => assert.deepEqual(checkKeys(json, spec), { missing: [], unchecked: [] });

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-contract-'));
    w = await buildRegWorld(getDb().db);
    ({ app, config } = await testApp(getDb().db, { clock, env: quietEnv({ DATA_DIR: dataDir }) }));
    // a dossier that has been filled in, submitted and returned, so every nullable part has a value
    const saved = (await call(w.users.candA, 'PATCH', '/api/dossier', { body: goodDossier(w.cccd.candA), headers: { 'if-match': '"0"' } })) as { dossier: { id: string; version: number } };
    const sent = (await call(w.users.candA, 'POST', '/api/dossier/submit', { body: {}, headers: { 'if-match': `"${saved.dossier.version}"` } })) as { dossier: { version: number } };
    await call(w.users.pointA, 'POST', `/api/verification/dossiers/${saved.dossier.id}/return`, { body: { version: sent.dossier.version, reason: 'Ảnh chân dung bị mờ' } });
  });
  after(async () => {
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('GET /api/dossier → { dossier: DossierView }', async () => {
    expectKeys(await call(w.users.candA, 'GET', '/api/dossier'), dossierGetKeys);
    // a candidate who has not started: the view of no dossier has the same keys
    const fresh = await call(w.users.candB, 'GET', '/api/dossier');
    assert.deepEqual(checkKeys(fresh, dossierGetKeys).missing, []);
  });

  test('GET /api/dossier/status → DossierStatusView', async () => {
    expectKeys(await call(w.users.candA, 'GET', '/api/dossier/status'), statusKeys);
  });

  test('GET /api/verification/queue → QueuePage', async () => {
    const page = await call(w.users.pointA, 'GET', `/api/verification/queue?pointId=${orgIdForCode('01001')}`);
    expectKeys(page, queuePageKeys);
    assert.ok((page as { items: unknown[] }).items.length >= 2, 'the point lists its candidates');
  });
});
