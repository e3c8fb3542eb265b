// The render pool: PDF and XLSX files are drawn on worker threads (piscina), so a class's forms or a
// province's list never hold up the event loop that answers every other request, nor trip the overload
// guard. One pool per process, created on first use, sized by RENDER_THREADS, closed with the app.
// Tasks are named (tasks.ts); a full queue answers 503 with Retry-After, like any other overload.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { Services } from '../context.ts';
import { AppError } from '../http/errors.ts';
import type { FileTaskInput, FileTaskName, StreamTaskInput, StreamTaskName, StreamTaskPage } from './tasks.ts';
import type { FileResult, StreamResult, ToMain, ToWorker, WorkerTask } from './worker.ts';

export interface RenderPoolOptions {
  /** render threads; 0 draws on the calling thread (for a comparison or a CPU profile only) */
  threads: number;
  /** tasks waiting for a thread beyond which a new one is refused with 503 */
  maxQueue: number;
  retryAfterSeconds?: number;
}

export interface StreamOptions {
  /** called at each page with the render thread's live heap after a collection (tests of flat memory) */
  onWorkerHeap?: (bytes: number) => void;
}

export interface RenderStats {
  threads: number;
  queued: number;
  completed: number;
  /** the threads that ran tasks so far (the main thread is 0) */
  ranOn: number[];
}

/**
 * A stream task runs several at once on a thread: most of its time it waits for the next page or for a
 * slow client, and meanwhile the thread can draw another file.
 */
const STREAMS_PER_THREAD = 4;
const ENTRY = new URL('./worker-entry.mjs', import.meta.url).href;

async function drainedOrClosed(out: Writable): Promise<void> {
  const ac = new AbortController();
  await Promise.race([once(out, 'drain', { signal: ac.signal }), once(out, 'close', { signal: ac.signal })]).finally(() => ac.abort());
}

/** Pages in order, each only once `out` has room for what the last one produced. */
async function* flowControlled<P>(pages: AsyncIterable<P>, out: Writable): AsyncGenerator<P> {
  for await (const page of pages) {
    yield page;
    // let the file's writer (a zip stream) flush, then wait for a slow client: about a page is buffered
    await new Promise((r) => setImmediate(r));
    if (out.writableNeedDrain) await drainedOrClosed(out);
    if (out.destroyed) throw new Error('render stopped: the client closed the download');
  }
}

export class RenderPool {
  #piscina: Piscina | undefined;
  #closing: Promise<void> | undefined;
  readonly #ranOn = new Set<number>();
  readonly #retryAfter: number;

  constructor(private readonly opts: RenderPoolOptions) {
    this.#retryAfter = opts.retryAfterSeconds ?? 2;
  }

  /** Draws a whole file on a render thread. Rejects with a 503 AppError when the queue is full. */
  run<N extends FileTaskName>(name: N, input: FileTaskInput<N>): Promise<Buffer> {
    if (this.opts.threads === 0) return this.#runHere(name, input);
    let pool: Piscina;
    try {
      pool = this.#admit();
    } catch (err) {
      return Promise.reject(err);
    }
    const task: WorkerTask = { kind: 'file', name, input };
    return (pool.run(task) as Promise<FileResult>).then((r) => {
      this.#ranOn.add(r.threadId);
      return Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength);
    }, this.#refusal);
  }

