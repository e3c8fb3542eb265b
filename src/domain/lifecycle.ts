// The dossier's life: statuses, the events that move it, who may fire each event in which phase of the
// exam year. The table below IS the rule; `transition` only reads it and explains a refusal.
import { error, type Finding } from './messages.ts';
import type { LocalWindow, Phase } from './exam-year.ts';
import { formatVietnameseDate } from './dates.ts';

export type DossierStatus = 'draft' | 'submitted' | 'returned' | 'verified';
export const DOSSIER_STATUSES: readonly DossierStatus[] = ['draft', 'submitted', 'returned', 'verified'];

export const STATUS_LABELS: Readonly<Record<DossierStatus, { vi: string; en: string }>> = {
  draft: { vi: 'Đang khai', en: 'Draft' },
  submitted: { vi: 'Đã nộp', en: 'Submitted' },
  returned: { vi: 'Cần chỉnh sửa', en: 'Returned for correction' },
  verified: { vi: 'Đã xác nhận', en: 'Verified' },
};

/** What each event of a dossier's history is called (the candidate's status page, the support desk). */
export const DOSSIER_EVENT_LABELS: Readonly<Record<string, { vi: string; en: string }>> = {
  create: { vi: 'Bắt đầu khai hồ sơ', en: 'Started the dossier' },
  edit: { vi: 'Sửa hồ sơ', en: 'Edited the dossier' },
  submit: { vi: 'Nộp hồ sơ', en: 'Submitted' },
  correct: { vi: 'Điểm tiếp nhận điều chỉnh thông tin', en: 'Corrected by the registration point' },
  desk_register: { vi: 'Đăng ký tại điểm tiếp nhận', en: 'Registered at the desk' },
  photo: { vi: 'Tải ảnh chân dung', en: 'Uploaded the photo' },
  evidence: { vi: 'Tải minh chứng', en: 'Uploaded evidence' },
  return: { vi: 'Điểm tiếp nhận yêu cầu chỉnh sửa', en: 'Returned for correction' },
  verify: { vi: 'Điểm tiếp nhận xác nhận hồ sơ', en: 'Verified by the registration point' },
};

/** Who acted, as the history names them. */
export const ROLE_LABELS: Readonly<Record<string, { vi: string; en: string }>> = {
  candidate: { vi: 'Thí sinh', en: 'Candidate' },
  point_officer: { vi: 'Điểm tiếp nhận', en: 'Registration point' },
  department_officer: { vi: 'Sở GD&ĐT', en: 'Department of education' },
  ministry_admin: { vi: 'Bộ GD&ĐT', en: 'Ministry of education' },
  support_agent: { vi: 'Tổng đài hỗ trợ', en: 'Support desk' },
};

/**
 * Events. There is deliberately no `reopen`:
 * - during the window a point that verified too early uses `return` (allowed from `verified`), which
 *   also tells the candidate why; and a candidate's own edit of a verified dossier sends it back to
 *   `submitted` for a new check;
 * - after the window the candidate cannot edit anyway, so reopening to them would promise something the
 *   closing time forbids; the point fixes personal data itself with `correct` (audited).
 */
export type DossierEvent = 'edit' | 'submit' | 'return' | 'verify' | 'correct' | 'attach';
export type ActorKind = 'candidate' | 'point' | 'department' | 'ministry' | 'support';

export interface TransitionRule {
  event: DossierEvent;
  from: readonly DossierStatus[];
  /** the new status, or 'same' to keep it; a map gives it per source status */
  to: DossierStatus | 'same' | Readonly<Partial<Record<DossierStatus, DossierStatus>>>;
  /** who may fire it, and in which phases */
  actors: Readonly<Partial<Record<ActorKind, readonly Phase[]>>>;
  why: string;
}

const CANDIDATE_PHASES: readonly Phase[] = ['trial', 'official'];
const STAFF_REVIEW_PHASES: readonly Phase[] = ['trial', 'official', 'correction'];

