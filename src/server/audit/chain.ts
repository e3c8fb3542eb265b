// The audit log's hash chain (migration 012 builds it on insert): checking it end to end, and its anchor,
// the chain's head (seq, hash, time) written to a file an operator keeps outside the database. A later
// check against a kept anchor shows the chain was not rewritten from the start.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

export const GENESIS = '0'.repeat(64);
const FIELDS = ['id', 'at', 'actor_id', 'actor_role', 'action', 'target_type', 'target_id', 'department_code', 'ip', 'details'] as const;
type Row = Record<(typeof FIELDS)[number], string | null> & { seq: string | number | null; prev_hash: string | null; hash: string | null };

/** SHA-256 (hex) of an entry's canonical form: prev|seq|f(field)… with f = '~' for NULL, else hex of UTF-8. */
export function entryHash(prev: string, seq: number, r: Record<string, unknown>): string {
  const f = (v: unknown) => (v === null || v === undefined ? '~' : Buffer.from(String(v), 'utf8').toString('hex'));
  return createHash('sha256')
    .update([prev, String(seq), ...FIELDS.map((c) => f(r[c]))].join('|'), 'utf8')
    .digest('hex');
}

export interface Anchor {
  seq: number;
  hash: string;
  /** time of the head entry */
  at: string | null;
  /** when the anchor was taken */
  takenAt: string;
}

export type VerifyResult =
  | { ok: true; entries: number; head: { seq: number; hash: string } }
  | { ok: false; entries: number; firstBad: { seq: number | null; id: string | null; reason: string } };

const PAGE = 5000;

/**
 * Walks the whole chain in seq order: each entry's seq follows the one before, its prev_hash is that
 * entry's hash and its hash is its own fields' hash. Then the head row must be the last entry, and every
 * anchor given must match the entry at its seq. Names the first entry that does not hold.
 */
export async function verifyChain(db: Kysely<DB>, anchors: Anchor[] = []): Promise<VerifyResult> {
  let prev = GENESIS;
  let expected = 1;
  let entries = 0;
  const bySeq = new Map(anchors.map((a) => [a.seq, a]));
  const bad = (seq: number | null, id: string | null, reason: string): VerifyResult => ({ ok: false, entries, firstBad: { seq, id, reason } });
  for (;;) {
    const rows = (await db
      .selectFrom('audit_log')
      .select(['id', 'at', 'actor_id', 'actor_role', 'action', 'target_type', 'target_id', 'department_code', 'ip', 'details', 'seq', 'prev_hash', 'hash'])
      .where('seq', '>=', expected as never)
      .orderBy('seq')
      .limit(PAGE)
      .execute()) as Row[];
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expected) return bad(expected, null, `entry ${expected} is missing (next is ${seq}): deleted or reordered`);
      if (r.prev_hash !== prev) return bad(seq, r.id, `entry ${seq} does not follow entry ${seq - 1} (prev_hash differs): an entry before it was edited, deleted or moved`);
      const h = entryHash(prev, seq, r);
      if (r.hash !== h) return bad(seq, r.id, `entry ${seq} was edited (its hash does not match its fields)`);
      const a = bySeq.get(seq);
      if (a && a.hash !== h) return bad(seq, r.id, `entry ${seq} differs from the anchor taken at ${a.takenAt}: the chain was rewritten`);
      prev = h;
      expected++;
      entries++;
    }
    if (rows.length < PAGE) break;
  }
  const unchained = await db.selectFrom('audit_log').select('id').where('seq', 'is', null).limit(1).executeTakeFirst();
  if (unchained) return bad(null, unchained.id, `entry ${unchained.id} is outside the chain (no seq)`);
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  if (!head) return bad(null, null, 'the chain head (audit_head) is missing');
  if (Number(head.seq) !== entries || head.hash !== prev) {
    return bad(entries + 1, null, `the chain ends at entry ${entries} but its head says ${head.seq}: entries at the end were deleted`);
  }
  for (const a of anchors) {
    if (a.seq > entries) return bad(a.seq, null, `the anchor taken at ${a.takenAt} names entry ${a.seq}, beyond the chain's end (${entries}): entries were deleted`);
  }
  return { ok: true, entries, head: { seq: entries, hash: prev } };
}

/** The chain's head now. */
export async function currentAnchor(db: Kysely<DB>, now: Date): Promise<Anchor> {
  const head = await db.selectFrom('audit_head').select(['seq', 'hash', 'at']).where('id', '=', 1).executeTakeFirstOrThrow();
  return { seq: Number(head.seq), hash: head.hash, at: head.at, takenAt: now.toISOString() };
}

/** Appends the anchor as one JSON line to `<dir>/audit-anchors.jsonl` (kept by the operator, copied off the machine). */
export async function exportAnchor(db: Kysely<DB>, dir: string, now: Date): Promise<{ file: string; anchor: Anchor }> {
  const anchor = await currentAnchor(db, now);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'audit-anchors.jsonl');
  const fd = fs.openSync(file, 'a', 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(anchor) + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return { file, anchor };
}

export function readAnchors(file: string): Anchor[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Anchor);
}
