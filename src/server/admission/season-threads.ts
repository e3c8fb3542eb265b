// The admission run's two cores (issue 24, item 3): the season read and scored by worker threads, each on
// its own connection and ranges of whole candidates that the main thread cuts one at a time from the
// covering index (the columns come back in ranges and are assembled in candidate order, so the input is
// the one a single reader builds); and the run's hashes digested on a thread while the main thread stores.
import { Worker } from 'node:worker_threads';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { CompactAdmissionInput, CompactAdmissionResult } from '../../domain/admission/compact.ts';
import type { FollowsPublished } from '../../domain/admission/canonical.ts';
import { seasonBoundary } from './run.repository.ts';
import type { SeasonChunk, SeasonSetup } from './season-input.ts';
import type { ToWorker, WorkerData } from './season-worker.ts';

const ENTRY = new URL('./season-worker-entry.mjs', import.meta.url);

type FromWorker =
  | { type: 'ready' }
  | { type: 'closed' }
  | { type: 'chunk'; i: number; chunk: SeasonChunk; readMs: number; buildMs: number }
  | { type: 'hashed'; inputHash: string; resultHash: string }
  | { type: 'error'; message: string; stack?: string };

const start = (data: WorkerData): Worker => new Worker(ENTRY, { workerData: data });
const aborted = (signal: AbortSignal): Error => (signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason ?? 'aborted')));

/** Ranges each reader has asked for at once: on PostgreSQL the next is read while this one is scored. */
const IN_FLIGHT = 2;

export async function readInThreads(
  db: Kysely<DB>,
  setup: SeasonSetup,
  o: { url: string; threads: number; rangeWishes: number; signal?: AbortSignal },
): Promise<{ chunks: SeasonChunk[]; waitMs: number; buildMs: number }> {
  o.signal?.throwIfAborted();
  const workers = Array.from({ length: o.threads }, () => start({ role: 'read', url: o.url, setup }));
  const chunks: SeasonChunk[] = [];
  let waitMs = 0;
  let buildMs = 0;
  // the ranges, cut one after another from the covering index
  let after: string | null = null;
  let exhausted = false;
  let next = 0;
  let chain: Promise<unknown> = Promise.resolve();
  const nextRange = (): Promise<ToWorker | null> => {
    const p = chain.then(async (): Promise<ToWorker | null> => {
      if (exhausted) return null;
      const upTo = await seasonBoundary(db, setup.examYear, after, o.rangeWishes);
      const r: ToWorker = { type: 'range', i: next++, after, upTo };
      if (upTo === null) exhausted = true;
      else after = upTo;
      return r;
    });
    chain = p.catch(() => {});
    return p;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      let open = workers.length;
      let failed = false;
      const stop = (e: Error) => {
        if (failed) return;
        failed = true;
        reject(e);
      };
      const onAbort = () => stop(aborted(o.signal!));
      o.signal?.addEventListener('abort', onAbort, { once: true });
      for (const w of workers) {
        let outstanding = 0;
        let closing = false;
        const feed = async () => {
          const r = await nextRange();
          if (failed) return;
          if (r) {
            outstanding += 1;
            w.postMessage(r);
          } else if (outstanding === 0 && !closing) {
            closing = true;
            w.postMessage({ type: 'close' } satisfies ToWorker);
          }
        };
        w.on('message', (m: FromWorker) => {
          if (m.type === 'ready') {
            for (let k = 0; k < IN_FLIGHT; k++) feed().catch((e: Error) => stop(e));
          } else if (m.type === 'chunk') {
            outstanding -= 1;
            chunks[m.i] = m.chunk;
            waitMs += m.readMs;
            buildMs += m.buildMs;
            feed().catch((e: Error) => stop(e));
          } else if (m.type === 'closed') {
            open -= 1;
            if (open === 0) {
              o.signal?.removeEventListener('abort', onAbort);
              resolve();
            }
          } else if (m.type === 'error') {
            stop(Object.assign(new Error(`admission run reader: ${m.message}`), { stack: m.stack }));
          }
        });
        w.on('error', (e) => stop(e));
        w.on('exit', (code) => {
          if (code !== 0) stop(new Error(`admission run reader exited with ${code}`));
        });
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return { chunks, waitMs, buildMs };
}

/** A thread that will hash one run's input and result; started early so that it is ready when the match ends. */
export function startHashThread(): { hash(ci: CompactAdmissionInput, r: CompactAdmissionResult, follows?: FollowsPublished): Promise<{ inputHash: string; resultHash: string }>; stop(): Promise<void> } {
  const w = start({ role: 'hash' });
  const ready = new Promise<void>((resolve, reject) => {
    w.once('message', () => resolve());
    w.once('error', reject);
  });
  ready.catch(() => {});
  return {
    async hash(ci, r, follows) {
      await ready;
      return new Promise((resolve, reject) => {
        w.on('message', (m: FromWorker) => {
          if (m.type === 'hashed') resolve({ inputHash: m.inputHash, resultHash: m.resultHash });
          else if (m.type === 'error') reject(Object.assign(new Error(`admission run hasher: ${m.message}`), { stack: m.stack }));
        });
        w.on('error', reject);
        w.on('exit', (code) => reject(new Error(`admission run hasher exited with ${code}`)));
        w.postMessage({ type: 'hash', ci, r, ...(follows ? { follows } : {}) } satisfies ToWorker);
      });
    },
    async stop() {
      await w.terminate();
    },
  };
}
