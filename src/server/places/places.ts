// Places by name: the 2025 provinces and communes (reference/communes-2025.json, provinces-2025.json),
// the schools each department imports, and the priority-area lookup built from them for the rules.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { getReference } from '../reference/reference.repository.ts';
import type { Ctx } from '../context.ts';
import { authorize } from '../policy/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { foldName } from '../../domain/places.ts';
import { AREAS, type Area, type AreaLookup } from '../../domain/priority-area.ts';
import { error, type Finding } from '../../domain/messages.ts';
import { allSchools, schoolsInProvince, schoolsVersion, upsertSchools, type SchoolRow } from './schools.repository.ts';
import type { Cell } from '../accounts/class-list-file.ts';

interface ProvincesFile {
  provinces: Array<{ statsCode: string; name: string; formerProvinces: Array<{ name: string; examCode: string }> }>;
}
interface CommunesFile {
  communes: Array<{ code: string; name: string; provinceCode: string }>;
}

export async function provinces(db: Kysely<DB>) {
  const f = await getReference<ProvincesFile>(db, 'provinces-2025');
  return f.provinces.map((p) => ({ code: p.statsCode, name: p.name, formerProvinces: p.formerProvinces }));
}

let byProvince: Map<string, Array<{ code: string; name: string }>> | undefined;
export async function communesOf(db: Kysely<DB>, provinceCode: string) {
  if (!byProvince) {
    const f = await getReference<CommunesFile>(db, 'communes-2025');
    const m = new Map<string, Array<{ code: string; name: string }>>();
    for (const c of f.communes) m.set(c.provinceCode, [...(m.get(c.provinceCode) ?? []), { code: c.code, name: c.name }]);
    for (const list of m.values()) list.sort((a, b) => a.name.localeCompare(b.name, 'vi'));
    byProvince = m;
  }
  return byProvince.get(provinceCode) ?? [];
}

/** Today's province of each exam department code (a merged province covers its old codes). */
async function provinceOfDepartment(db: Kysely<DB>): Promise<Map<string, { code: string; formerName: string; name: string }>> {
  const m = new Map<string, { code: string; formerName: string; name: string }>();
  for (const p of await provinces(db)) for (const f of p.formerProvinces) m.set(f.examCode, { code: p.code, formerName: f.name, name: p.name });
  return m;
}

export async function schoolsOf(db: Kysely<DB>, provinceCode: string) {
  const rows = await schoolsInProvince(db, provinceCode);
  const deps = await provinceOfDepartment(db);
  return rows.map((r) => {
    const d = deps.get(r.department_code);
    return {
      departmentCode: r.department_code,
      code: r.code,
      name: r.name,
      provinceCode: r.province_code,
      communeCode: r.commune_code,
      area: r.area,
      residenceBased: r.residence_based === 1,
      formerProvince: d && d.formerName !== d.name ? d.formerName : null,
    };
  });
}

// ---- import ----

const HEADERS = { code: ['ma_truong', 'ma truong', 'code'], name: ['ten_truong', 'ten truong', 'name'], commune: ['ma_xa', 'ma xa', 'commune'], area: ['khu_vuc', 'khu vuc', 'area'], boarding: ['noi_tru', 'noi tru', 'boarding'] };

export interface SchoolImportReport {
  departmentCode: string;
  imported: number;
  errors: number;
  rows: Array<{ row: number; code: string; name: string; findings: Finding[] }>;
}

