// What runs on a render thread: piscina hands each task here, and it calls the named renderer of
// tasks.ts. A file task returns its bytes (moved, not copied, to the main thread). A stream task talks to
// the main thread over its own MessagePort: it asks for a page when it is ready for one, and sends the
// file's bytes back as they are written, so neither side ever holds more than about a page.
import { finished } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { threadId, type MessagePort } from 'node:worker_threads';
import v8 from 'node:v8';
import vm from 'node:vm';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { fileTasks, streamTasks } from './tasks.ts';

export type WorkerTask =
  | { kind: 'file'; name: string; input: unknown }
  | { kind: 'stream'; name: string; input: unknown; port: MessagePort; probeHeap: boolean };

/** stream messages, render thread → main thread */
export type ToMain = { t: 'pull'; heapUsed?: number } | { t: 'data'; chunk: Uint8Array } | { t: 'done' };
/** stream messages, main thread → render thread: only ever an answer to a pull */
export type ToWorker = { t: 'page'; page: unknown } | { t: 'end' } | { t: 'abort' };

export interface FileResult {
  threadId: number;
  bytes: Uint8Array;
}
export interface StreamResult {
  threadId: number;
  count: number;
}

/** about what a slow client's socket takes at once */
const BATCH_BYTES = 64 * 1024;

type AnyFileTask = (input: unknown) => Promise<Uint8Array>;
type AnyStreamTask = (input: unknown, pages: AsyncIterable<unknown>, out: Writable) => Promise<number>;

/** A view that owns its whole ArrayBuffer, so moving it detaches nothing else (Buffer pools share theirs). */
function owned(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? bytes : new Uint8Array(bytes);
}

let collect: (() => void) | undefined;
/** the thread's live heap, collected first: what a test of flat memory compares across pages */
function heapAfterGc(): number {
  if (!collect) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
  return v8.getHeapStatistics().used_heap_size;
}

async function runStream(task: Extract<WorkerTask, { kind: 'stream' }>): Promise<StreamResult> {
  const render = Object.hasOwn(streamTasks, task.name) ? (streamTasks as Record<string, AnyStreamTask>)[task.name] : undefined;
  if (!render) throw new Error(`unknown render task ${task.name}`);
  const port = task.port;
  let answer: ((m: ToWorker) => void) | undefined;
  port.on('message', (m: ToWorker) => answer?.(m));
  const send = (m: ToMain, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);
  // pdfkit and exceljs write many small chunks: they go to the main thread in batches, so its event loop
  // handles a message per batch rather than per PDF object
  let batch: Buffer[] = [];
  let batched = 0;
  const flush = () => {
    if (batched === 0) return;
    const chunk = new Uint8Array(batched);
    let at = 0;
    for (const b of batch) {
      chunk.set(b, at);
      at += b.length;
    }
    batch = [];
    batched = 0;
    send({ t: 'data', chunk }, [chunk.buffer]);
  };
  const pages = (async function* () {
    for (;;) {
      flush();
      const reply = new Promise<ToWorker>((resolve) => (answer = resolve));
      send(task.probeHeap ? { t: 'pull', heapUsed: heapAfterGc() } : { t: 'pull' });
      const m = await reply;
      if (m.t === 'end') return;
      if (m.t === 'abort') throw new Error('render aborted: the file is no longer wanted');
      yield m.page;
    }
  })();
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      batch.push(chunk);
      batched += chunk.length;
      if (batched >= BATCH_BYTES) flush();
      cb();
    },
    final(cb) {
      flush();
      cb();
    },
  });
  // the main thread closes the port once it has seen 'done' (or the task failed): closing it here could
  // drop the last chunks still on their way
  const count = await render(task.input, pages, out);
  if (!out.writableFinished) await finished(out);
  send({ t: 'done' });
  return { threadId, count };
}

export default async function renderTask(task: WorkerTask): Promise<unknown> {
  if (task.kind === 'stream') return runStream(task);
  const render = Object.hasOwn(fileTasks, task.name) ? (fileTasks as Record<string, AnyFileTask>)[task.name] : undefined;
  if (!render) throw new Error(`unknown render task ${task.name}`);
  const bytes = owned(await render(task.input));
  const result: FileResult = { threadId, bytes };
  return move({ [transferableSymbol]: [bytes.buffer], [valueSymbol]: result });
}
