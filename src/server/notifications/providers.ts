// Where messages go. A provider sends one message (e-mail or SMS) and resolves only when the gateway
// accepted it; it must honour `signal` (the worker aborts a send that hangs) and should pass
// `message.id` to the gateway as its idempotency key, so a retry after an unclear timeout is not a
// second message to the person. `file` (the default) appends to DATA_DIR/outbox.log so a newcomer can
// read what would have been sent; `none` drops everything.
import fs from 'node:fs';
import path from 'node:path';

/** One message to one address. `id` is stable across retries: a gateway that takes an idempotency key gets it. */
export interface OutgoingMessage {
  id: string;
  kind: string;
  channel: 'email' | 'sms';
  address: string;
  subject: string;
  text: string;
}

export interface NotificationProvider {
  readonly name: string;
  send(message: OutgoingMessage, opts: { signal: AbortSignal }): Promise<void>;
}

export class NoneProvider implements NotificationProvider {
  readonly name = 'none';
  async send(): Promise<void> {}
}

/** Appends one JSON line per message; skips an id it already wrote in this process (a late retry). */
export class FileProvider implements NotificationProvider {
  readonly name = 'file';
  private readonly written = new Set<string>();
  constructor(private readonly file: string) {}

  async send(m: OutgoingMessage, opts: { signal: AbortSignal }): Promise<void> {
    opts.signal.throwIfAborted();
    if (this.written.has(m.id)) return;
    const line = JSON.stringify({ at: new Date().toISOString(), id: m.id, kind: m.kind, channel: m.channel, to: m.address, subject: m.subject, text: m.text }) + '\n';
    try {
      await fs.promises.appendFile(this.file, line, { encoding: 'utf8', mode: 0o600 });
    } catch (e) {
      // the folder is made when it is missing (first message, or DATA_DIR emptied since), then once more
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      await fs.promises.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      await fs.promises.appendFile(this.file, line, { encoding: 'utf8', mode: 0o600 });
    }
    this.written.add(m.id);
    if (this.written.size > 100_000) this.written.clear();
  }
}

export function providerFor(kind: 'file' | 'none', dataDir: string): NotificationProvider {
  return kind === 'none' ? new NoneProvider() : new FileProvider(path.join(dataDir, 'outbox.log'));
}
