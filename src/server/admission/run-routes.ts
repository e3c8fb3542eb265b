// The admission run's API (issue 24, items 4 and 5): thin handlers over runs.ts and results.ts, registered
// from src/contracts/admission-run.ts, each answer an explicit mapping.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import * as c from '../../contracts/admission-run.ts';
import { ctxOf, type Services } from '../context.ts';
import { routeOf } from '../http/route.ts';
import { explainChange, explainNotObtained } from '../../domain/admission/explain.ts';
import type { ChangeWhy } from '../../domain/admission/run-state.ts';
import type { NotObtainedReason } from '../../domain/admission/types.ts';
import { admissionRunChanges, listAdmissionRuns, publishAdmissionRun, startAdmissionRun } from './runs.ts';
import { confirmEnrolment, institutionAdmittedXlsx, institutionDashboard, nationalDashboard, ownAdmission, type Dashboard, type OwnAdmission } from './results.ts';
import type { RunRecord } from './run.repository.ts';
import '../http/route-access.ts';

const presentRun = (r: RunRecord): z.infer<typeof c.runShape> => ({
  id: r.id,
  examYear: r.examYear,
  kind: r.kind,
  inputHash: r.inputHash,
  resultHash: r.resultHash,
  algorithm: r.algorithm,
  programmes: r.programmes,
  candidates: r.candidates,
  wishes: r.wishes,
  considered: r.considered,
  admitted: r.admitted,
  unpaid: r.unpaid,
  ineligible: r.ineligible,
  changed: r.changed,
  timings: r.timings,
  startedBy: r.startedBy,
  startedAt: r.startedAt,
  finishedAt: r.finishedAt,
  previousRunId: r.previousRunId,
  reason: r.reason,
  publishedBy: r.publishedBy,
  publishedAt: r.publishedAt,
  supersededByRun: r.supersededByRun,
  supersededAt: r.supersededAt,
  message: r.message,
  policy: r.policy,
});

const presentOwn = (o: OwnAdmission): z.infer<typeof c.ownAdmissionShape> => ({
  examYear: o.examYear,
  run: o.run,
  inRun: o.inRun,
  admitted: o.admitted,
  notObtained: o.notObtained.map((n) => ({ ...n, reason: n.reason as NotObtainedReason, ...explainNotObtained(n.reason as NotObtainedReason, n.score, n.cutoff, n.decidedBy) })),
  enrolment: o.enrolment,
  change: o.change ? { before: o.change.before, why: o.change.why as ChangeWhy, ...explainChange(o.change.why as ChangeWhy), confirmedBefore: o.change.confirmedBefore } : null,
});

const presentDashboard = (d: Dashboard): z.infer<typeof c.dashboardShape> => ({ ...d, run: presentRun(d.run) });

export async function admissionRunRoutes(app: FastifyInstance, s: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const run = { access: 'action', action: 'admission.run' } as const;
  const inst = { access: 'action', action: 'admission.results' } as const;
  const own = { access: 'action', action: 'admission.own' } as const;

  r.route({ ...routeOf(c.listRuns), config: run, handler: async (req) => {
    const o = await listAdmissionRuns(ctxOf(s, req));
    return { examYear: o.examYear, runs: o.runs.map(presentRun) };
  } });
  r.route({ ...routeOf(c.startRun), config: run, handler: async (req, reply) => reply.status(202).send(presentRun(await startAdmissionRun(ctxOf(s, req), { reason: req.body.reason, policy: req.body.policy }))) });
  r.route({ ...routeOf(c.publishRun), config: run, handler: async (req) => {
    const o = await publishAdmissionRun(ctxOf(s, req), req.params.runId);
    return { run: presentRun(o.run), superseded: o.superseded };
  } });
  r.route({ ...routeOf(c.getRunChanges), config: run, handler: async (req) => {
    const o = await admissionRunChanges(ctxOf(s, req), req.params.runId);
    return {
      run: presentRun(o.run),
      truncated: o.truncated,
      changes: o.changes.map((x) => ({
        candidateId: x.candidate_id,
        before: x.why === 'new' ? null : { programmeId: x.before_programme_id, wish: x.before_wish },
        after: x.why === 'gone' ? null : { programmeId: x.after_programme_id, wish: x.after_wish },
        why: x.why as ChangeWhy,
        ...explainChange(x.why as ChangeWhy),
      })),
    };
  } });
  r.route({ ...routeOf(c.nationalDashboard), config: run, handler: async (req) => presentDashboard(await nationalDashboard(ctxOf(s, req), req.query.runId)) });
  r.route({ ...routeOf(c.institutionDashboard), config: inst, handler: async (req) => presentDashboard(await institutionDashboard(ctxOf(s, req), req.params.institutionId, req.query.runId)) });
  r.route({
    ...routeOf(c.institutionAdmittedList),
    config: inst,
    handler: async (req, reply) => {
      const out = await institutionAdmittedXlsx(ctxOf(s, req), s, req.params.institutionId, req.query.runId);
      return reply.type(c.institutionAdmittedList.produces).header('cache-control', 'no-store').header('content-disposition', `attachment; filename="${out.fileName}"`).send(Buffer.from(out.data));
    },
  });
  r.route({ ...routeOf(c.ownAdmission), config: own, handler: async (req) => presentOwn(await ownAdmission(ctxOf(s, req))) });
  r.route({ ...routeOf(c.confirmEnrolment), config: own, handler: async (req) => confirmEnrolment(ctxOf(s, req)) });
}
