import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { statementsDuring } from '../../../test/helpers/pg-statements.ts';
import { CompiledQuery, sql } from 'kysely';
import { dueOfKind, enqueueJobs, jobDepth, jobsPart, listJobs } from './jobs.repository.ts';
import { insertOrgUnits } from '../org/org.repository.ts';
import { JobWorker, backoffMs, eventLoopLag } from './worker.ts';
import { jobKind } from './job.ts';
import { FileProvider, type NotificationProvider, type OutgoingMessage } from '../notifications/providers.ts';
import { closingRemindersKindWith, notifyJob, notifyKind, startClosingReminders } from '../notifications/notify.ts';
import { IN_OFFICIAL, P1, WINDOWS, makeCandidates, makeDossier, seedStructure } from '../verification/back-office.fixtures.ts';

const log = pino({ level: 'silent' });

/** A gateway that can be down (throws), hang (never answers until aborted) or up; it records deliveries. */
class Flaky {
  mode: 'down' | 'hang' | 'up' = 'up';
  delivered: string[] = [];
  inFlight = new Map<string, number>();
  maxConcurrentSame = 0;
  async send(key: string, signal: AbortSignal): Promise<void> {
    const n = (this.inFlight.get(key) ?? 0) + 1;
    this.inFlight.set(key, n);
    this.maxConcurrentSame = Math.max(this.maxConcurrentSame, n);
    try {
      if (this.mode === 'down') throw new Error('gateway 503');
      if (this.mode === 'hang') await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
      this.delivered.push(key);
    } finally {
      this.inFlight.set(key, (this.inFlight.get(key) ?? 1) - 1);
    }
  }
}

const flakyKind = (g: Flaky, kind = 'test.flaky') =>
  jobKind<{ key: string }>({ kind, parse: (p) => p as { key: string }, run: (ctx, p) => g.send(p.key, ctx.signal), timeoutMs: 50, baseBackoffMs: 1000, maxBackoffMs: 8000 });

test('backoff doubles and is capped', () => {
  assert.equal(backoffMs(1, 1000, 60_000, () => 1), 1000);
  assert.equal(backoffMs(3, 1000, 60_000, () => 1), 4000);
  assert.equal(backoffMs(30, 1000, 60_000, () => 1), 60_000);
  assert.equal(backoffMs(3, 1000, 60_000, () => 0), 2000);
});

