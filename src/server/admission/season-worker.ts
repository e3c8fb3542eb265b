// A worker thread of the admission run (season-threads.ts starts it through season-worker-entry.mjs). As a
// reader it opens its own read-only connection, takes ranges of whole candidates one at a time, reads and
// scores each into columns and hands them back without a copy; as a hasher it digests the run's canonical
// input and result while the main thread stores the result.
import { parentPort, workerData } from 'node:worker_threads';
import { openReader } from '../db/create-db.ts';
import { seasonRows } from './run.repository.ts';
import { chunkBuffers, seasonScorer, type SeasonSetup } from './season-input.ts';
import { hashCompactInput, hashCompactResult } from './run-hash.ts';
import type { CompactAdmissionInput, CompactAdmissionResult } from '../../domain/admission/compact.ts';
import type { FollowsPublished } from '../../domain/admission/canonical.ts';

export type WorkerData = { role: 'read'; url: string; setup: SeasonSetup } | { role: 'hash' };
export type ToWorker = { type: 'range'; i: number; after: string | null; upTo: string | null } | { type: 'close' } | { type: 'hash'; ci: CompactAdmissionInput; r: CompactAdmissionResult; follows?: FollowsPublished };

const port = parentPort!;
const data = workerData as WorkerData;
const fail = (e: unknown) => port.postMessage({ type: 'error', message: (e as Error)?.message ?? String(e), stack: (e as Error)?.stack });

if (data.role === 'read') {
  const db = openReader(data.url, 2);
  const scorer = seasonScorer(data.setup);
  port.on('message', (m: ToWorker) => {
    if (m.type === 'range') {
      void (async () => {
        const t0 = performance.now();
        const rows = await seasonRows(db, data.setup.examYear, m.after, m.upTo, null);
        const t1 = performance.now();
        const chunk = scorer.score(rows);
        port.postMessage({ type: 'chunk', i: m.i, chunk, readMs: t1 - t0, buildMs: performance.now() - t1 }, chunkBuffers(chunk));
      })().catch(fail);
    } else if (m.type === 'close') {
      void db
        .destroy()
        .then(() => {
          port.postMessage({ type: 'closed' });
          port.close();
        })
        .catch(fail);
    }
  });
  port.postMessage({ type: 'ready' });
} else {
  port.on('message', (m: ToWorker) => {
    if (m.type !== 'hash') return;
    try {
      const inputHash = hashCompactInput(m.ci, m.r, m.follows);
      const resultHash = hashCompactResult(m.ci, m.r, inputHash);
      port.postMessage({ type: 'hashed', inputHash, resultHash });
    } catch (e) {
      fail(e);
    }
    port.close();
  });
  port.postMessage({ type: 'ready' });
}
