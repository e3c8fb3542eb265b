// The population database's messages (no official spec is public; the field names follow the national
// data-sharing platform's Vietnamese style). The adapter maps the app's shapes to and from these, and the
// simulator (src/sims/population) parses them with the same schemas, so the two sides cannot drift apart.
import { z } from 'zod';

export const verifyRequest = z
  .object({
    SoDinhDanh: z.string().regex(/^\d{12}$/),
    HoVaTen: z.string().min(1).max(100),
    /** yyyyMMdd, or the year alone (yyyy) when only the year is known */
    NgayThangNamSinh: z.string().regex(/^\d{4}(\d{4})?$/),
  })
  .strict();

export const residenceMessage = z.object({ MaTinh: z.string(), MaXa: z.string() });

export const verifyResponse = z.object({
  /** KHOP: every field matches; KHONG_KHOP: the number exists, some field differs; KHONG_TIM_THAY: no such number */
  KetQua: z.enum(['KHOP', 'KHONG_KHOP', 'KHONG_TIM_THAY']),
  SaiLech: z.array(z.object({ TruongDuLieu: z.enum(['HoVaTen', 'NgayThangNamSinh']), GiaTriYeuCau: z.string(), GiaTriCSDL: z.string() })),
  ThuongTru: residenceMessage.nullable(),
  /** yyyyMMddHHmmss, local time */
  ThoiDiem: z.string(),
});

/** After verification the education sector gives back what it knows: the school and the exam registration. */
export const giveBackRequest = z
  .object({
    SoDinhDanh: z.string().regex(/^\d{12}$/),
    NamHoc: z.string().regex(/^\d{4}-\d{4}$/),
    KyThi: z.object({ Nam: z.number().int(), MaHoSo: z.string().min(1).max(40), MaDiemDangKy: z.string(), TenDiemDangKy: z.string(), DoiTuong: z.enum(['DANG_HOC_LOP_12', 'TU_DO']) }),
    TruongHoc: z.object({ MaTinh: z.string(), MaTruong: z.string(), TenTruong: z.string(), Lop: z.string().nullable() }).nullable(),
    /** the sender's version of this record: an older or repeated one changes nothing */
    PhienBan: z.number().int().min(1),
  })
  .strict();

export const giveBackResponse = z.object({ KetQua: z.enum(['DA_CAP_NHAT', 'TRUNG_LAP', 'PHIEN_BAN_CU']), PhienBanHienTai: z.number().int() });

export type VerifyRequest = z.infer<typeof verifyRequest>;
export type VerifyResponse = z.infer<typeof verifyResponse>;
export type GiveBackRequest = z.infer<typeof giveBackRequest>;
export type GiveBackResponse = z.infer<typeof giveBackResponse>;

export const POPULATION_PATHS = { verify: '/api/v1/cong-dan/xac-thuc', giveBack: '/api/v1/cong-dan/du-lieu-giao-duc' } as const;
