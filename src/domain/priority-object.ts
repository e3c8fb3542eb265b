// Priority objects (đối tượng ưu tiên), the area bonus and encouragement points, checked against the
// year's table (reference/priority.json). Tables change between years (2026 regroups 01–07 into 01–06),
// so a claimed code is only meaningful together with its exam year.
import { z } from 'zod';
import { error, warning, type Finding } from './messages.ts';
import type { Area } from './priority-area.ts';

const bilingual = { vi: z.string().min(1), en: z.string().min(1) };

export const PriorityTableSchema = z.object({
  years: z.array(z.number().int()).min(1),
  assumption: z.string().optional(),
  areas: z.array(z.object({ code: z.enum(['KV1', 'KV2-NT', 'KV2', 'KV3']), ...bilingual, admissionPoints: z.number().min(0) })).length(4),
  objects: z.array(
    z.object({
      code: z.string().regex(/^\d{2}$/),
      group: z.string().min(1),
      admissionPoints: z.number().min(0),
      requiresEthnicMinority: z.boolean().optional(),
      /** a group of several grounds, one of them being an ethnic minority: a Kinh claimant must rest on another */
      ethnicMinorityAmongGrounds: z.boolean().optional(),
      ...bilingual,
    }),
  ),
  /**
   * Admission priority tapers for high totals: from `fromYear`, a total ≥ threshold on the `scale`-point
   * scale keeps (scale − total)/(scale − threshold) of the standard priority (see admission-score.ts).
   */
  admissionReduction: z.object({ fromYear: z.number().int(), threshold: z.number().positive(), scale: z.number().positive() }).optional(),
  /** the area bonus counts in the graduation year and this many years after (the regulation: 1) */
  areaValidYearsAfterGraduation: z.number().int().min(0).optional(),
  encouragementMax: z.number().min(0),
  encouragementNote: z.string().optional(),
  graduation: z.object({
    assumption: z.boolean().optional(),
    note: z.string().optional(),
    /** a candidate in several groups: the highest group only (the regulation), or their sum */
    combine: z.enum(['highest', 'sum']).optional(),
    groups: z.array(z.object({ code: z.string().min(1), points: z.number().min(0), ...bilingual })),
  }),
});
export type PriorityTable = z.infer<typeof PriorityTableSchema>;
export const PriorityFileSchema = z.object({ version: z.number().int().positive(), source: z.string().min(1), tables: z.array(PriorityTableSchema).min(1) });
export type PriorityFile = z.infer<typeof PriorityFileSchema>;

/** The table in force for an exam year, or undefined when none is published yet. */
export function priorityTableFor(file: Pick<PriorityFile, 'tables'>, year: number): PriorityTable | undefined {
  return file.tables.find((t) => t.years.includes(year));
}

/** Statistics-office code of the Kinh majority (reference/ethnic-groups.json); every other code is a minority. */
export const MAJORITY_ETHNICITY_CODE = '01';

/**
 * Encouragement points come in steps of 0.25 (*assumption*: past awards were 0.5–2 in half and quarter
 * steps), capped by the year's table.
 */
export const ENCOURAGEMENT_STEP = 0.25;

export interface PriorityClaim {
  object?: string;
  encouragementPoints?: number;
}

export function validatePriorityClaim(table: PriorityTable, claim: PriorityClaim, ctx: { ethnicityCode?: string; examYear: number }, field = 'priority'): Finding[] {
  const out: Finding[] = [];
  if (claim.object !== undefined && claim.object !== '') {
    const obj = table.objects.find((o) => o.code === claim.object);
    if (!obj) {
      const codes = table.objects.map((o) => o.code);
      out.push(
        error(
          'PRIORITY_OBJECT_UNKNOWN',
          `${field}.object`,
          `Năm ${ctx.examYear} không có đối tượng ưu tiên ${claim.object} (chỉ có ${codes[0]}–${codes[codes.length - 1]}).`,
          `There is no priority object ${claim.object} in ${ctx.examYear} (only ${codes[0]}–${codes[codes.length - 1]}).`,
          { object: claim.object, examYear: ctx.examYear },
        ),
      );
    } else if (obj.requiresEthnicMinority && ctx.ethnicityCode === MAJORITY_ETHNICITY_CODE) {
      out.push(
        error(
          'PRIORITY_OBJECT_NOT_ELIGIBLE',
          `${field}.object`,
          `Đối tượng ưu tiên ${obj.code} dành cho người dân tộc thiểu số, khác với dân tộc đã khai.`,
          `Priority object ${obj.code} is for ethnic minorities, which does not match the declared ethnicity.`,
          { object: obj.code },
        ),
      );
    } else if (obj.ethnicMinorityAmongGrounds && ctx.ethnicityCode === MAJORITY_ETHNICITY_CODE) {
      // The group also covers e.g. children of war invalids, so a Kinh candidate may belong to it: not an
      // error, but the point must see it and the candidate must bring the evidence of the other ground.
      out.push(
        warning(
          'PRIORITY_OBJECT_ETHNICITY',
          `${field}.object`,
          `Bạn khai dân tộc Kinh nhưng chọn đối tượng ưu tiên ${obj.code}, nhóm dành cho người dân tộc thiểu số và một số trường hợp khác. Nếu bạn thuộc trường hợp khác (ví dụ con thương binh), hãy tải lên giấy tờ chứng minh; nếu không, hãy bỏ đối tượng này.`,
          `You declared Kinh ethnicity but chose priority object ${obj.code}, a group for ethnic minorities and a few other cases. If you belong to another case (for example a child of a war invalid), upload the evidence; otherwise remove this object.`,
          { object: obj.code },
        ),
      );
    }
  }
  const e = claim.encouragementPoints;
  if (e !== undefined) {
    if (!Number.isFinite(e) || e < 0 || e > table.encouragementMax) {
      out.push(
        error('ENCOURAGEMENT_OUT_OF_RANGE', `${field}.encouragementPoints`, `Điểm khuyến khích từ 0 đến ${table.encouragementMax}.`, `Encouragement points range from 0 to ${table.encouragementMax}.`, { max: table.encouragementMax }),
      );
    } else if (Math.abs(e / ENCOURAGEMENT_STEP - Math.round(e / ENCOURAGEMENT_STEP)) > 1e-9) {
      out.push(error('ENCOURAGEMENT_STEP', `${field}.encouragementPoints`, `Điểm khuyến khích là bội số của ${ENCOURAGEMENT_STEP}.`, `Encouragement points are multiples of ${ENCOURAGEMENT_STEP}.`, { step: ENCOURAGEMENT_STEP }));
    }
  }
  return out;
}

/** Admission bonus from the year's table: area + object (before any cap or tapering the universities apply). */
export function admissionPriorityPoints(table: PriorityTable, area: Area | null, object?: string): number {
  const a = area ? (table.areas.find((x) => x.code === area)?.admissionPoints ?? 0) : 0;
  const o = object ? (table.objects.find((x) => x.code === object)?.admissionPoints ?? 0) : 0;
  return a + o;
}
