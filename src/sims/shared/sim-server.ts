// What every simulator of a national link shares: its command line (--port 0, --data-dir, --seed), the
// ready line a parent process reads (one JSON line with the base URL), the control API that makes it
// fail, slow down or vanish for a while (POST /__control), and a graceful stop on SIGTERM.
import http from 'node:http';
import fs from 'node:fs';
import { z } from 'zod';

export const controlBody = z
  .object({
    mode: z.enum(['ok', 'fail', 'slow', 'down']),
    /** how long the mode lasts; then the simulator is back to 'ok'. Without it the mode stays. */
    forMs: z.number().int().min(1).max(3_600_000).optional(),
    /** for 'slow': how long each answer waits (default 2,000 ms) */
    delayMs: z.number().int().min(0).max(600_000).optional(),
  })
  .strict();
export type ControlCommand = z.infer<typeof controlBody>;

export const controlState = z.object({ mode: z.enum(['ok', 'fail', 'slow', 'down']), until: z.string().nullable(), delayMs: z.number().int() });
export type ControlState = z.infer<typeof controlState>;

/** The fault a simulator is told to show; it lapses back to 'ok' after `forMs`. */
export class FaultControl {
  private mode: ControlCommand['mode'] = 'ok';
  private until: number | null = null;
  private delayMs = 2000;

  constructor(private readonly now: () => number = Date.now) {}

  set(cmd: ControlCommand): ControlState {
    this.mode = cmd.mode;
    this.until = cmd.forMs !== undefined && cmd.mode !== 'ok' ? this.now() + cmd.forMs : null;
    if (cmd.delayMs !== undefined) this.delayMs = cmd.delayMs;
    return this.state();
  }

  state(): ControlState {
    if (this.until !== null && this.now() >= this.until) {
      this.mode = 'ok';
      this.until = null;
    }
    return { mode: this.mode, until: this.until === null ? null : new Date(this.until).toISOString(), delayMs: this.delayMs };
  }
}

export interface SimArgs {
  port: number;
  host: string;
  dataDir: string;
  seed: number;
  /** every other --name value pair, for the simulator's own options */
  extra: Record<string, string>;
}

/** `--port 0 --data-dir /tmp/x --seed 1 --other value`. */
export function parseSimArgs(argv: string[]): SimArgs {
  const a: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    if (!k.startsWith('--')) throw new Error(`unexpected argument ${k}`);
    const eq = k.indexOf('=');
    if (eq > 0) a[k.slice(2, eq)] = k.slice(eq + 1);
    else a[k.slice(2)] = argv[++i] ?? '';
  }
  const { port = '0', host = '127.0.0.1', 'data-dir': dataDir, seed = '1', ...extra } = a;
  if (!dataDir) throw new Error('--data-dir <folder> is required');
  fs.mkdirSync(dataDir, { recursive: true });
  return { port: Number(port), host, dataDir, seed: Number(seed), extra };
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

export async function readBody(req: http.IncomingMessage, limit = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) throw new HttpError(413, { error: 'payload too large' });
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A JSON body checked against a schema: a 400 naming the fields otherwise. */
export async function readJson<T>(req: http.IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  let raw: unknown;
  try {
    raw = JSON.parse((await readBody(req)) || 'null');
  } catch {
    throw new HttpError(400, { error: 'invalid JSON' });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new HttpError(400, { error: 'invalid request', issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  return parsed.data;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

export function sendHtml(res: http.ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'self'; style-src 'unsafe-inline'; form-action 'self' http://127.0.0.1:* http://localhost:*",
  });
  res.end(html);
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The bearer key a link's client must send, when the simulator was started with --api-key. */
export function checkApiKey(req: http.IncomingMessage, key: string | undefined): void {
  if (!key) return;
  if (req.headers.authorization !== `Bearer ${key}`) throw new HttpError(401, { error: 'unauthorized' });
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<void>;

export interface SimDefinition {
  name: string;
  /** the simulator's own routes; /__control is handled before it, faults are applied around it */
  handler: Handler;
  /** test-only routes (seed look-ups, what was received): never slowed or failed */
  controlRoutes?: Handler;
  onClose?: () => Promise<void> | void;
}

/** Starts a simulator, prints its ready line and stops it cleanly on SIGTERM/SIGINT. */
export async function runSim(args: SimArgs, build: (baseUrl: string) => Promise<SimDefinition>): Promise<void> {
  const faults = new FaultControl();
  let def: SimDefinition | undefined = undefined; // set once listening: requests before that get 503
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
      try {
        if (!def) throw new HttpError(503, { error: 'starting' });
        if (url.pathname === '/__control') {
          if (req.method === 'POST') return sendJson(res, 200, faults.set(await readJson(req, controlBody)));
          return sendJson(res, 200, faults.state());
        }
        if (url.pathname.startsWith('/__') && def.controlRoutes) return await def.controlRoutes(req, res, url);
        const st = faults.state();
        if (st.mode === 'down') {
          // vanish: the connection closes without an answer, as a dead host or a dropped route would
          req.socket.destroy();
          return;
        }
        if (st.mode === 'fail') return sendJson(res, 503, { error: 'simulated failure', MaLoi: 'HE_THONG_BAN' });
        if (st.mode === 'slow') await new Promise((r) => setTimeout(r, st.delayMs));
        await def.handler(req, res, url);
      } catch (e) {
        if (res.headersSent) return res.destroy();
        if (e instanceof HttpError) return sendJson(res, e.status, e.body);
        process.stderr.write(`[${def?.name ?? 'sim'}] ${(e as Error).stack ?? String(e)}\n`);
        sendJson(res, 500, { error: 'internal error' });
      }
    })();
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(args.port, args.host, resolve));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  const baseUrl = `http://${args.host}:${addr.port}`;
  def = await build(baseUrl);
  process.stdout.write(JSON.stringify({ ready: true, sim: def.name, url: baseUrl, pid: process.pid }) + '\n');

  let stopping = false;
  const stop = async () => {
    if (stopping) process.exit(1);
    stopping = true;
    server.close();
    server.closeAllConnections();
    await def?.onClose?.();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  if (args.extra['exit-with-stdin']) {
    // the parent holds our stdin open: when it ends, the parent is gone
    process.stdin.on('end', () => void stop());
    process.stdin.on('error', () => void stop());
    process.stdin.resume();
  }
}

/** Runs main, printing a start-up failure plainly with a non-zero exit. */
export function startMain(main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    process.stderr.write(`simulator failed to start: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
