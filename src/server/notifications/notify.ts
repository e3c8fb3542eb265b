// Telling people what happened to their registration, by e-mail and SMS. A change that someone should hear
// about enqueues ONE job (in the change's own write, through the dossier listener or the accounts feature);
// the worker renders the text and sends it to each of the person's channels, found at send time through the
// dossier repository (their latest contact details), recording each channel as it goes so a retry never
// sends the same message twice. A job is keyed by its event (dedup key), so a replayed event is one job.
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { findContactOfUser, listUnsubmittedForReminder } from '../dossiers/dossier.repository.ts';
import type { DossierListener } from '../dossiers/listeners.ts';
import { enqueueJobs, jobsPart, type NewJob } from '../jobs/jobs.repository.ts';
import { jobKind, type JobKind, type PeriodicTask } from '../jobs/job.ts';
import { windowBounds, type ExamYearWindows } from '../../domain/exam-year.ts';
import { instantToVietnamLocal } from '../../domain/time.ts';
import { currentExamYear } from '../exam-years/exam-years.repository.ts';
import { TEMPLATES, TEMPLATE_NAMES, type Template } from './templates.ts';
import type { NotificationProvider } from './providers.ts';

const NotifyPayload = z.strictObject({
  template: z.enum(TEMPLATE_NAMES),
  userId: z.string().min(1),
  params: z.record(z.string(), z.string()).default({}),
});
type NotifyPayload = z.infer<typeof NotifyPayload>;

/** The job that tells `userId` about an event. `eventKey` makes the event's job unique. */
export function notifyJob(template: Template, userId: string, eventKey: string, params: Record<string, string> = {}): NewJob {
  return { kind: 'notify', payload: { template, userId, params } satisfies NotifyPayload, dedupKey: `notify:${template}:${eventKey}` };
}

const Progress = z.object({ sent: z.array(z.enum(['email', 'sms'])) }).catch({ sent: [] });

/** Renders and sends a `notify` job to each channel the person has, each channel once. */
export function notifyKind(provider: NotificationProvider): JobKind<NotifyPayload> {
  return jobKind({
    kind: 'notify',
    parse: (p) => NotifyPayload.parse(p),
    async run(ctx, p) {
      const contact = await findContactOfUser(ctx.db.read, p.userId);
      if (!contact) return; // no dossier, no contact: nobody to tell (done, not retried)
      const body = TEMPLATES[p.template](p.params);
      const sent = new Set(Progress.parse(ctx.progress ?? {}).sent);
      const channels: Array<['email' | 'sms', string | null]> = [
        ['email', contact.email],
        ['sms', contact.phone],
      ];
      for (const [channel, address] of channels) {
        if (!address || sent.has(channel)) continue;
        await provider.send({ id: `${ctx.jobId}:${channel}`, kind: p.template, channel, address, ...body }, { signal: ctx.signal });
        sent.add(channel);
        await ctx.saveProgress({ sent: [...sent] });
      }
    },
  });
}

const MessagePayload = z.strictObject({
  channel: z.enum(['email', 'sms']),
  address: z.string().min(1),
  message: z.object({ subject: z.string(), text: z.string() }).passthrough(),
});

/** A message rendered before the queue existed (moved over from the old outbox by migration 006). */
export function renderedMessageKind(provider: NotificationProvider): JobKind<z.infer<typeof MessagePayload>> {
  return jobKind({
    kind: 'notify.message',
    parse: (p) => MessagePayload.parse(p),
    async run(ctx, p) {
      await provider.send({ id: ctx.jobId, kind: 'notify.message', channel: p.channel, address: p.address, subject: p.message.subject, text: p.message.text }, { signal: ctx.signal });
    },
  });
}

/** The dossier listener: a status change the candidate should hear about becomes one notify job. */
export const notifyOnDossierChange: DossierListener = (before, after, change) => {
  if (after.isTrial || before?.status === after.status) return null;
  const template: Template | null =
    after.status === 'submitted' && (before === null || before.status === 'draft' || before.status === 'returned')
      ? 'dossier.submitted'
      : after.status === 'returned'
        ? 'dossier.returned'
        : after.status === 'verified'
          ? 'dossier.verified'
          : null;
  if (!template) return null;
  const params: Record<string, string> = { code: after.code ?? '' };
  if (template === 'dossier.returned') params['reason'] = change.reason ?? '';
  // the version makes each real event its own job, and a replay of the same event a duplicate
  return { parts: [jobsPart([notifyJob(template, change.candidateUserId, `${after.id}:${after.version}`, params)], change.at)] };
};

