// The VNeID claims as the national portal's sign-in hands them to a service (DOMAIN.md, "National links"):
// personal number, full name, date of birth yyyyMMdd, gender, ethnicity, permanent and current residence,
// the identity's assurance level (1: self-made from a CCCD; 2: verified by the police) and the provider.
import type { Citizen, Residence } from '../shared/citizens.ts';

export const VNEID_CLAIMS = [
  'SoDinhDanh',
  'HoVaTen',
  'NgayThangNamSinh',
  'GioiTinh',
  'DanToc',
  'ThuongTru',
  'NoiOHienNay',
  'MucDoDinhDanh',
  'NhaCungCapDinhDanh',
] as const;
export type VneidClaimName = (typeof VNEID_CLAIMS)[number];

const residence = (r: Residence | null) => (r ? { MaTinh: r.provinceCode, MaXa: r.communeCode, ChiTiet: r.address } : undefined);

export function claimsOf(c: Citizen, level: 1 | 2, omit: readonly string[] = []): Record<string, unknown> {
  const all: Record<string, unknown> = {
    SoDinhDanh: c.personalNumber,
    HoVaTen: c.fullName,
    NgayThangNamSinh: c.dateOfBirth.replaceAll('-', ''),
    GioiTinh: c.gender === 'M' ? 'Nam' : 'Nữ',
    DanToc: c.ethnicityCode,
    ThuongTru: residence(c.permanentResidence),
    NoiOHienNay: residence(c.currentResidence),
    MucDoDinhDanh: String(level),
    NhaCungCapDinhDanh: 'VNeID',
  };
  for (const k of omit) delete all[k];
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined));
}
