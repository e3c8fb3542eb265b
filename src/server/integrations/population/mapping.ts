// The app's shapes to and from the population database's messages (messages.ts). Pure.
import { fromCompactLocal } from '../local-time.ts';
import type { GiveBackRequest, GiveBackResponse, VerifyRequest, VerifyResponse } from './messages.ts';
import type { DeliveryResult, EducationRecord, IdentityCheckResult, IdentityToVerify } from './population.ts';

export function toVerifyRequest(i: IdentityToVerify): VerifyRequest {
  return { SoDinhDanh: i.personalNumber, HoVaTen: i.fullName.normalize('NFC').trim(), NgayThangNamSinh: i.dateOfBirth.replaceAll('-', '') };
}

const FIELD = { HoVaTen: 'fullName', NgayThangNamSinh: 'dateOfBirth' } as const;
/** 20080314 → 2008-03-14; a year stays a year */
const isoDate = (s: string) => (s.length === 8 ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}` : s);

export function fromVerifyResponse(r: VerifyResponse, received: Date): IdentityCheckResult {
  const outcome = r.KetQua === 'KHOP' ? 'match' : r.KetQua === 'KHONG_KHOP' ? 'mismatch' : 'not_found';
  return {
    outcome,
    mismatches: r.SaiLech.map((m) => {
      const field = FIELD[m.TruongDuLieu];
      const conv = field === 'dateOfBirth' ? isoDate : (s: string) => s.normalize('NFC');
      return { field, sent: conv(m.GiaTriYeuCau), registered: conv(m.GiaTriCSDL) };
    }),
    permanentResidence: r.ThuongTru ? { provinceCode: r.ThuongTru.MaTinh, communeCode: r.ThuongTru.MaXa } : null,
    checkedAt: (fromCompactLocal(r.ThoiDiem) ?? received).toISOString(),
  };
}

export function toGiveBackRequest(e: EducationRecord): GiveBackRequest {
  return {
    SoDinhDanh: e.personalNumber,
    NamHoc: e.schoolYear,
    KyThi: { Nam: e.examYear, MaHoSo: e.dossierCode, MaDiemDangKy: e.point.code, TenDiemDangKy: e.point.name, DoiTuong: e.candidateType === 'current' ? 'DANG_HOC_LOP_12' : 'TU_DO' },
    TruongHoc: e.school ? { MaTinh: e.school.provinceCode, MaTruong: e.school.schoolCode, TenTruong: e.school.name, Lop: e.school.className } : null,
    PhienBan: e.version,
  };
}

export function fromDeliveryResponse(r: GiveBackResponse): DeliveryResult {
  return { outcome: r.KetQua === 'DA_CAP_NHAT' ? 'applied' : r.KetQua === 'TRUNG_LAP' ? 'duplicate' : 'stale', currentVersion: r.PhienBanHienTai };
}
