// The national admission run after the matching (issue 24, items 4 and 5): the ministry's provisional and
// published runs and what a run changed, the candidates' results and enrolment confirmation, the
// institutions' admitted lists and cut-offs, and the dashboards. Scores and cut-offs are in hundredths of a
// point (2675 = 26,75), as the run computes them. Shared by the server's routes, the browser and OpenAPI.
import { z } from 'zod';
import { fileBody, media } from './common.ts';
import { operation } from './operation.ts';
import { CHANGE_WHYS, SECOND_RUN_POLICIES } from '../domain/admission/run-state.ts';

const tags = ['admission-run'] as const;

export const runParams = z.strictObject({ runId: z.string().min(1).max(64) });
export const institutionParams = z.strictObject({ institutionId: z.string().min(1).max(64) });
export const runQuery = z.strictObject({ runId: z.string().min(1).max(64).optional() });

export const runKind = z.enum(['queued', 'running', 'provisional', 'published', 'superseded', 'failed']);

/**
 * How a run after a publication treats the published result: protect-published (every published admission
 * stands; candidates move up only to wishes whose published cut-off they now reach) or recompute (from
 * scratch, with a reason: it may take published admissions back).
 */
export const secondRunPolicy = z.enum(SECOND_RUN_POLICIES);
export const changeWhy = z.enum(CHANGE_WHYS);

export const runShape = z.object({
  id: z.string(),
  examYear: z.number().int(),
  kind: runKind,
  inputHash: z.string().nullable(),
  resultHash: z.string().nullable(),
  algorithm: z.string().nullable(),
  programmes: z.number().int(),
  candidates: z.number().int(),
  wishes: z.number().int(),
  /** wishes that took part (paid, eligible, within the teacher-training positions) */
  considered: z.number().int(),
  admitted: z.number().int(),
  unpaid: z.number().int(),
  ineligible: z.number().int(),
  /** candidates whose result differs from the run it follows (null: a first run) */
  changed: z.number().int().nullable(),
  /** ms by phase (read_ms, match_ms, hash_ms, store_ms, diff_ms) and peak_rss_mib */
  timings: z.record(z.string(), z.number()),
  startedBy: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  previousRunId: z.string().nullable(),
  reason: z.string().nullable(),
  publishedBy: z.string().nullable(),
  publishedAt: z.string().nullable(),
  supersededByRun: z.string().nullable(),
  supersededAt: z.string().nullable(),
  /** why the run failed (Vietnamese, then English), null otherwise */
  message: z.string().nullable(),
  /** the policy of a run that follows a published run (part of its hashed input); null for one that follows none */
  policy: secondRunPolicy.nullable(),
});

export const startRunBody = z.strictObject({
  /** required for a recompute once a run is published: why run again (score reviews, corrections); audited */
  reason: z.string().trim().max(500).optional(),
  /** once a run is published (ignored before): protect-published when absent */
  policy: secondRunPolicy.optional(),
});

export const runsList = z.object({ examYear: z.number().int(), runs: z.array(runShape) });

export const changeShape = z.object({
  candidateId: z.string(),
  before: z.object({ programmeId: z.string().nullable(), wish: z.number().int().nullable() }).nullable(),
  after: z.object({ programmeId: z.string().nullable(), wish: z.number().int().nullable() }).nullable(),
  /** own-score | wishes | cutoff | new | gone; under protect-published: moved-up | reached-cutoff | free-place */
  why: changeWhy,
  vi: z.string(),
  en: z.string(),
});
export const runChanges = z.object({ run: runShape, changes: z.array(changeShape), truncated: z.boolean() });

export const programmeRef = z.object({ id: z.string(), name: z.string(), institutionCode: z.string(), code: z.string(), method: z.string() });

export const reasonCode = z.enum(['below-cutoff', 'tie-break', 'no-places', 'teacher-training-position', 'unpaid', 'ineligible']);

export const ownAdmissionShape = z.object({
  examYear: z.number().int(),
  run: z.object({ id: z.string(), publishedAt: z.string().nullable() }),
  /** false: the candidate had no wish in the run */
  inRun: z.boolean(),
  admitted: z.object({ wish: z.number().int(), programme: programmeRef, score: z.number().int() }).nullable(),
  /** every wish above the admitted one (all, when admitted nowhere), with its reason */
  notObtained: z.array(
    z.object({
      wish: z.number().int(),
      programme: programmeRef,
      reason: reasonCode,
      score: z.number().int(),
      cutoff: z.number().int().nullable(),
      /** tie-break only: wish-order | candidate-id | value:<key> */
      decidedBy: z.string().nullable(),
      vi: z.string(),
      en: z.string(),
    }),
  ),
  enrolment: z.object({ deadline: z.string().nullable(), open: z.boolean(), confirmedAt: z.string().nullable() }),
  /**
   * When this publication replaced an earlier one and changed the candidate's result: the earlier admission
   * (null: admitted nowhere, or not in that run), why it changed, and an enrolment confirmed for the
   * earlier result that no longer holds. Null when nothing changed for the candidate.
   */
  change: z
    .object({
      before: z.object({ wish: z.number().int(), programme: programmeRef }).nullable(),
      why: changeWhy,
      vi: z.string(),
      en: z.string(),
      confirmedBefore: z.object({ programme: programmeRef, confirmedAt: z.string() }).nullable(),
    })
    .nullable(),
});