/** Checks every row of a school list and stores the good ones; the report names each row's problems. */
export async function importSchools(ctx: Ctx, departmentCode: string, rows: Cell[][]): Promise<SchoolImportReport> {
  const unit = await ctx.db.read.selectFrom('org_units').select(['id']).where('kind', '=', 'department').where('code', '=', departmentCode).executeTakeFirst();
  authorize(ctx.actor, 'org.manage', { type: 'org', orgUnitId: unit?.id ?? `department:${departmentCode}`, orgKind: 'department', departmentCode });
  const dep = (await provinceOfDepartment(ctx.db.read)).get(departmentCode);
  const header = (rows[0] ?? []).map((h) => foldName(h).replace(/ /g, '_'));
  const col = (names: string[]) => header.findIndex((h) => names.map((n) => n.replace(/ /g, '_')).includes(h));
  const ix = { code: col(HEADERS.code), name: col(HEADERS.name), commune: col(HEADERS.commune), area: col(HEADERS.area), boarding: col(HEADERS.boarding) };
  const report: SchoolImportReport = { departmentCode, imported: 0, errors: 0, rows: [] };
  if (ix.code < 0 || ix.name < 0 || ix.area < 0) {
    report.errors = 1;
    report.rows.push({
      row: 1,
      code: '',
      name: '',
      findings: [error('SCHOOL_HEADER', 'file', 'Dòng đầu phải có các cột ma_truong, ten_truong, khu_vuc (và ma_xa, noi_tru nếu có).', 'The first row must name the columns ma_truong, ten_truong, khu_vuc (and ma_xa, noi_tru if any).')],
    });
    return report;
  }
  if (!dep) {
    report.errors = 1;
    report.rows.push({ row: 1, code: '', name: '', findings: [error('DEPARTMENT_UNKNOWN', 'departmentCode', `Không có sở mã ${departmentCode}.`, `There is no department ${departmentCode}.`)] });
    return report;
  }
  const communes = new Set((await communesOf(ctx.db.read, dep.code)).map((c) => c.code));
  const good: SchoolRow[] = [];
  const seen = new Set<string>();
  const at = ctx.now.toISOString();
  rows.slice(1).forEach((cells, i) => {
    const row = i + 2;
    const cell = (k: keyof typeof ix) => (ix[k] >= 0 ? (cells[ix[k]] ?? '').trim() : '');
    if (cells.every((c) => c.trim() === '')) return;
    const code = cell('code').toUpperCase();
    const name = cell('name').replace(/\s+/g, ' ');
    const commune = cell('commune');
    const area = cell('area').toUpperCase().replace(/\s+/g, '').replace('KV2NT', 'KV2-NT');
    const boarding = ['x', '1', 'co', 'yes', 'true'].includes(foldName(cell('boarding')));
    const f: Finding[] = [];
    if (!/^[0-9A-Z]{2,6}$/.test(code)) f.push(error('SCHOOL_CODE', 'ma_truong', 'Mã trường gồm 2 đến 6 chữ số hoặc chữ in hoa.', 'A school code has 2 to 6 digits or capital letters.'));
    else if (seen.has(code)) f.push(error('SCHOOL_DUPLICATE', 'ma_truong', `Mã trường ${code} đã có ở dòng trên.`, `School code ${code} appears on an earlier row.`));
    if (name.length < 3 || name.length > 200) f.push(error('SCHOOL_NAME', 'ten_truong', 'Thiếu tên trường.', 'The school name is missing.'));
    else if (name === foldName(name) || foldName(name) === name.toLowerCase()) {
      f.push(error('SCHOOL_NAME_NO_DIACRITICS', 'ten_truong', 'Tên trường phải viết có dấu.', 'The school name must be written with diacritics.'));
    }
    if (commune !== '' && !communes.has(commune.padStart(5, '0'))) f.push(error('SCHOOL_COMMUNE', 'ma_xa', `Mã xã ${commune} không thuộc ${dep.name}.`, `Commune ${commune} is not in ${dep.name}.`));
    if (!(AREAS as readonly string[]).includes(area)) f.push(error('SCHOOL_AREA', 'khu_vuc', 'Khu vực phải là KV1, KV2-NT, KV2 hoặc KV3.', 'The area must be KV1, KV2-NT, KV2 or KV3.'));
    if (code) seen.add(code);
    report.rows.push({ row, code, name, findings: f });
    if (f.length > 0) {
      report.errors++;
      return;
    }
    good.push({
      department_code: departmentCode,
      code,
      name,
      name_folded: foldName(name),
      province_code: dep.code,
      commune_code: commune === '' ? null : commune.padStart(5, '0'),
      area: area as Area,
      residence_based: boarding ? 1 : 0,
      updated_at: at,
    });
  });
  await ctx.db.write(async (trx) => {
    await upsertSchools(trx, good);
    await appendAudit(trx, { action: 'schools.imported', actor: ctx.actor, targetType: 'department', targetId: departmentCode, departmentCode, ip: ctx.ip, details: { imported: good.length, errors: report.errors } }, ctx.now);
  });
  report.imported = good.length;
  clearSchoolLookupCache();
  return report;
}

// ---- the priority-area lookup the rules use ----

let lookupCache: { at: number; version: string; lookup: AreaLookup & { knows: (dep: string) => boolean } } | undefined;
const LOOKUP_TTL_MS = 30_000;

/**
 * The schools as an AreaLookup, refreshed at most every 30 s per process, with its version (a change makes
 * stored verdicts stale). Communes carry no area in the data yet: residence-based rules see none.
 */
export async function schoolAreaLookup(db: Kysely<DB>, now = Date.now()): Promise<{ version: string; lookup: AreaLookup & { knows: (dep: string) => boolean } }> {
  if (lookupCache && now - lookupCache.at < LOOKUP_TTL_MS) return lookupCache;
  const version = await schoolsVersion(db);
  if (lookupCache && lookupCache.version === version) {
    lookupCache.at = now;
    return lookupCache;
  }
  const rows = await allSchools(db);
  const map = new Map(rows.map((r) => [`${r.department_code}:${r.code}`, { area: r.area, residenceBased: r.residence_based === 1 }]));
  const deps = new Set(rows.map((r) => r.department_code));
  const lookup = {
    communeArea: () => undefined,
    school: (p: string, s: string) => map.get(`${p}:${s}`),
    isDisadvantagedCommune: () => false,
    knows: (dep: string) => deps.has(dep),
    knowsSchoolsOf: (dep: string) => deps.has(dep),
    communeAreasKnown: false,
  };
  lookupCache = { at: now, version, lookup };
  return lookupCache;
}

export function clearSchoolLookupCache(): void {
  lookupCache = undefined;
}
