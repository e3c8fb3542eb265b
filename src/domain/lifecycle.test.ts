import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  candidateMayEditDossier,
  DOSSIER_STATUSES,
  pointMayCorrectSection,
  transition,
  TRANSITIONS,
  type DossierEvent,
  type DossierStatus,
  type TransitionContext,
} from './lifecycle.ts';
import { phaseAt, type ExamYear, type Phase } from './exam-year.ts';
import { vietnamLocalToInstant } from './time.ts';

const y2025: Pick<ExamYear, 'windows'> = {
  windows: {
    accountIssuing: { from: '2025-04-10', to: '2025-04-15' },
    trial: { from: '2025-04-15', to: '2025-04-18' },
    official: { from: '2025-04-21', to: '2025-04-28', closesAt: '17:00' },
    correction: { from: '2025-04-28', to: '2025-05-09', opensAt: '17:00' },
  },
};
const official = y2025.windows.official;

function go(status: DossierStatus, event: DossierEvent, ctx: Partial<TransitionContext> & { phase: Phase }) {
  const r = transition(status, event, { actorKind: 'candidate', officialWindow: official, ...ctx });
  return r.ok ? r.status : r.finding.code;
}

test('the happy path: draft → submitted → returned → submitted → verified', () => {
  assert.equal(go('draft', 'submit', { phase: 'official' }), 'submitted');
  assert.equal(go('submitted', 'return', { phase: 'official', actorKind: 'point', reason: 'Ảnh không rõ mặt' }), 'returned');
  assert.equal(go('returned', 'edit', { phase: 'official' }), 'returned');
  assert.equal(go('returned', 'submit', { phase: 'official' }), 'submitted');
  assert.equal(go('submitted', 'verify', { phase: 'official', actorKind: 'point' }), 'verified');
});

test('submit at 16:59:59 on the closing day works; at 17:00:00 it is WINDOW_CLOSED with the time', () => {
  const before = phaseAt(y2025, vietnamLocalToInstant('2025-04-28', '16:59:59'));
  const after = phaseAt(y2025, vietnamLocalToInstant('2025-04-28', '17:00:00'));
  assert.equal(go('draft', 'submit', { phase: before }), 'submitted');
  const r = transition('draft', 'submit', { actorKind: 'candidate', phase: after, officialWindow: official });
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.finding.code, 'WINDOW_CLOSED');
    assert.equal(r.finding.vi, 'Cổng đăng ký đã đóng lúc 17:00 ngày 28/04/2025.');
    assert.equal(r.finding.en, 'Registration closed at 17:00 on 28/04/2025.');
  }
  assert.equal(go('submitted', 'edit', { phase: after }), 'WINDOW_CLOSED');
});

test('before the window opens: WINDOW_NOT_OPEN; trial allows submit', () => {
  assert.equal(go('draft', 'submit', { phase: 'account_issuing' }), 'WINDOW_NOT_OPEN');
  assert.equal(go('draft', 'submit', { phase: 'between' }), 'WINDOW_NOT_OPEN');
  assert.equal(go('draft', 'submit', { phase: 'trial' }), 'submitted');
});

test('return needs a non-empty reason and a staff actor', () => {
  assert.equal(go('submitted', 'return', { phase: 'official', actorKind: 'point' }), 'RETURN_REASON_REQUIRED');
  assert.equal(go('submitted', 'return', { phase: 'official', actorKind: 'point', reason: '   ' }), 'RETURN_REASON_REQUIRED');
  assert.equal(go('submitted', 'return', { phase: 'official', actorKind: 'point', reason: 'x'.repeat(1001) }), 'TOO_LONG');
  assert.equal(go('submitted', 'return', { phase: 'official', reason: 'tự trả' }), 'NOT_ALLOWED_FOR_ROLE');
  assert.equal(go('draft', 'return', { phase: 'official', actorKind: 'point', reason: 'x' }), 'INVALID_STATUS_TRANSITION');
  // after the close a return is pointless: the point corrects instead
  assert.equal(go('submitted', 'return', { phase: 'correction', actorKind: 'point', reason: 'x' }), 'RETURN_AFTER_CLOSE');
});

test('a point that verified too early can return (no separate reopen)', () => {
  assert.equal(go('verified', 'return', { phase: 'official', actorKind: 'point', reason: 'Sai mã trường lớp 10' }), 'returned');
  assert.ok(!TRANSITIONS.some((r) => (r.event as string) === 'reopen'));
});

