// The National Public Service Portal's messages (DVCQG; no official spec is public: the shape is the one
// seen in open one-stop-shop code, DOMAIN.md "National links"). Dates are yyyyMMddHHmmss, local time.
// The adapter builds these; the simulator (src/sims/portal) parses them with the same schemas.
import { z } from 'zod';

const compactDate = z.string().regex(/^\d{14}$/, 'yyyyMMddHHmmss');
/** the portal's dossier status codes, 1 Mới đăng ký … 10 Đã trả kết quả */
export const portalStatusCode = z.number().int().min(1).max(10);

export const dossierUpsert = z
  .object({
    MaHoSo: z.string().min(1).max(40),
    /** the sender's version of the dossier: the portal applies a version once, and never an older one */
    PhienBan: z.number().int().min(1),
    MaTTHC: z.string().min(1).max(20),
    ChuHoSo: z.string().min(1).max(100),
    Email: z.string().max(200).nullable(),
    SoDienThoai: z.string().max(20).nullable(),
    TrichYeuHoSo: z.string().max(500),
    NgayTiepNhan: compactDate,
    NgayHenTra: compactDate.nullable(),
    TrangThaiHoSo: portalStatusCode,
    NgayTra: compactDate.nullable(),
    DonViXuLy: z.string().max(200),
  })
  .strict();

export const progressUpdate = z
  .object({
    MaHoSo: z.string().min(1).max(40),
    PhienBan: z.number().int().min(1),
    NguoiXuLy: z.string().max(100),
    ThoiDiemXuLy: compactDate,
    NoiDungXuLy: z.string().max(1000),
    TrangThai: portalStatusCode,
  })
  .strict();

export const syncResponse = z.object({
  /** DA_CAP_NHAT: applied; TRUNG_LAP: this version was applied before; PHIEN_BAN_CU: a newer one was */
  KetQua: z.enum(['DA_CAP_NHAT', 'TRUNG_LAP', 'PHIEN_BAN_CU']),
  PhienBanHienTai: z.number().int(),
});

export const lookUpResponse = z.object({
  HoSo: dossierUpsert,
  TienDo: z.array(progressUpdate),
});

export type DossierUpsert = z.infer<typeof dossierUpsert>;
export type ProgressUpdate = z.infer<typeof progressUpdate>;
export type SyncResponse = z.infer<typeof syncResponse>;
export type LookUpResponse = z.infer<typeof lookUpResponse>;

export const PORTAL_PATHS = {
  upsert: '/api/dvcqg/ho-so',
  progress: '/api/dvcqg/tien-do',
  lookUp: (code: string) => `/api/dvcqg/ho-so/${encodeURIComponent(code)}`,
} as const;

/** The portal's status names, for the citizen page and the operators. */
export const PORTAL_STATUS_NAMES: Readonly<Record<number, string>> = {
  1: 'Mới đăng ký',
  2: 'Được tiếp nhận',
  3: 'Không được tiếp nhận',
  4: 'Đang xử lý',
  5: 'Yêu cầu bổ sung giấy tờ',
  6: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  7: 'Công dân yêu cầu rút hồ sơ',
  8: 'Dừng xử lý',
  9: 'Đã xử lý xong',
  10: 'Đã trả kết quả',
};
