// How every dossier change reaches the database: its compare-and-set, its history entry, what the command
// adds (the Idempotency-Key's record, an audit entry, the corrected name) and what the listeners answer
// (jobs, counters), as ONE write unit. Also the per-process reservation of dossier-code serials.
import type { Db } from '../db/create-db.ts';
import type { UnitPart } from '../db/write-unit.ts';
import { dossierCode } from '../../domain/dossier-code.ts';
import { effectsOf, type DossierListeners } from './listeners.ts';
import { eventPart, reserveCodeSerials, type NewDossierEvent } from './dossier.repository.ts';
import type { DossierChange, DossierSnapshot, StoredDossier } from './model.ts';

/** What the dossier module's commands need besides the request's context. */
export interface DossierDeps {
  readonly listeners: DossierListeners;
  /** uploaded photos and documents live under DATA_DIR/uploads */
  readonly dataDir: string;
  readonly codes: CodeAllocator;
}

export function snapshotOf(d: Pick<StoredDossier, 'id' | 'code' | 'candidateId' | 'examYear' | 'isTrial' | 'status' | 'version' | 'pointId' | 'departmentCode' | 'channel' | 'filters' | 'submittedAt'>): DossierSnapshot {
  return {
    id: d.id,
    code: d.code,
    candidateId: d.candidateId,
    examYear: d.examYear,
    isTrial: d.isTrial,
    status: d.status,
    version: d.version,
    pointId: d.pointId,
    departmentCode: d.departmentCode,
    channel: d.channel,
    subjectsCombo: d.filters.subjectsCombo,
    purpose: d.filters.purpose,
    candidateType: d.filters.candidateType,
    flags: {
      cccdMismatch: d.filters.cccdMismatch,
      photoMissing: d.filters.photoMissing,
      exemptionClaimed: d.filters.exemptionClaimed,
      priorityClaimed: d.filters.priorityClaimed,
    },
    submittedAt: d.submittedAt,
  };
}

export interface Change {
  /** the compare-and-set (or the insert of a new dossier): everything else is written only if it changed the row */
  primary: UnitPart<any>;
  event: NewDossierEvent;
  /** the command's own parts (key record, audit entry, candidate name, upload rows) */
  parts?: ReadonlyArray<UnitPart<any>>;
  before: DossierSnapshot | null;
  after: DossierSnapshot;
  change: DossierChange;
}

/** Writes a change as one unit: true when it was written, false when the primary found the dossier moved. */
export function commit(db: Db, deps: Pick<DossierDeps, 'listeners'>, c: Change): Promise<boolean> {
  const effects = effectsOf(deps.listeners, c.before, c.after, c.change);
  return db.apply({ primary: c.primary, then: [eventPart(c.event), ...(c.parts ?? []), ...effects.parts], atCommit: effects.atCommit });
}

/**
 * Dossier-code serials, reserved from the database in blocks per department, year and kind, so a first
 * save costs no extra round trip in the common case. A block a process dies with leaves a gap, never a
 * duplicate. Codes are handed out in the order first saves reach this process.
 */
export class CodeAllocator {
  private readonly blocks = new Map<string, { next: number; end: number }>();
  private readonly pending = new Map<string, Promise<void>>();
  constructor(private readonly blockSize = 50) {}

  async next(db: Db, departmentCode: string, examYear: number, isTrial: boolean): Promise<string> {
    const key = `${departmentCode}:${examYear}:${isTrial ? 1 : 0}`;
    for (;;) {
      const b = this.blocks.get(key);
      if (b && b.next < b.end) return dossierCode(departmentCode, examYear, b.next++, isTrial);
      // one reservation at a time per key: the others wait for it rather than reserving blocks of their own
      let p = this.pending.get(key);
      if (!p) {
        p = db
          .write((trx) => reserveCodeSerials(trx, departmentCode, examYear, isTrial, this.blockSize))
          .then((first) => {
            this.blocks.set(key, { next: first, end: first + this.blockSize });
          })
          .finally(() => this.pending.delete(key));
        this.pending.set(key, p);
      }
      await p;
    }
  }
}