export const enrolmentShape = z.object({ programme: programmeRef, confirmedAt: z.string() });

export const dashboardShape = z.object({
  run: runShape,
  scope: z.union([z.object({ kind: z.literal('national') }), z.object({ kind: z.literal('institution'), id: z.string(), code: z.string(), name: z.string() })]),
  totals: z.object({
    programmes: z.number().int(),
    quota: z.number().int(),
    applicants: z.number().int(),
    admitted: z.number().int(),
    confirmed: z.number().int(),
    admittedAtFirstWish: z.number().int(),
    shareAtFirstWish: z.number().nullable(),
  }),
  byWish: z.array(z.object({ wish: z.number().int(), admitted: z.number().int() })),
  byCombination: z.array(z.object({ combination: z.string(), programmes: z.number().int(), admitted: z.number().int(), lowestMin: z.number().int().nullable(), lowestMedian: z.number().int().nullable() })),
  programmes: z.array(
    z.object({
      programme: programmeRef,
      quota: z.number().int(),
      applicants: z.number().int(),
      admitted: z.number().int(),
      confirmed: z.number().int(),
      full: z.boolean(),
      cutoff: z.number().int().nullable(),
      lowestAdmitted: z.number().int().nullable(),
      byCombination: z.array(z.object({ combination: z.string(), admitted: z.number().int(), lowest: z.number().int().nullable() })),
    }),
  ),
});

export const listRuns = operation({ method: 'GET', path: '/api/admission/runs', tags, summary: "The year's admission runs, newest first (the ministry)", responses: { 200: runsList } });
export const startRun = operation({
  method: 'POST',
  path: '/api/admission/runs',
  tags,
  summary: 'Ask for a provisional run over the paid, eligible wishes: answered at once (202) with the queued run, which the job worker reads, matches, hashes and stores; poll the list for its state. Once a run is published the new run protects it (policy protect-published, the default) or recomputes from scratch (policy recompute, which requires a reason; audited)',
  body: startRunBody,
  responses: { 202: runShape },
});
export const publishRun = operation({
  method: 'POST',
  path: '/api/admission/runs/:runId/publish',
  tags,
  summary: 'Publish a provisional run: candidates see their results; the run published before is superseded, never deleted (audited)',
  params: runParams,
  responses: { 200: z.object({ run: runShape, superseded: z.string().nullable() }) },
});
export const getRunChanges = operation({ method: 'GET', path: '/api/admission/runs/:runId/changes', tags, summary: 'Every candidate whose result the run changed against the run it follows, and why (audited)', params: runParams, responses: { 200: runChanges } });
export const nationalDashboard = operation({
  method: 'GET',
  path: '/api/admission/dashboard',
  tags,
  summary: 'National dashboard of a run (default: the published one, else the latest): cut-offs by programme and combination, admissions by wish position',
  query: runQuery,
  responses: { 200: dashboardShape },
});
export const institutionDashboard = operation({
  method: 'GET',
  path: '/api/admission/institutions/:institutionId/dashboard',
  tags,
  summary: "An institution's cut-offs and dashboard for a run (its admissions officers and the ministry; another institution's: 403, audited)",
  params: institutionParams,
  query: runQuery,
  responses: { 200: dashboardShape },
});
export const institutionAdmittedList = operation({
  method: 'GET',
  path: '/api/admission/institutions/:institutionId/admitted.xlsx',
  tags,
  summary: "An institution's admitted list (XLSX): cut-offs, then each programme's admitted candidates (audited)",
  params: institutionParams,
  query: runQuery,
  produces: media.xlsx,
  responses: { 200: fileBody },
});
export const ownAdmission = operation({
  method: 'GET',
  path: '/api/admission/me',
  tags,
  summary: 'My published admission result: the admitted wish, and for every higher wish its cut-off, my score and the reason (404 ADMISSION_NOT_PUBLISHED before publication)',
  responses: { 200: ownAdmissionShape },
});
export const confirmEnrolment = operation({
  method: 'POST',
  path: '/api/admission/me/enrolment',
  tags,
  summary: "Confirm enrolment (xác nhận nhập học) at the admitted programme, by the year's deadline (409 ENROLMENT_CLOSED after it; audited)",
  responses: { 200: enrolmentShape },
});
