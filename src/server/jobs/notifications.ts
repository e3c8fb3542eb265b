// Which events tell a person something, and what the message says (Vietnamese first, English after).
// Everything here runs inside the transaction of the event: it only writes outbox rows.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { DossierSnapshot } from '../registration/events.ts';
import { enqueueMessages, enqueueMessagesAtCommit, type NewMessage } from './outbox.repository.ts';
import { windowBounds, type ExamYearWindows } from '../../domain/exam-year.ts';
import { instantToVietnamLocal } from '../../domain/time.ts';

export type NotificationKind = 'dossier.submitted' | 'dossier.returned' | 'dossier.verified' | 'account.password_reset' | 'window.closing';

interface Contact {
  userId: string | null;
  email: string | null;
  phone: string | null;
}

const TEXT: Record<NotificationKind, (p: Record<string, string>) => { subject: string; text: string }> = {
  'dossier.submitted': () => ({
    subject: 'Đã nhận hồ sơ đăng ký dự thi / Registration received',
    text: 'Hồ sơ đăng ký dự thi của bạn đã được nộp. Bạn vẫn có thể sửa đến khi cổng đăng ký đóng. / Your registration was submitted; you can still edit it until registration closes.',
  }),
  'dossier.returned': (p) => ({
    subject: 'Hồ sơ cần chỉnh sửa / Your registration needs a correction',
    text: `Điểm tiếp nhận đề nghị bạn sửa hồ sơ: ${p['reason'] ?? ''} / Your registration point asks you to correct your registration: ${p['reason'] ?? ''}`,
  }),
  'dossier.verified': () => ({
    subject: 'Hồ sơ đã được xác nhận / Registration verified',
    text: 'Điểm tiếp nhận đã xác nhận hồ sơ đăng ký dự thi của bạn. / Your registration point has verified your registration.',
  }),
  'account.password_reset': () => ({
    subject: 'Mật khẩu đã được đặt lại / Password reset',
    text: 'Mật khẩu tài khoản đăng ký dự thi của bạn vừa được đặt lại. Nếu không phải bạn yêu cầu, hãy liên hệ điểm tiếp nhận. / Your password was reset. If you did not ask for it, contact your registration point.',
  }),
  'window.closing': (p) => ({
    subject: 'Sắp hết hạn đăng ký dự thi / Registration closes soon',
    text: `Cổng đăng ký đóng lúc ${p['closesAt'] ?? ''}. Hồ sơ của bạn chưa được nộp. / Registration closes at ${p['closesAt'] ?? ''} and your registration is not submitted yet.`,
  }),
};

function messagesFor(kind: NotificationKind, eventKey: string, c: Contact, params: Record<string, string> = {}): NewMessage[] {
  const body = TEXT[kind](params);
  const out: NewMessage[] = [];
  if (c.email) out.push({ kind, dedupKey: `${kind}:${eventKey}:email`, channel: 'email', recipientUserId: c.userId, address: c.email, payload: { ...body, ...params } });
  if (c.phone) out.push({ kind, dedupKey: `${kind}:${eventKey}:sms`, channel: 'sms', recipientUserId: c.userId, address: c.phone, payload: { ...body, ...params } });
  return out;
}

function contactFrom(data: string | null | undefined, userId: string | null): Contact {
  try {
    const d = JSON.parse(data ?? '{}') as { contact?: { email?: string; phone?: string } };
    return { userId, email: d.contact?.email || null, phone: d.contact?.phone || null };
  } catch {
    return { userId, email: null, phone: null };
  }
}

/** The dossier listener's half for notifications: a status change the candidate should hear about. */
export async function notifyDossierChange(
  trx: Kysely<DB>,
  before: DossierSnapshot | null,
  after: DossierSnapshot,
  now: Date,
  recipient?: { userId: string; email: string | null; phone: string | null },
): Promise<void> {
  if (after.isTrial || before?.status === after.status) return;
  const kind: NotificationKind | null =
    after.status === 'submitted' && (before === null || before.status === 'draft' || before.status === 'returned')
      ? 'dossier.submitted'
      : after.status === 'returned'
        ? 'dossier.returned'
        : after.status === 'verified'
          ? 'dossier.verified'
          : null;
  if (!kind) return;
  // the version makes each real event its own message, and a replay of the same event a duplicate
  const eventKey = `${after.id}:${after.version}`;
  if (recipient && kind !== 'dossier.returned') {
    await enqueueMessagesAtCommit(trx, messagesFor(kind, eventKey, { userId: recipient.userId, email: recipient.email || null, phone: recipient.phone || null }), now);
    return;
  }
  const row = await trx
    .selectFrom('dossiers as d')
    .innerJoin('candidates as c', 'c.id', 'd.candidate_id')
    .select(['d.data', 'd.return_reason', 'c.user_id'])
    .where('d.id', '=', after.id)
    .executeTakeFirst();
  if (!row) return;
  const params: Record<string, string> = kind === 'dossier.returned' ? { reason: row.return_reason ?? '' } : {};
  await enqueueMessagesAtCommit(trx, messagesFor(kind, eventKey, contactFrom(row.data, row.user_id), params), now);
}

/** For the accounts feature's reset: call inside its transaction. `resetId` identifies this reset. */
export async function notifyPasswordReset(trx: Kysely<DB>, userId: string, resetId: string, now: Date): Promise<number> {
  const row = await trx
    .selectFrom('candidates as c')
    .leftJoin('dossiers as d', (j) => j.onRef('d.candidate_id', '=', 'c.id').on('d.is_trial', '=', 0))
    .select(['d.data'])
    .where('c.user_id', '=', userId)
    .executeTakeFirst();
  return enqueueMessages(trx, messagesFor('account.password_reset', resetId, contactFrom(row?.data, userId)), now);
}

/**
 * From 24 hours before the official window closes: a reminder to every candidate whose dossier is still
 * a draft or returned, once per candidate and channel (the dedup key), in pages.
 */
export async function enqueueClosingReminders(db: { read: Kysely<DB>; write<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> }, year: { year: number; windows: ExamYearWindows }, now: Date, hoursBefore = 24): Promise<number> {
  const close = windowBounds(year.windows.official).end;
  if (now.getTime() >= close.getTime() || now.getTime() < close.getTime() - hoursBefore * 3600_000) return 0;
  const l = instantToVietnamLocal(close);
  const closesAt = `${l.time.slice(0, 5)} ${l.date.slice(8, 10)}/${l.date.slice(5, 7)}/${l.date.slice(0, 4)}`;
  let after = '';
  let total = 0;
  for (;;) {
    const rows = await db.read
      .selectFrom('dossiers as d')
      .innerJoin('candidates as c', 'c.id', 'd.candidate_id')
      .select(['d.id', 'd.data', 'c.user_id'])
      .where('d.exam_year', '=', year.year)
      .where('d.is_trial', '=', 0)
      .where('d.status', 'in', ['draft', 'returned'])
      .where('d.id', '>', after)
      .orderBy('d.id')
      .limit(1000)
      .execute();
    if (rows.length === 0) return total;
    const msgs = rows.flatMap((r) => messagesFor('window.closing', `${year.year}:${r.user_id}`, contactFrom(r.data, r.user_id), { closesAt }));
    total += await db.write((trx) => enqueueMessages(trx, msgs, now));
    after = rows[rows.length - 1]!.id;
  }
}