  /**
   * Draws a file from `pages` on a render thread, writing it to `out` and ending it; resolves with the
   * number of items drawn. A page is read only when the thread is ready for it and `out` has room, so
   * memory stays flat however many pages there are. Throws at once (a 503 AppError) when the queue is
   * full, so a route can still answer before it has sent any header.
   */
  stream<N extends StreamTaskName>(name: N, input: StreamTaskInput<N>, pages: AsyncIterable<StreamTaskPage<N>>, out: Writable, opts: StreamOptions = {}): Promise<number> {
    const source = flowControlled(pages, out);
    if (this.opts.threads === 0) return this.#streamHere(name, input, source, out);
    const pool = this.#admit();
    const { port1, port2 } = new MessageChannel();
    let sourceError: unknown;
    let sawDone!: () => void;
    const done = new Promise<void>((resolve) => (sawDone = resolve));
    const answer = async () => {
      let reply: ToWorker;
      try {
        const next = await source.next();
        reply = next.done ? { t: 'end' } : { t: 'page', page: next.value };
      } catch (err) {
        sourceError = err;
        reply = { t: 'abort' };
      }
      port1.postMessage(reply);
    };
    port1.on('message', (m: ToMain) => {
      if (m.t === 'data') {
        if (!out.destroyed) out.write(Buffer.from(m.chunk.buffer, m.chunk.byteOffset, m.chunk.byteLength));
      } else if (m.t === 'pull') {
        if (m.heapUsed !== undefined) opts.onWorkerHeap?.(m.heapUsed);
        void answer();
      } else if (m.t === 'done') {
        sawDone();
      }
    });
    const task: WorkerTask = { kind: 'stream', name, input, port: port2, probeHeap: opts.onWorkerHeap !== undefined };
    const ran = (pool.run(task, { transferList: [port2] }) as Promise<StreamResult>).catch((err: unknown) => {
      // a failed page read says more than the thread's "aborted"
      throw sourceError ?? err;
    });
    return Promise.all([ran, done])
      .then(([r]) => {
        this.#ranOn.add(r.threadId);
        out.end();
        return r.count;
      }, this.#refusal)
      .finally(() => {
        port1.close();
        void source.return(undefined);
      });
  }

  stats(): RenderStats {
    const p = this.#piscina;
    return { threads: p?.threads.length ?? 0, queued: p?.queueSize ?? 0, completed: p?.completed ?? 0, ranOn: [...this.#ranOn] };
  }

  /** Lets running tasks finish (10 s at most), then stops the threads. */
  close(): Promise<void> {
    const p = this.#piscina;
    if (!p) return Promise.resolve();
    this.#closing ??= p.close({ force: true });
    return this.#closing;
  }

  #admit(): Piscina {
    if (this.#closing) throw AppError.unavailable(this.#retryAfter);
    this.#piscina ??= new Piscina({
      filename: ENTRY,
      // one thread stays warm once the first file is asked for: starting one loads pdfkit and exceljs
      minThreads: 1,
      maxThreads: this.opts.threads,
      idleTimeout: 60_000,
      maxQueue: this.opts.maxQueue,
      concurrentTasksPerWorker: STREAMS_PER_THREAD,
      closeTimeout: 10_000,
    });
    if (this.#piscina.queueSize >= this.opts.maxQueue) throw AppError.unavailable(this.#retryAfter);
    return this.#piscina;
  }

  readonly #refusal = (err: unknown): never => {
    if (err instanceof Error && /queue is at limit/i.test(err.message)) throw AppError.unavailable(this.#retryAfter);
    throw err;
  };

  async #runHere<N extends FileTaskName>(name: N, input: FileTaskInput<N>): Promise<Buffer> {
    const { fileTasks } = await import('./tasks.ts');
    const bytes = await (fileTasks[name] as (i: FileTaskInput<N>) => Promise<Uint8Array>)(input);
    this.#ranOn.add(0);
    return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async #streamHere<N extends StreamTaskName>(name: N, input: StreamTaskInput<N>, pages: AsyncIterable<StreamTaskPage<N>>, out: Writable): Promise<number> {
    const { streamTasks } = await import('./tasks.ts');
    const render = streamTasks[name] as (i: StreamTaskInput<N>, p: AsyncIterable<StreamTaskPage<N>>, o: Writable) => Promise<number>;
    const n = await render(input, pages, out);
    this.#ranOn.add(0);
    return n;
  }
}

const pools = new WeakMap<Services, RenderPool>();

/** This process's render pool (no thread starts until the first file is asked for). */
export function renderPool(s: Services): RenderPool {
  let p = pools.get(s);
  if (!p) {
    p = new RenderPool({ threads: s.config.RENDER_THREADS, maxQueue: s.config.RENDER_QUEUE_MAX });
    pools.set(s, p);
  }
  return p;
}

export async function closeRenderPool(s: Services): Promise<void> {
  const p = pools.get(s);
  pools.delete(s);
  await p?.close();
}