export const TRANSITIONS: readonly TransitionRule[] = [
  {
    event: 'edit',
    from: ['draft', 'returned', 'submitted', 'verified'],
    // Editing a submitted dossier keeps it submitted: a candidate who changes a subject at 16:50 on the
    // closing day must not be left with an unsubmitted draft at 17:00 (the change still has to pass
    // validation: see `dossierValid`). An edit of a verified dossier needs a new check.
    to: { draft: 'draft', returned: 'returned', submitted: 'submitted', verified: 'submitted' },
    // A point types in dossiers for candidates registering on paper (about 5% in 2024), in the window only.
    actors: { candidate: CANDIDATE_PHASES, point: ['official'] },
    why: 'candidates write until 17:00 on the closing day',
  },
  {
    event: 'submit',
    // Submitting a submitted dossier is a harmless repeat (a double click at the deadline): same status.
    from: ['draft', 'returned', 'submitted'],
    to: 'submitted',
    actors: { candidate: CANDIDATE_PHASES, point: ['official'] },
    why: 'only in the trial and the official window',
  },
  {
    event: 'return',
    from: ['submitted', 'verified'],
    to: 'returned',
    // Not in the correction phase: the candidate could no longer act on it.
    actors: { point: ['trial', 'official'], department: ['trial', 'official'] },
    why: 'a point sends a dossier back, with a reason, while the candidate can still fix it',
  },
  {
    event: 'verify',
    from: ['submitted'],
    to: 'verified',
    actors: { point: STAFF_REVIEW_PHASES, department: STAFF_REVIEW_PHASES },
    why: 'a point confirms the dossier against the documents',
  },
  {
    event: 'verify',
    // After the close, a returned dossier the candidate did not fix can be verified once the point has
    // corrected the personal data with the candidate in front of it.
    from: ['returned'],
    to: 'verified',
    actors: { point: ['correction'], department: ['correction'] },
    why: 'after the close the point settles returned dossiers itself',
  },
  {
    event: 'correct',
    // A draft never submitted by 17:00 is not a registration: there is nothing to correct.
    from: ['submitted', 'returned', 'verified'],
    to: 'same',
    actors: { point: ['correction'], department: ['correction'] },
    why: 'after the window the point corrects personal data only (audited)',
  },
  {
    event: 'attach',
    // A photo or a paper added is not a change of declared data: it keeps the status and the version.
    from: ['draft', 'returned', 'submitted', 'verified'],
    to: 'same',
    actors: { candidate: CANDIDATE_PHASES, point: ['official'] },
    why: 'papers are added while the dossier may be edited',
  },
  {
    event: 'attach',
    from: ['submitted', 'returned', 'verified'],
    to: 'same',
    actors: { point: ['correction'], department: ['correction'] },
    why: 'after the close the point adds the papers it checks, as it corrects',
  },
];

/**
 * Sections a registration point may correct after the window: the candidate's personal data (identity,
 * contact, residence history, priority claims — the point checks residence-based priority against the
 * population database in this period). Frozen: status, purpose, subjects, exemption and retained scores,
 * because rooms and papers are planned from them as soon as registration closes.
 */
export const POINT_CORRECTABLE_SECTIONS = ['personal', 'contact', 'residence', 'priority'] as const;

export function pointMayCorrectSection(sectionId: string, phase: Phase): boolean {
  return phase === 'correction' && (POINT_CORRECTABLE_SECTIONS as readonly string[]).includes(sectionId);
}

/**
 * A candidate may edit their dossier in the trial and the official window, whatever its status:
 * draft and returned obviously; submitted stays submitted (changes are live, no re-submit needed);
 * verified goes back to submitted for a new check. From 17:00 on the closing day: never.
 */
export function candidateMayEditDossier(status: DossierStatus, phase: Phase): boolean {
  return DOSSIER_STATUSES.includes(status) && CANDIDATE_PHASES.includes(phase);
}

export interface TransitionContext {
  actorKind: ActorKind;
  phase: Phase;
  /** the year's official window, to say when it closed or opens */
  officialWindow?: LocalWindow;
  /** `return`: why, shown to the candidate; `correct`: why, kept in the history and the audit log */
  reason?: string;
  /** `submit` / `edit` of a submitted dossier: false when validateDossier found errors */
  dossierValid?: boolean;
}

export type TransitionResult = { ok: true; status: DossierStatus } | { ok: false; finding: Finding };

export const RETURN_REASON_MAX = 1000;
/** A correction's reason: as long as a return's. */
export const CORRECTION_REASON_MAX = RETURN_REASON_MAX;

function closedAt(w: LocalWindow | undefined): { vi: string; en: string } {
  if (!w) return { vi: '', en: '' };
  const time = w.closesAt ?? '24:00';
  return { vi: ` lúc ${time} ngày ${formatVietnameseDate(w.to)}`, en: ` at ${time} on ${formatVietnameseDate(w.to)}` };
}

