// The app's shapes to and from the portal's messages (messages.ts). Pure: the status map comes in.
import { compactLocal, fromCompactLocal } from '../local-time.ts';
import type { DossierUpsert, LookUpResponse, ProgressUpdate, SyncResponse } from './messages.ts';
import type { PortalDossier, PortalLookUp, PortalProgress, SyncResult } from './portal.ts';
import { portalCodeFor, type PortalStatusMap } from './status-map.ts';

const compact = (iso: string | null) => (iso ? compactLocal(new Date(iso)) : null);

/** The upsert message, or null when the status is not pushed (a draft). */
export function toUpsertMessage(d: PortalDossier, map: PortalStatusMap): DossierUpsert | null {
  const code = portalCodeFor(map, d.status);
  if (code === null) return null;
  return {
    MaHoSo: d.code,
    PhienBan: d.version,
    MaTTHC: map.procedureCodes[d.procedure],
    ChuHoSo: d.holderName.normalize('NFC'),
    Email: d.email,
    SoDienThoai: d.phone,
    TrichYeuHoSo: d.summary.normalize('NFC'),
    NgayTiepNhan: compact(d.receivedAt)!,
    NgayHenTra: compact(d.dueAt),
    TrangThaiHoSo: code,
    NgayTra: compact(d.finishedAt),
    DonViXuLy: d.office.normalize('NFC'),
  };
}

export function toProgressMessage(p: PortalProgress, map: PortalStatusMap): ProgressUpdate | null {
  const code = portalCodeFor(map, p.status);
  if (code === null) return null;
  return {
    MaHoSo: p.code,
    PhienBan: p.version,
    NguoiXuLy: p.by.normalize('NFC'),
    ThoiDiemXuLy: compactLocal(new Date(p.at)),
    NoiDungXuLy: (p.note ?? map.progressText[p.status] ?? map.portalStatuses[String(code)] ?? '').normalize('NFC'),
    TrangThai: code,
  };
}

export function fromSyncResponse(r: SyncResponse, statusCode: number): SyncResult {
  return { outcome: r.KetQua === 'DA_CAP_NHAT' ? 'applied' : r.KetQua === 'TRUNG_LAP' ? 'duplicate' : 'stale', currentVersion: r.PhienBanHienTai, statusCode };
}

export function fromLookUp(r: LookUpResponse): PortalLookUp {
  return {
    code: r.HoSo.MaHoSo,
    version: r.HoSo.PhienBan,
    statusCode: r.HoSo.TrangThaiHoSo,
    holderName: r.HoSo.ChuHoSo,
    progress: r.TienDo.map((p) => ({ version: p.PhienBan, statusCode: p.TrangThai, at: (fromCompactLocal(p.ThoiDiemXuLy) ?? new Date(0)).toISOString(), by: p.NguoiXuLy, note: p.NoiDungXuLy })),
  };
}
