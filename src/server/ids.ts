// Record ids: UUIDv7 (time-ordered, so new rows land at the end of an index) as text on both databases.
import { randomBytes } from 'node:crypto';

let lastMs = 0;
let seq = 0;

// Random bytes are drawn 4 KiB at a time: one system call per 256 ids instead of one or two per id.
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = POOL_BYTES;

function random16(): Buffer {
  if (offset + 16 > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const b = Buffer.allocUnsafe(16);
  pool.copy(b, 0, offset, offset + 16);
  offset += 16;
  return b;
}

export function newId(): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    // same millisecond (or the clock stepped back): keep ids increasing within this process
    ms = lastMs;
    seq = (seq + 1) & 0xfff;
    if (seq === 0) ms = ++lastMs;
  }
  const b = random16();
  if (ms > lastMs) seq = b.readUInt16BE(14) & 0x7ff; // a fresh millisecond starts at a random sequence
  lastMs = ms;
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | (seq >> 8);
  b[7] = seq & 0xff;
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
