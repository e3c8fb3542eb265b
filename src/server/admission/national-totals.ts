// The ministry's national totals of admission registration (issue 23 item 5): candidates with a wish,
// wishes by position, and per payment group the wishes, the fees collected (the payments page's own
// query, paidTotalsByGroup) and the fees still due. Counts, never a person.
import { AppError } from '../http/errors.ts';
import { authorize } from '../policy/policy.ts';
import { currentExamYearCached } from '../exam-years/exam-years.repository.ts';
import { admissionConfigOf } from '../../contracts/admission.ts';
import { paymentWindowState, type PaymentWindowState } from '../../domain/admission-fees.ts';
import { feeFor } from '../../domain/admission-fees.ts';
import { paidTotalsByGroup } from '../payments/payments.repository.ts';
import { groupsOfDepartments } from '../payments/payments.service.ts';
import { nationalWishTotals } from './admission.repository.ts';
import type { Ctx } from '../context.ts';

/**
 * The national figures pass over the whole year's wishes (7.6 M in 2025): one pass per database every few
 * seconds, whoever asks and however often the pages poll. A monotonic timer, not the request's clock:
 * this bounds load, it decides nothing.
 */
const FRESH_MS = 5_000;
type Figures = [Awaited<ReturnType<typeof nationalWishTotals>>, Awaited<ReturnType<typeof paidTotalsByGroup>>];
const recent = new WeakMap<object, { year: number; at: number; figures: Promise<Figures> }>();

function figuresOf(ctx: Ctx, year: number): Promise<Figures> {
  const had = recent.get(ctx.db);
  if (had && had.year === year && performance.now() - had.at < FRESH_MS) return had.figures;
  const figures = Promise.all([nationalWishTotals(ctx.db.read, year), paidTotalsByGroup(ctx.db.read, year)]);
  recent.set(ctx.db, { year, at: performance.now(), figures });
  // a failed pass is not kept
  figures.catch(() => recent.get(ctx.db)?.figures === figures && recent.delete(ctx.db));
  return figures;
}

export interface GroupTotals {
  code: string;
  name: string;
  windowState: PaymentWindowState;
  candidates: number;
  wishes: number;
  paidWishes: number;
  collectedVnd: number;
  dueVnd: number;
}

export interface NationalTotals {
  examYear: number;
  feePerWishVnd: number;
  candidates: number;
  wishes: number;
  paidWishes: number;
  byPosition: Array<{ position: number; wishes: number }>;
  collectedVnd: number;
  dueVnd: number;
  groups: GroupTotals[];
  ungrouped: { candidates: number; wishes: number; dueVnd: number };
}

export async function nationalTotals(ctx: Ctx): Promise<NationalTotals> {
  if (ctx.actor.kind !== 'user') throw AppError.unauthenticated();
  authorize(ctx.actor, 'admission.stats', { type: 'national' });
  const y = await currentExamYearCached(ctx.db.read);
  const config = y ? admissionConfigOf(y.rules) : null;
  if (!y || !config) {
    throw new AppError('CONFLICT', 'Kỳ tuyển sinh năm nay chưa được cấu hình.', "This year's admission registration is not configured yet.", { code: 'ADMISSION_NOT_CONFIGURED' });
  }
  const [wishes, paid] = await figuresOf(ctx, y.year);
  const groupOf = await groupsOfDepartments(ctx.db.read, config.paymentGroups, wishes.byDepartment.map((d) => d.departmentCode));
  const fee = config.feePerWishVnd;
  const groups: GroupTotals[] = config.paymentGroups.map((g) => ({
    code: g.code,
    name: g.name,
    windowState: paymentWindowState(g, ctx.now),
    candidates: 0,
    wishes: 0,
    paidWishes: 0,
    collectedVnd: Number(paid.find((p) => p.group_code === g.code)?.amount ?? 0),
    dueVnd: 0,
  }));
  const ungrouped = { candidates: 0, wishes: 0, dueVnd: 0 };
  for (const d of wishes.byDepartment) {
    const code = groupOf.get(d.departmentCode)?.code;
    const g = groups.find((x) => x.code === code);
    if (g) {
      g.candidates += d.candidates;
      g.wishes += d.wishes;
      g.paidWishes += d.paidWishes;
      g.dueVnd += feeFor(fee, d.toPay);
    } else {
      ungrouped.candidates += d.candidates;
      ungrouped.wishes += d.wishes;
      ungrouped.dueVnd += feeFor(fee, d.toPay);
    }
  }
  const total = (k: 'candidates' | 'wishes' | 'paidWishes') => wishes.byDepartment.reduce((a, d) => a + d[k], 0);
  return {
    examYear: y.year,
    feePerWishVnd: fee,
    candidates: total('candidates'),
    wishes: total('wishes'),
    paidWishes: total('paidWishes'),
    byPosition: wishes.byPosition,
    collectedVnd: groups.reduce((a, g) => a + g.collectedVnd, 0),
    dueVnd: groups.reduce((a, g) => a + g.dueVnd, 0) + ungrouped.dueVnd,
    groups,
    ungrouped,
  };
}