test('the file provider makes its folder again when it is gone (first message, or the data folder emptied since)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-fileprov-'));
  try {
    const file = path.join(dir, 'sub', 'outbox.log');
    const p = new FileProvider(file);
    const m = (id: string): OutgoingMessage => ({ id, kind: 'k', channel: 'email', address: 'a@example.vn', subject: 's', text: 't' });
    const signal = new AbortController().signal;
    await p.send(m('m1'), { signal });
    fs.rmSync(path.join(dir, 'sub'), { recursive: true, force: true });
    await p.send(m('m2'), { signal });
    assert.deepEqual(fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id), ['m2']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('beside the web, the pause between full batches grows while the event loop lags and comes back when it does not', () => {
  let lag = 0;
  const w = new JobWorker({} as never, [], [], () => new Date(), log, { drainPauseMs: 100, lagMs: () => lag, lagThresholdMs: 20, maxPauseMs: 1000 });
  assert.equal(w.nextPauseMs(), 100, 'a quick loop: the base pause');
  lag = 35;
  assert.deepEqual([1, 2, 3, 4, 5].map(() => w.nextPauseMs()), [200, 400, 800, 1000, 1000], 'doubles while the loop lags, up to the cap');
  lag = 5;
  assert.deepEqual([1, 2, 3, 4].map(() => w.nextPauseMs()), [500, 250, 125, 100], 'halves back to the base once it is quick again');
  assert.equal(w.nextPauseMs(), 100, 'never below the base');
  lag = 20;
  assert.equal(w.nextPauseMs(), 100, 'at the threshold is not past it');
  // a worker with no base pause (worker-only, PostgreSQL) still backs off from 10 ms when told of a lag
  let lag0 = 50;
  const w0 = new JobWorker({} as never, [], [], () => new Date(), log, { drainPauseMs: 0, lagMs: () => lag0, lagThresholdMs: 20 });
  assert.deepEqual([w0.nextPauseMs(), w0.nextPauseMs()], [10, 20]);
  lag0 = 0;
  assert.deepEqual([w0.nextPauseMs(), w0.nextPauseMs(), w0.nextPauseMs(), w0.nextPauseMs(), w0.nextPauseMs(), w0.nextPauseMs()], [10, 5, 2, 1, 0, 0]);
  // without a lag signal, the fixed pause
  assert.equal(new JobWorker({} as never, [], [], () => new Date(), log, { drainPauseMs: 100 }).nextPauseMs(), 100);
});

test('eventLoopLag reads a blocked loop as lag', async () => {
  const lag = eventLoopLag(5);
  try {
    await new Promise((r) => setTimeout(r, 30));
    lag.read();
    const until = performance.now() + 60;
    while (performance.now() < until);
    assert.ok(lag.read() >= 30, 'a 60 ms block is read as lag');
  } finally {
    lag.close();
  }
});

describeEachDb('job worker', (get) => {
  test('a repeated event is one job: the dedup key skips it', async () => {
    const db = get().db;
    const now = new Date('2026-04-15T02:00:00Z');
    const job = (k: string) => ({ kind: 'test.dedup', payload: { k }, dedupKey: `dedup:${k}` });
    assert.equal(await db.write((trx) => enqueueJobs(trx, [job('a'), job('b')], now)), 2);
    assert.equal(await db.write((trx) => enqueueJobs(trx, [job('a'), job('c')], now)), 1, 'the repeated event is skipped, the new one kept');
    assert.deepEqual((await listJobs(db.read, { kind: 'test.dedup' })).map((j) => j.dedupKey).sort(), ['dedup:a', 'dedup:b', 'dedup:c']);
  });

  test('a link outage (failing, then hanging) loses nothing and runs nothing twice, with three workers', async () => {
    const db = get().db;
    let now = new Date('2026-04-15T03:00:00Z');
    const clock = () => new Date(now);
    const jobs = Array.from({ length: 40 }, (_, i) => ({ kind: 'test.flaky', payload: { key: `k${i}` }, dedupKey: `flaky:${i}` }));
    assert.equal(await db.write((trx) => enqueueJobs(trx, jobs, now)), 40);
    const g = new Flaky();
    const workers = [1, 2, 3].map(() => new JobWorker(db, [flakyKind(g)], [], clock, log, { batch: 7 }));
    for (const mode of ['down', 'hang'] as const) {
      g.mode = mode;
      for (let i = 0; i < 3; i++) {
        await Promise.all(workers.map((w) => w.runOnce()));
        now = new Date(now.getTime() + 10_000);
      }
    }
    assert.equal(g.delivered.length, 0);
    assert.equal((await jobDepth(db.read)).byKind['test.flaky']?.pending, 40, 'nothing lost while the link is out');
    g.mode = 'up';
    for (let i = 0; i < 20 && ((await jobDepth(db.read)).byKind['test.flaky']?.pending ?? 0) > 0; i++) {
      await Promise.all(workers.map((w) => w.runOnce()));
      now = new Date(now.getTime() + 20_000);
    }
    assert.equal((await jobDepth(db.read)).byKind['test.flaky'], undefined, 'none pending, none dead');
    assert.equal(g.delivered.length, 40);
    assert.equal(new Set(g.delivered).size, 40, 'no job ran to completion twice');
    assert.equal(g.maxConcurrentSame, 1, 'a job is never held by two workers at once');
  });

  test('one ordering key: its jobs run one at a time, in order, even with several workers', async () => {
    const db = get().db;
    const now = new Date('2026-04-15T04:00:00Z');
    const ran: number[] = [];
    let running = 0;
    let maxRunning = 0;
    const kind = jobKind<{ n: number }>({
      kind: 'test.ordered',
      parse: (p) => p as { n: number },
      async run(_ctx, p) {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((r) => setTimeout(r, 5));
        ran.push(p.n);
        running--;
      },
    });
    // enqueued out of order: order_no decides (a dossier's version)
    await db.write((trx) => enqueueJobs(trx, [3, 1, 2, 5, 4].map((n) => ({ kind: 'test.ordered', payload: { n }, orderingKey: 'dossier-x', orderNo: n })), now));
    const workers = [1, 2].map(() => new JobWorker(db, [kind], [], () => now, log, { batch: 5 }));
    for (let i = 0; i < 10 && ran.length < 5; i++) await Promise.all(workers.map((w) => w.runOnce()));
    assert.deepEqual(ran, [1, 2, 3, 4, 5]);
    assert.equal(maxRunning, 1);
  });

  test('a kind with a rate starts its runs no closer than 1000 / perSecond ms, even with the whole batch at once; others are not held', async () => {
    const db = get().db;
    const now = new Date('2026-04-15T05:00:00Z');
    const starts: number[] = [];
    const others: number[] = [];
    const paced = jobKind({ kind: 'test.paced', parse: (p) => p, perSecond: 20, run: async () => void starts.push(performance.now()) });
    const free = jobKind({ kind: 'test.free', parse: (p) => p, run: async () => void others.push(performance.now()) });
    await db.write((trx) => enqueueJobs(trx, [...Array.from({ length: 8 }, (_, i) => ({ kind: 'test.paced', payload: { i } })), ...Array.from({ length: 8 }, (_, i) => ({ kind: 'test.free', payload: { i } }))], now));
    const w = new JobWorker(db, [paced, free], [], () => now, log, { batch: 16 });
    const t0 = performance.now();
    const r = await w.runOnce();
    assert.equal(r.done, 16);
    starts.sort((a, b) => a - b);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    assert.ok(Math.min(...gaps) >= 45, `runs 50 ms apart at 20 a second (smallest gap ${Math.min(...gaps).toFixed(1)} ms)`);
    assert.ok(starts.at(-1)! - t0 >= 340, 'eight runs at 20 a second take at least 350 ms');
    assert.ok(Math.max(...others) - t0 < starts.at(-1)! - t0, 'the kind without a rate did not wait behind it');
  });

  test('finish commits the job\'s last write with its done mark; saveProgress carries its step\'s record; a throw after finish leaves it done', async () => {
    const db = get().db;
    const now = new Date('2026-04-15T05:00:00Z');
    const kind = jobKind<{ n: number }>({
      kind: 'test.finishing',
      parse: (p) => p as { n: number },
      maxAttempts: 1,
      run: async (ctx, p) => {
        await ctx.saveProgress({ step: 1 }, (trx) => insertOrgUnits(trx, [{ kind: 'ministry', code: `S${p.n}`, name: 'step', parentId: null, departmentCode: null }], now).then(() => {}));
        await ctx.finish((trx) => insertOrgUnits(trx, [{ kind: 'ministry', code: `F${p.n}`, name: 'end', parentId: null, departmentCode: null }], now).then(() => {}));
        if (p.n === 2) throw new Error('after the end');
      },
    });
    await db.write((trx) => enqueueJobs(trx, [1, 2].map((n) => ({ kind: 'test.finishing', payload: { n } })), now));
    const w = new JobWorker(db, [kind], [], () => now, log, { batch: 1 });
    const before = db.writeStats().batches;
    assert.deepEqual(await w.runOnce(), { done: 1, failed: 0, claimed: 1 });
    if (db.dialect.name === 'sqlite') assert.equal(db.writeStats().batches - before, 3, 'the claim, the step with its record, the end with the done mark');
    assert.deepEqual(await w.runOnce(), { done: 1, failed: 0, claimed: 1 });
    const jobs = await db.read.selectFrom('jobs').select(['status', 'progress']).where('kind', '=', 'test.finishing').execute();
    assert.deepEqual(jobs.map((j) => j.status), ['done', 'done'], 'the job that threw after finishing stays done');
    assert.ok(jobs.every((j) => JSON.parse(j.progress ?? 'null')?.step === 1));
    const codes = (await db.read.selectFrom('org_units').select('code').execute()).map((r) => r.code).sort();
    assert.deepEqual(codes, ['F1', 'F2', 'S1', 'S2']);
  });

  test('finishWith writes its parts with the done mark, and nothing while another worker has taken the job over', async () => {
    const db = get().db;
    const now = new Date('2026-04-15T05:00:00Z');
    const kind = jobKind<{ n: number }>({
      kind: 'test.finishing-with',
      parse: (p) => p as { n: number },
      run: async (ctx, p) => {
        // job 2's lease ended mid-run and another worker claimed it: its records are that worker's to write
        if (p.n === 2) await ctx.db.write((trx) => trx.updateTable('jobs').set({ locked_by: 'w-other' }).where('id', '=', ctx.jobId).execute());
        await ctx.finishWith([jobsPart([{ kind: 'test.follow-up', payload: { of: p.n }, dedupKey: `follow-up:${p.n}` }], ctx.now)]);
      },
    });
    await db.write((trx) => enqueueJobs(trx, [1, 2].map((n) => ({ kind: 'test.finishing-with', payload: { n }, orderNo: n })), now));
    const w = new JobWorker(db, [kind], [], () => now, log, { batch: 1 });
    assert.deepEqual(await w.runOnce(), { done: 1, failed: 0, claimed: 1 });
    assert.deepEqual(await w.runOnce(), { done: 1, failed: 0, claimed: 1 });
    const jobs = await db.read.selectFrom('jobs').select(['kind', 'status', 'locked_by', 'payload']).where('kind', 'in', ['test.finishing-with', 'test.follow-up']).orderBy('created_at').orderBy('id').execute();
    const of = (k: string) => jobs.filter((j) => j.kind === k);
    assert.deepEqual(of('test.follow-up').map((j) => JSON.parse(j.payload)), [{ of: 1 }], 'the follow-up of the job it still held, and only that one');
    const taken = of('test.finishing-with').find((j) => JSON.parse(j.payload).n === 2)!;
    assert.deepEqual([taken.status, taken.locked_by], ['pending', 'w-other'], 'the job taken over is left to its new holder');
    assert.equal(of('test.finishing-with').find((j) => JSON.parse(j.payload).n === 1)!.status, 'done');
  });

  test('a redoable kind\'s finishes are gathered: a batch\'s commit together, and none waits longer than it must', async () => {
    const db = get().db;
    const now = new Date('2026-04-15T05:30:00Z');
    const kind = (name: string, perSecond?: number) =>
      jobKind<{ n: number }>({
        kind: name,
        parse: (p) => p as { n: number },
        redoable: true,
        ...(perSecond ? { perSecond } : {}),
        run: async (ctx, p) => {
          // the jobs end out of order, as a link's answers do
          await new Promise((r) => setTimeout(r, (p.n * 7) % 5));
          await ctx.finishWith([jobsPart([{ kind: `${name}.follow-up`, payload: { of: p.n }, dedupKey: `${name}:${p.n}` }], ctx.now)]);
        },
      });
    const followUps = async (name: string) => (await db.read.selectFrom('jobs').select('payload').where('kind', '=', `${name}.follow-up`).execute()).map((j) => (JSON.parse(j.payload) as { of: number }).of).sort((a, b) => a - b);

    // the whole batch at once: the finishes wait for each other, then commit together; the window (a
    // minute) is never waited out, because once every job of the batch waits nothing else can come
    // (each of its own ordering key, as a link's jobs are: on PostgreSQL only such finishes share a statement)
    await db.write((trx) => enqueueJobs(trx, Array.from({ length: 8 }, (_, n) => ({ kind: 'test.gathered', payload: { n }, orderingKey: `gathered:${n}` })), now));
    const w = new JobWorker(db, [kind('test.gathered')], [], () => now, log, { batch: 8, gatherMs: 60_000 });
    const before = db.writeStats().batches;
    let outcome: unknown;
    const statements = await statementsDuring(async () => void (outcome = await w.runOnce()));
    assert.deepEqual(outcome, { done: 8, failed: 0, claimed: 8 });
    if (db.dialect.name === 'sqlite') assert.equal(db.writeStats().batches - before, 2, 'the claim, then the eight finishes in one commit');
    else {
      const finishes = statements.filter((q) => /update "jobs" set "status" = \$/.test(q));
      assert.equal(finishes.length, 1, 'the eight finishes in one statement');
      assert.match(finishes[0]!, /"p7" as \(update "jobs"/);
    }
    assert.deepEqual(await followUps('test.gathered'), [0, 1, 2, 3, 4, 5, 6, 7], 'every job\'s records written with its done mark');
    assert.equal((await jobDepth(db.read)).byKind['test.gathered'], undefined, 'all done');

    // runs paced 25 ms apart with a 60 ms window: fewer commits than jobs (about three; one if the machine
    // stalls the timers), and the last job of the batch does not wait for a window to end
    await db.write((trx) => enqueueJobs(trx, Array.from({ length: 8 }, (_, n) => ({ kind: 'test.gathered-paced', payload: { n } })), now));
    const paced = new JobWorker(db, [kind('test.gathered-paced', 40)], [], () => now, log, { batch: 8, gatherMs: 60 });
    const before2 = db.writeStats().batches;
    assert.deepEqual(await paced.runOnce(), { done: 8, failed: 0, claimed: 8 });
    if (db.dialect.name === 'sqlite') {
      const commits = db.writeStats().batches - before2 - 1;
      assert.ok(commits >= 1 && commits < 8, `the eight finishes in fewer commits than jobs (${commits})`);
    }
    assert.deepEqual(await followUps('test.gathered-paced'), [0, 1, 2, 3, 4, 5, 6, 7]);
  });

  test('a kind\'s prefetch reads once for its jobs of the batch; each run finds its share, and reads for itself when the prefetch failed', async () => {
    const db = get().db;
    const now = new Date('2026-04-15T05:40:00Z');
    let prefetches: number[][] = [];
    let failing = false;
    let parses = 0;
    const seen: Array<{ n: number; share: string | undefined; own: boolean }> = [];
    const kind = jobKind<{ n: number }, Map<number, string>>({
      kind: 'test.prefetching',
      parse: (p) => {
        parses++;
        const n = (p as { n?: unknown }).n;
        if (typeof n !== 'number') throw new Error('n must be a number');
        return { n };
      },
      prefetch: async (_db, payloads) => {
        prefetches.push(payloads.map((p) => p.n).sort((a, b) => a - b));
        if (failing) throw new Error('database unavailable for the batch read');
        return new Map(payloads.map((p) => [p.n, `row ${p.n}`]));
      },
      run: async (ctx, p) => {
        seen.push({ n: p.n, share: ctx.prefetched?.get(p.n), own: ctx.prefetched === undefined });
      },
    });
    const other = jobKind<unknown>({ kind: 'test.not-prefetching', parse: (p) => p, run: async (ctx) => assert.equal(ctx.prefetched, undefined) });
    await db.write((trx) =>
      enqueueJobs(trx, [...[0, 1, 2, 3, 4].map((n) => ({ kind: 'test.prefetching', payload: { n } })), { kind: 'test.prefetching', payload: { n: 'bad' } }, { kind: 'test.not-prefetching', payload: {} }], now),
    );
    const w = new JobWorker(db, [kind, other], [], () => now, log, { batch: 10 });
    assert.deepEqual(await w.runOnce(), { done: 6, failed: 1, claimed: 7 });
    assert.deepEqual(prefetches, [[0, 1, 2, 3, 4]], 'one read for the batch\'s five readable payloads of the kind');
    assert.deepEqual(seen.sort((a, b) => a.n - b.n), [0, 1, 2, 3, 4].map((n) => ({ n, share: `row ${n}`, own: false })));
    assert.equal((await listJobs(db.read, { kind: 'test.prefetching', status: 'dead' })).length, 1, 'the unreadable payload is dead, as without a prefetch');
    // each readable payload parsed once (the run takes the prefetch's), the unreadable one again by its run
    assert.equal(parses, 7);

    // the batch read fails: the runs go on, each reading for itself
    prefetches = [];
    seen.length = 0;
    failing = true;
    await db.write((trx) => enqueueJobs(trx, [5, 6].map((n) => ({ kind: 'test.prefetching', payload: { n } })), now));
    assert.deepEqual(await w.runOnce(), { done: 2, failed: 0, claimed: 2 });
    assert.deepEqual(prefetches, [[5, 6]]);
    assert.deepEqual(seen.sort((a, b) => a.n - b.n), [5, 6].map((n) => ({ n, share: undefined, own: true })));
  });

  test('after its kind\'s attempts a job is dead, visible, and no longer tried', async () => {
    const db = get().db;
    let now = new Date('2026-04-15T05:00:00Z');
    let tries = 0;
    const kind = jobKind({ kind: 'test.doomed', parse: (p) => p, maxAttempts: 3, baseBackoffMs: 10, maxBackoffMs: 10, run: async () => {
        tries++;
        throw new Error('no');
      } });
    await db.write((trx) => enqueueJobs(trx, [{ kind: 'test.doomed', payload: {} }], now));
    const w = new JobWorker(db, [kind], [], () => now, log);
    for (let i = 0; i < 6; i++) {
      await w.runOnce();
      now = new Date(now.getTime() + 1000);
    }
    assert.equal(tries, 3);
    const [j] = await listJobs(db.read, { kind: 'test.doomed' });
    assert.equal(j!.status, 'dead');
    assert.equal(j!.lastError, 'no');
  });

  test('a notification: rendered by the worker, sent to each channel of the person once, even when a channel fails midway', async () => {
    const db = get().db;
    await seedStructure(db);
    const [c] = await makeCandidates(db, P1, ['Nguyễn Văn An']);
    await makeDossier(db, c!, 'draft', { contact: { email: 'an@example.vn', phone: '0912345678' } });
    await db.write((trx) => enqueueJobs(trx, [notifyJob('dossier.returned', c!.userId, 'evt-1', { reason: 'Ảnh bị mờ', code: '01-26-000001-x' })], IN_OFFICIAL));
    const sent: OutgoingMessage[] = [];
    let smsDown = true;
    const provider: NotificationProvider = {
      name: 'test',
      async send(m) {
        if (m.channel === 'sms' && smsDown) throw new Error('sms gateway down');
        sent.push(m);
      },
    };
    let now = IN_OFFICIAL;
    const w = new JobWorker(db, [notifyKind(provider)], [], () => now, log);
    await w.runOnce();
    assert.deepEqual(sent.map((m) => m.channel), ['email'], 'the e-mail went; the SMS failed');
    smsDown = false;
    now = new Date(now.getTime() + 3600_000);
    await w.runOnce();
    assert.deepEqual(sent.map((m) => m.channel), ['email', 'sms'], 'the retry sends the SMS only');
    assert.match(sent[0]!.text, /Ảnh bị mờ/);
    assert.equal(sent[0]!.address, 'an@example.vn');
    assert.equal(sent[1]!.address, '0912345678');
    assert.equal((await listJobs(db.read, { kind: 'notify' }))[0]!.status, 'done');
  });

  test('closing reminders: one pass from 24 hours before the close, as a chain of short jobs, one reminder per unsubmitted candidate; later minutes start nothing', async () => {
    const db = get().db;
    // the suite's database may hold an earlier test's structure (and its unsubmitted candidate)
    if (!(await db.read.selectFrom('exam_years').select('year').executeTakeFirst())) await seedStructure(db);
    const cs = await makeCandidates(db, P1, ['An', 'Bình', 'Chi', 'Dũng', 'Giang', 'Hà', 'Khoa'].map((n) => `Nguyễn Văn ${n}`));
    const statuses = ['draft', 'draft', 'returned', 'submitted', 'draft', 'verified', 'draft'] as const;
    for (const [i, c] of cs.entries()) await makeDossier(db, c, statuses[i]!);
    const year = { year: 2026, windows: WINDOWS };
    // the official window closes 2026-04-20 17:00 in Vietnam (10:00 UTC)
    assert.equal(await startClosingReminders(db, year, new Date('2026-04-19T09:59:00Z')), false, 'not yet 24 hours before');
    const t = new Date('2026-04-19T12:00:00Z');
    assert.equal(await startClosingReminders(db, year, t), true);
    assert.equal(await startClosingReminders(db, year, new Date(t.getTime() + 60_000)), false, 'the next minute starts nothing');
    assert.equal(await startClosingReminders(db, year, new Date('2026-04-20T10:00:00Z')), false, 'closed');
    // pages of 2, two pages a job: 5 unsubmitted dossiers are a chain of two jobs (4, then 1)
    let now = t;
    const w = new JobWorker(db, [closingRemindersKindWith({ page: 2, pagesPerJob: 2 })], [], () => now, log, { batch: 1 });
    for (let i = 0; i < 5; i++) await w.runOnce();
    const passes = await listJobs(db.read, { kind: 'notify.closing_reminders' });
    assert.deepEqual(passes.map((j) => j.status), ['done', 'done']);
    const closingOnly = async () => (await listJobs(db.read, { kind: 'notify' })).filter((j) => (j.payload as { template: string }).template === 'window.closing');
    const reminders = await closingOnly();
    const expected = cs.filter((_, i) => statuses[i] === 'draft' || statuses[i] === 'returned').map((c) => c.userId);
    const mine = new Set(cs.map((c) => c.userId));
    const reminded = reminders.map((j) => (j.payload as { userId: string }).userId);
    assert.deepEqual(reminded.filter((u) => mine.has(u)).sort(), [...expected].sort(), 'each unsubmitted candidate once; the submitted and verified none');
    assert.equal(new Set(reminded).size, reminded.length, 'nobody twice');
    assert.ok(reminders.every((j) => (j.payload as { params: { closesAt: string } }).params.closesAt === '17:00 20/04/2026'));
    // a pass for a closing moved later is a pass of its own, and reminds nobody twice
    const moved = { year: 2026, windows: { ...WINDOWS, official: { ...WINDOWS.official, to: '2026-04-21' } } };
    now = new Date('2026-04-20T12:00:00Z');
    assert.equal(await startClosingReminders(db, moved, now), true);
    for (let i = 0; i < 5; i++) await w.runOnce();
    assert.equal((await closingOnly()).length, reminders.length);
  });

  test('a claim reads each kind by its own index (kind, status, next_attempt_at), even with statistics taken while the queue was short', async () => {
    const db = get().db;
    const q = dueOfKind(db.read, 'notify', '2026-04-15T00:00:00.000Z', 20).compile();
    const plan = await db.write(async (trx) => {
      if (db.dialect.name === 'sqlite') {
        // statistics taken while the queue was empty (as the bench's country had them): with another index
        // on (status, next_attempt_at) SQLite walked it through a backlog of another kind's due rows on
        // every claim. Written as ANALYZE of an empty queue writes them, then loaded again.
        await sql`analyze`.execute(trx);
        await sql`delete from sqlite_stat1 where tbl = 'jobs'`.execute(trx);
        await sql`delete from sqlite_stat4`.execute(trx);
        await sql`insert into sqlite_stat1 (tbl, idx, stat) values ('jobs', 'jobs_ordering', '0 0 0 0')`.execute(trx);
        await sql`analyze sqlite_schema`.execute(trx);
        return (await trx.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${q.sql}`, [...q.parameters]))).rows.map((r) => r.detail).join('\n');
      }
      // a short table is read whole by PostgreSQL whatever its indexes: asked not to, it shows the index it would use
      await sql`set local enable_seqscan = off`.execute(trx);
      return (await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${q.sql}`, [...q.parameters]))).rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    assert.match(plan, /jobs_kind_status_due/, plan);
    assert.doesNotMatch(plan, /jobs_due\b|jobs_status_done/, plan);
    // and no other index offers itself: with one on (status, next_attempt_at), SQLite chose it on the
    // bench's country (statistics of an empty queue) and walked 100,000 rows of another kind per claim
    const withDueTime =
      db.dialect.name === 'sqlite'
        ? (await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'jobs' and sql like '%next_attempt_at%'`.execute(db.read)).rows.map((r) => r.name)
        : (await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'jobs' and schemaname = current_schema() and indexdef like '%next_attempt_at%'`.execute(db.read)).rows.map((r) => r.name);
    assert.deepEqual(withDueTime, ['jobs_kind_status_due']);
  });

  test('a backlog of one kind does not hold back another kind: a batch takes the kinds in turn, each in its own due order', async () => {
    const db = get().db;
    const now = new Date('2026-04-15T07:00:00Z');
    const ran: string[] = [];
    const mk = (kind: string) => jobKind<{ k: string }>({ kind, parse: (p) => p as { k: string }, run: async (_ctx, p) => void ran.push(p.k) });
    // 30 portal-like updates due since an hour ago (an outage's backlog), then a notification due now
    const older = new Date(now.getTime() - 3600_000);
    await db.write((trx) => enqueueJobs(trx, Array.from({ length: 30 }, (_, i) => ({ kind: 'test.backlog-kind', payload: { k: `b${i}` }, runAt: new Date(older.getTime() + i * 1000) })), older));
    await db.write((trx) => enqueueJobs(trx, [{ kind: 'test.fresh-kind', payload: { k: 'fresh' } }], now));
    const w = new JobWorker(db, [mk('test.backlog-kind'), mk('test.fresh-kind')], [], () => now, log, { batch: 10, concurrency: 1 });
    assert.deepEqual(await w.runOnce(), { done: 10, failed: 0, claimed: 10 });
    assert.deepEqual(ran, ['b0', 'fresh', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7', 'b8'], 'the fresh job in the first batch, second (the kinds in turn); the backlog oldest first');
  });

  test('a batch run two at a time: never more than two jobs in flight, and every job of the batch done', async () => {
    const db = get().db;
    const now = new Date('2026-04-15T06:00:00Z');
    let running = 0;
    let most = 0;
    const ran: number[] = [];
    const kind = jobKind<{ n: number }>({
      kind: 'test.lanes',
      parse: (p) => p as { n: number },
      async run(_ctx, p) {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 3));
        ran.push(p.n);
        running--;
      },
    });
    await db.write((trx) => enqueueJobs(trx, Array.from({ length: 9 }, (_, n) => ({ kind: 'test.lanes', payload: { n } })), now));
    const w = new JobWorker(db, [kind], [], () => now, log, { batch: 9, concurrency: 2 });
    const r = await w.runOnce();
    assert.deepEqual(r, { done: 9, failed: 0, claimed: 9 });
    assert.equal(most, 2);
    assert.deepEqual([...ran].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual((await listJobs(db.read, { kind: 'test.lanes' })).filter((j) => j.status !== 'done'), []);
  });

  test('a backlog larger than a batch is run batch after batch, without waiting a poll interval between them', async () => {
    const db = get().db;
    const g = new Flaky();
    await db.write((trx) => enqueueJobs(trx, Array.from({ length: 23 }, (_, i) => ({ kind: 'test.backlog', payload: { key: `backlog:${i}` } })), new Date()));
    // a poll interval of ten minutes: only draining without it can run the 23 within the wait below
    const w = new JobWorker(db, [flakyKind(g, 'test.backlog')], [], () => new Date(), log, { batch: 5, pollMs: 600_000 });
    w.start();
    for (let i = 0; i < 500 && g.delivered.length < 23; i++) await new Promise((r) => setTimeout(r, 20));
    await w.stop();
    assert.equal(g.delivered.length, 23);
    assert.deepEqual((await listJobs(db.read, { kind: 'test.backlog' })).filter((j) => j.status !== 'done'), []);
  });
});
