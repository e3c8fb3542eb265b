// Reading a dossier: the candidate's task list and data (with the point's pre-fill), and the status page
// (where it stands, what the point asked to correct and why, the history with who and when). Reads use the
// read connection; the candidate's page is one query (with the session) and its answer is the stored JSON
// spliced into text.
import type { Ctx } from '../context.ts';
import { loadTarget, type DossierTarget, type Loaded, type OwnRead } from './access.ts';
import { rulesContext, storedVerdictValid, summarise, verdictOf } from './rules.ts';
import { mayEdit, statusOf, viewJson, windowJson, type StatusResponse } from './present.ts';

/** The answer of GET /api/dossier (and /api/dossiers/:id) as JSON text (contract: dossierResponse). */
export async function getDossierJson(ctx: Ctx, target: DossierTarget, pre?: OwnRead): Promise<{ json: string; version: number }> {
  const l = await loadTarget(ctx, target, 'candidate.read', 'uploads', pre);
  return { json: dossierResponseJson(l, await viewPartsOf(ctx, l)), version: l.dossier?.version ?? 0 };
}

async function viewPartsOf(ctx: Ctx, l: Loaded) {
  const rctx = await rulesContext(ctx.db.read, l.year, ctx.now, l.candidate);
  const d = l.dossier;
  if (d && storedVerdictValid(d, rctx)) {
    // the hot path: nothing is parsed, nothing checked
    return { dataJson: d.dataJson, findingsJson: d.summary!.findingsJson, tasksJson: d.summary!.tasksJson, readyToSubmit: d.filters.errorsCount === 0 };
  }
  const s = d ? verdictOf(d, rctx) : summarise({}, rctx);
  return { dataJson: d?.dataJson ?? '{}', findingsJson: s.findingsJson, tasksJson: s.tasksJson, readyToSubmit: s.readyToSubmit };
}

export function dossierResponseJson(l: Loaded, parts: Parameters<typeof viewJson>[2]): string {
  return `{"dossier":${viewJson(l, l.dossier, parts, mayEdit(l))},"uploads":${l.uploadsJson ?? '[]'},"window":${windowJson(l)}}`;
}

export async function getDossierStatus(ctx: Ctx, target: DossierTarget, pre?: OwnRead): Promise<StatusResponse> {
  return statusOf(await loadTarget(ctx, target, 'candidate.read', 'history', pre));
}