/** For the accounts feature's reset: inside its write. `resetId` identifies this reset. */
export async function notifyPasswordReset(trx: Kysely<DB>, userId: string, resetId: string, now: Date): Promise<number> {
  return enqueueJobs(trx, [notifyJob('account.password_reset', userId, resetId)], now);
}

const REMINDERS_KIND = 'notify.closing_reminders';

const RemindersPayload = z.strictObject({
  year: z.number().int(),
  /** the closing time as the message shows it */
  closesAt: z.string().min(1),
  /** the pass: its year and closing instant (a window moved later gets a pass of its own) */
  pass: z.string().min(1),
  /** the cursor: the last dossier id the chain's earlier links covered */
  after: z.string(),
});
type RemindersPayload = z.infer<typeof RemindersPayload>;
const RemindersProgress = z.object({ after: z.string() }).nullable().catch(null);

function remindersJob(p: RemindersPayload): NewJob {
  // a link of the chain per cursor: a repeated start, or a repeated hand-on, inserts nothing
  return { kind: REMINDERS_KIND, payload: p, dedupKey: `${p.pass}:${p.after}` };
}

/**
 * The reminder pass, a chain of jobs: each reads up to `pagesPerJob` pages of `page` dossiers still a draft
 * or returned (in dossier order, after its cursor; a job stays a few seconds long and its lease short),
 * queues one `window.closing` notification per candidate (once per candidate and year: the dedup key), and
 * commits each page with its cursor, so a retry resumes where it stopped; its last page commits with its
 * done mark and the next link of the chain.
 */
export function closingRemindersKindWith(o: { page: number; pagesPerJob: number }): JobKind<RemindersPayload> {
  return jobKind({
    kind: REMINDERS_KIND,
    parse: (p) => RemindersPayload.parse(p),
    timeoutMs: 60_000,
    async run(ctx, p) {
      let after = RemindersProgress.parse(ctx.progress)?.after ?? p.after;
      for (let i = 0; ; i++) {
        if (ctx.signal.aborted) throw ctx.signal.reason as Error;
        const page = await listUnsubmittedForReminder(ctx.db.read, p.year, after, o.page);
        const jobs = page.map((r) => notifyJob('window.closing', r.userId, `${p.year}:${r.userId}`, { closesAt: p.closesAt }));
        const last = page.at(-1)?.dossierId;
        if (!last || page.length < o.page || i === o.pagesPerJob - 1) {
          const next = last && page.length === o.page ? [remindersJob({ ...p, after: last })] : [];
          await ctx.finish(async (trx) => void (await enqueueJobs(trx, [...jobs, ...next], ctx.now)));
          return;
        }
        await ctx.saveProgress({ after: last }, async (trx) => void (await enqueueJobs(trx, jobs, ctx.now)));
        after = last;
      }
    },
  });
}

export const closingRemindersKind = closingRemindersKindWith({ page: 1000, pagesPerJob: 10 });

/**
 * From 24 hours before the official window closes: a reminder to every candidate whose dossier is still a
 * draft or returned, once per candidate. The duty only starts the pass (one job per year and closing
 * instant: every later minute's enqueue is a duplicate and inserts nothing); the pass runs as jobs.
 * Returns whether it started one now.
 */
export async function startClosingReminders(db: { write<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> }, year: { year: number; windows: ExamYearWindows }, now: Date, hoursBefore = 24): Promise<boolean> {
  const close = windowBounds(year.windows.official).end;
  if (now.getTime() >= close.getTime() || now.getTime() < close.getTime() - hoursBefore * 3600_000) return false;
  const l = instantToVietnamLocal(close);
  const closesAt = `${l.time.slice(0, 5)} ${l.date.slice(8, 10)}/${l.date.slice(5, 7)}/${l.date.slice(0, 4)}`;
  return (await db.write((trx) => enqueueJobs(trx, [remindersJob({ year: year.year, closesAt, pass: `closing-reminders:${year.year}:${close.toISOString()}`, after: '' })], now))) === 1;
}

export const closingRemindersTask: PeriodicTask = {
  name: 'closing-reminders',
  everyMs: 60_000,
  async run({ db, now }) {
    const year = await currentExamYear(db.read);
    if (year) await startClosingReminders(db, year, now);
  },
};