function phaseRefusal(rule: TransitionRule, ctx: TransitionContext): Finding {
  const candidateLike = ctx.actorKind === 'candidate' || rule.event === 'submit' || rule.event === 'edit';
  if (candidateLike && (ctx.phase === 'correction' || ctx.phase === 'closed')) {
    const at = closedAt(ctx.officialWindow);
    return error('WINDOW_CLOSED', 'status', `Cổng đăng ký đã đóng${at.vi}.`, `Registration closed${at.en}.`, ctx.officialWindow ? { closedOn: ctx.officialWindow.to, closedAt: ctx.officialWindow.closesAt ?? '24:00' } : undefined);
  }
  if (candidateLike) {
    const w = ctx.officialWindow;
    const opens = w ? { vi: ` Đăng ký chính thức từ ${w.opensAt ?? '00:00'} ngày ${formatVietnameseDate(w.from)}.`, en: ` Official registration opens at ${w.opensAt ?? '00:00'} on ${formatVietnameseDate(w.from)}.` } : { vi: '', en: '' };
    return error('WINDOW_NOT_OPEN', 'status', `Cổng đăng ký chưa mở.${opens.vi}`, `Registration is not open.${opens.en}`);
  }
  if (rule.event === 'return' && ctx.phase === 'correction') {
    return error(
      'RETURN_AFTER_CLOSE',
      'status',
      'Cổng đăng ký đã đóng, thí sinh không thể tự sửa. Điểm tiếp nhận sửa trực tiếp thông tin cá nhân (chức năng Điều chỉnh).',
      'Registration has closed and the candidate can no longer edit. Correct the personal data directly (Correct).',
    );
  }
  return error('PHASE_NOT_ALLOWED', 'status', 'Thao tác này không thực hiện được trong giai đoạn hiện tại của kỳ thi.', 'This action is not possible in the current phase of the exam year.', { phase: ctx.phase, event: rule.event });
}

/**
 * The status after `event`, or the reason it is refused. Checks in order: the actor may ever fire it,
 * the status allows it, the phase allows it, then the event's own conditions (reason, validity).
 */
export function transition(status: DossierStatus, event: DossierEvent, ctx: TransitionContext): TransitionResult {
  const rules = TRANSITIONS.filter((r) => r.event === event);
  const byActor = rules.filter((r) => r.actors[ctx.actorKind] !== undefined);
  if (byActor.length === 0) {
    return { ok: false, finding: error('NOT_ALLOWED_FOR_ROLE', 'status', 'Bạn không có quyền thực hiện thao tác này.', 'You are not allowed to do this.', { event, actor: ctx.actorKind }) };
  }
  const byStatus = byActor.filter((r) => r.from.includes(status));
  if (byStatus.length === 0) {
    const s = STATUS_LABELS[status];
    return {
      ok: false,
      finding: error('INVALID_STATUS_TRANSITION', 'status', `Không thể thực hiện thao tác này khi hồ sơ ở trạng thái “${s.vi}”.`, `This is not possible while the dossier is “${s.en}”.`, { status, event }),
    };
  }
  const rule = byStatus.find((r) => r.actors[ctx.actorKind]?.includes(ctx.phase));
  if (!rule) return { ok: false, finding: phaseRefusal(byStatus[0] as TransitionRule, ctx) };

  if (event === 'return') {
    const reason = (ctx.reason ?? '').trim();
    if (reason === '') {
      return { ok: false, finding: error('RETURN_REASON_REQUIRED', 'reason', 'Hãy ghi rõ lý do để thí sinh biết cần sửa gì.', 'Give the reason, so the candidate knows what to fix.') };
    }
    if ([...reason].length > RETURN_REASON_MAX) {
      return { ok: false, finding: error('TOO_LONG', 'reason', `Lý do dài tối đa ${RETURN_REASON_MAX} ký tự.`, `The reason may be at most ${RETURN_REASON_MAX} characters.`, { max: RETURN_REASON_MAX }) };
    }
  }
  if (event === 'correct') {
    const reason = (ctx.reason ?? '').trim();
    if (reason === '') {
      return {
        ok: false,
        finding: error('CORRECTION_REASON_REQUIRED', 'reason', 'Hãy ghi lý do điều chỉnh (ví dụ: theo giấy khai sinh).', 'Give the reason for the correction (e.g. as on the birth certificate).'),
      };
    }
    if ([...reason].length > CORRECTION_REASON_MAX) {
      return { ok: false, finding: error('TOO_LONG', 'reason', `Lý do dài tối đa ${CORRECTION_REASON_MAX} ký tự.`, `The reason may be at most ${CORRECTION_REASON_MAX} characters.`, { max: CORRECTION_REASON_MAX }) };
    }
  }
  const mustBeValid = event === 'submit' || (event === 'edit' && (status === 'submitted' || status === 'verified'));
  if (mustBeValid && ctx.dossierValid === false) {
    return {
      ok: false,
      finding: error('DOSSIER_INCOMPLETE', 'status', 'Hồ sơ còn lỗi hoặc còn mục chưa khai. Hãy sửa các mục được đánh dấu rồi nộp lại.', 'The dossier has errors or missing sections. Fix the marked sections, then submit.'),
    };
  }
  const to = rule.to === 'same' ? status : typeof rule.to === 'string' ? rule.to : (rule.to[status] ?? status);
  return { ok: true, status: to };
}