test('candidate edits: submitted stays submitted, verified goes back to submitted', () => {
  assert.equal(go('draft', 'edit', { phase: 'official' }), 'draft');
  assert.equal(go('submitted', 'edit', { phase: 'official' }), 'submitted');
  assert.equal(go('verified', 'edit', { phase: 'official' }), 'submitted');
  assert.equal(go('submitted', 'edit', { phase: 'official', dossierValid: false }), 'DOSSIER_INCOMPLETE');
  assert.equal(go('draft', 'edit', { phase: 'official', dossierValid: false }), 'draft'); // drafts may be incomplete
  assert.equal(go('draft', 'submit', { phase: 'official', dossierValid: false }), 'DOSSIER_INCOMPLETE');
  assert.equal(go('submitted', 'submit', { phase: 'official' }), 'submitted'); // a repeat is harmless
});

test('candidateMayEditDossier: every status in trial/official, none otherwise', () => {
  for (const s of DOSSIER_STATUSES) {
    assert.equal(candidateMayEditDossier(s, 'trial'), true);
    assert.equal(candidateMayEditDossier(s, 'official'), true);
    for (const p of ['before', 'account_issuing', 'between', 'correction', 'closed'] as const) assert.equal(candidateMayEditDossier(s, p), false, `${s} ${p}`);
  }
});

test('after the window: the point corrects personal data only, subjects frozen', () => {
  const why = { reason: 'Theo giấy khai sinh' };
  assert.equal(go('submitted', 'correct', { phase: 'correction', actorKind: 'point', ...why }), 'submitted');
  assert.equal(go('verified', 'correct', { phase: 'correction', actorKind: 'point', ...why }), 'verified');
  assert.equal(go('returned', 'correct', { phase: 'correction', actorKind: 'point', ...why }), 'returned');
  // one correction path, one rule: a correction always says why, within the same bound as a return
  assert.equal(go('submitted', 'correct', { phase: 'correction', actorKind: 'point' }), 'CORRECTION_REASON_REQUIRED');
  assert.equal(go('submitted', 'correct', { phase: 'correction', actorKind: 'point', reason: '   ' }), 'CORRECTION_REASON_REQUIRED');
  assert.equal(go('submitted', 'correct', { phase: 'correction', actorKind: 'point', reason: 'x'.repeat(1001) }), 'TOO_LONG');
  assert.equal(go('returned', 'verify', { phase: 'correction', actorKind: 'point' }), 'verified');
  assert.equal(go('returned', 'verify', { phase: 'official', actorKind: 'point' }), 'PHASE_NOT_ALLOWED');
  assert.equal(go('draft', 'correct', { phase: 'correction', actorKind: 'point' }), 'INVALID_STATUS_TRANSITION');
  assert.equal(go('submitted', 'correct', { phase: 'official', actorKind: 'point' }), 'PHASE_NOT_ALLOWED');
  assert.equal(go('submitted', 'correct', { phase: 'correction' }), 'NOT_ALLOWED_FOR_ROLE');
  assert.equal(pointMayCorrectSection('personal', 'correction'), true);
  assert.equal(pointMayCorrectSection('contact', 'correction'), true);
  assert.equal(pointMayCorrectSection('subjects', 'correction'), false);
  assert.equal(pointMayCorrectSection('exemption', 'correction'), false);
  assert.equal(pointMayCorrectSection('personal', 'official'), false);
});

test('support desk and ministry never move a dossier', () => {
  for (const e of ['edit', 'submit', 'return', 'verify', 'correct'] as const) {
    assert.equal(go('submitted', e, { phase: 'official', actorKind: 'support', reason: 'x' }), 'NOT_ALLOWED_FOR_ROLE');
    assert.equal(go('submitted', e, { phase: 'official', actorKind: 'ministry', reason: 'x' }), 'NOT_ALLOWED_FOR_ROLE');
  }
});

test('a point enters a paper registration in the official window only', () => {
  assert.equal(go('draft', 'submit', { phase: 'official', actorKind: 'point' }), 'submitted');
  assert.equal(go('draft', 'submit', { phase: 'trial', actorKind: 'point' }), 'WINDOW_NOT_OPEN');
  assert.equal(go('draft', 'submit', { phase: 'correction', actorKind: 'point' }), 'WINDOW_CLOSED');
});
