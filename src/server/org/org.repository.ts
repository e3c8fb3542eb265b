// The organisation tree: ministry → province departments → registration points.
import type { Kysely } from 'kysely';
import type { DB, OrgUnitTable } from '../db/schema.ts';

export type OrgUnit = {
  id: string;
  kind: OrgUnitTable['kind'];
  code: string;
  name: string;
  parentId: string | null;
  departmentCode: string | null;
  pointKind: OrgUnitTable['point_kind'];
  active: boolean;
};

function toDomain(r: OrgUnitTable): OrgUnit {
  return {
    id: r.id,
    kind: r.kind,
    code: r.code,
    name: r.name,
    parentId: r.parent_id,
    departmentCode: r.department_code,
    pointKind: r.point_kind,
    active: r.active === 1,
  };
}

/** Ids are derived from codes (org-BGD, org-01, org-01001) so the seed and the demo agree on them. */
export const orgIdForCode = (code: string): string => `org-${code}`;

export async function findOrgUnit(db: Kysely<DB>, id: string): Promise<OrgUnit | undefined> {
  const r = await db.selectFrom('org_units').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toDomain(r) : undefined;
}

// A unit's kind and place in the tree, read on every request of a point's list, change only by the
// ministry's configuration: a second's staleness across processes is harmless (as for the exam year).
const UNIT_TTL_MS = 1000;
const unitCache = new WeakMap<Kysely<DB>, Map<string, { at: number; unit: OrgUnit }>>();

/** findOrgUnit, answered from the last second's reads (units found only; a miss is asked again). */
export async function findOrgUnitCached(db: Kysely<DB>, id: string): Promise<OrgUnit | undefined> {
  let byId = unitCache.get(db);
  if (!byId) unitCache.set(db, (byId = new Map()));
  const now = Date.now();
  const hit = byId.get(id);
  if (hit && now - hit.at < UNIT_TTL_MS) return hit.unit;
  const unit = await findOrgUnit(db, id);
  if (byId.size >= 20_000) byId.clear();
  if (unit) byId.set(id, { at: now, unit });
  return unit;
}

export async function listChildren(db: Kysely<DB>, parentId: string): Promise<OrgUnit[]> {
  const rows = await db.selectFrom('org_units').selectAll().where('parent_id', '=', parentId).orderBy('code').execute();
  return rows.map(toDomain);
}

export async function countOrgUnits(db: Kysely<DB>): Promise<number> {
  const r = await db.selectFrom('org_units').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface NewOrgUnit {
  kind: OrgUnitTable['kind'];
  code: string;
  name: string;
  parentId: string | null;
  departmentCode: string | null;
  pointKind?: OrgUnitTable['point_kind'];
  address?: string | null;
}

export async function insertOrgUnits(db: Kysely<DB>, units: NewOrgUnit[], now: Date): Promise<void> {
  if (units.length === 0) return;
  const ts = now.toISOString();
  await db
    .insertInto('org_units')
    .values(
      units.map((u) => ({
        id: orgIdForCode(u.code),
        kind: u.kind,
        code: u.code,
        name: u.name,
        parent_id: u.parentId,
        department_code: u.departmentCode,
        point_kind: u.pointKind ?? null,
        address: u.address ?? null,
        active: 1,
        created_at: ts,
        updated_at: ts,
      })),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}
