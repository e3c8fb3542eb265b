// The demo's schools (what a department would import), so the pickers and the priority area work in
// the demo. The two Hà Nội schools and the TP.HCM one are the demo's registration points (their point
// codes end in the school code). Areas are illustrative, not an official classification.
import { foldName } from '../../domain/places.ts';
import type { SchoolRow } from './schools.repository.ts';

const rows: Array<[dep: string, code: string, name: string, province: string, commune: string | null, area: SchoolRow['area'], boarding?: boolean]> = [
  ['01', '001', 'Trường THPT Chu Văn An', '01', '00103', 'KV3'],
  ['01', '002', 'Trường THPT Việt Đức', '01', '00070', 'KV3'],
  ['01', '003', 'Trường THPT Ba Vì', '01', '09700', 'KV2-NT'],
  ['01', '004', 'Trường THPT Phan Đình Phùng', '01', '00004', 'KV3'],
  ['01', '005', 'Trường Phổ thông Dân tộc nội trú Hà Nội', '01', '09700', 'KV2-NT', true],
  ['02', '001', 'Trường THPT chuyên Lê Hồng Phong', '79', '27301', 'KV3'],
  // Hà Giang (exam code 05) merged into Tuyên Quang (08): its schools keep their old code
  ['05', '001', 'Trường THPT chuyên Hà Giang', '08', '00694', 'KV1'],
  ['09', '001', 'Trường THPT chuyên Tuyên Quang', '08', '02215', 'KV1'],
];

export function demoSchools(now: Date): SchoolRow[] {
  return rows.map(([dep, code, name, province, commune, area, boarding]) => ({
    department_code: dep,
    code,
    name,
    name_folded: foldName(name),
    province_code: province,
    commune_code: commune,
    area,
    residence_based: boarding ? 1 : 0,
    updated_at: now.toISOString(),
  }));
}
