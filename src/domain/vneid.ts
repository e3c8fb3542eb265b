// Sign-in with VNeID, as rules: reading the identity out of the claims the national portal hands over
// (personal number, full name, date of birth yyyyMMdd, gender, ethnicity, residence, the assurance level),
// deciding whether it may sign in here, and the bilingual message for each refusal. The server and the
// sign-in page share the messages, so the page can say why from the code alone.

export interface VneidResidence {
  provinceCode: string;
  communeCode: string;
}

export interface VneidIdentity {
  personalNumber: string;
  fullName: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  gender: 'M' | 'F';
  ethnicityCode: string | null;
  permanentResidence: VneidResidence | null;
  currentResidence: VneidResidence | null;
  /** 1: self-made from a CCCD; 2: verified by the police */
  level: 1 | 2;
  provider: string;
}

export const VNEID_REFUSALS = {
  VNEID_NOT_CONFIGURED: { vi: 'Đăng nhập bằng VNeID chưa được bật cho hệ thống này.', en: 'Sign-in with VNeID is not set up for this service.' },
  VNEID_UNAVAILABLE: {
    vi: 'Hệ thống định danh VNeID đang tạm thời gián đoạn. Vui lòng thử lại sau ít phút hoặc đăng nhập bằng tài khoản trường cấp.',
    en: 'The VNeID identity service is temporarily unavailable. Please try again in a few minutes or sign in with the account your school gave you.',
  },
  VNEID_CANCELLED: { vi: 'Bạn đã huỷ đăng nhập bằng VNeID.', en: 'You cancelled signing in with VNeID.' },
  VNEID_INVALID_CALLBACK: {
    vi: 'Yêu cầu đăng nhập không hợp lệ hoặc đã được dùng. Vui lòng bấm "Đăng nhập bằng VNeID" để bắt đầu lại.',
    en: 'The sign-in request is not valid or was already used. Please press "Sign in with VNeID" to start again.',
  },
  VNEID_LEVEL_TOO_LOW: {
    vi: 'Tài khoản định danh điện tử của bạn mới ở mức 1. Cần tài khoản mức 2 (đã được cơ quan công an xác thực) để đăng ký dự thi.',
    en: 'Your electronic identity is at level 1. Registering for the exam needs a level 2 identity (verified by the police).',
  },
  VNEID_MISSING_CLAIM: {
    vi: 'VNeID không cung cấp đủ thông tin cần thiết (số định danh, họ tên, ngày sinh, giới tính, mức định danh). Vui lòng thử lại hoặc liên hệ tổng đài hỗ trợ.',
    en: 'VNeID did not provide all the information needed (personal number, full name, date of birth, gender, identity level). Please try again or contact the support desk.',
  },
  VNEID_BIRTH_DATE_MISMATCH: {
    vi: 'Ngày sinh trên VNeID khác với ngày sinh trong tài khoản trường đã cấp cho số định danh này. Vui lòng liên hệ trường (điểm tiếp nhận) để kiểm tra lại.',
    en: 'The date of birth in VNeID differs from the one on the account your school issued for this personal number. Please contact your school (registration point) to check it.',
  },
  VNEID_ACCOUNT_UNUSABLE: {
    vi: 'Số định danh này gắn với một tài khoản không dùng được để đăng nhập (đã bị khoá hoặc không phải tài khoản thí sinh). Vui lòng liên hệ tổng đài hỗ trợ.',
    en: 'This personal number belongs to an account that cannot sign in this way (disabled, or not a candidate account). Please contact the support desk.',
  },
} as const;
export type VneidRefusal = keyof typeof VNEID_REFUSALS;

export const isVneidRefusal = (code: string): code is VneidRefusal => code in VNEID_REFUSALS;

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);

function residence(v: unknown): VneidResidence | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  const provinceCode = str(o['MaTinh']);
  const communeCode = str(o['MaXa']);
  return provinceCode && communeCode ? { provinceCode, communeCode } : null;
}

/** yyyyMMdd → YYYY-MM-DD when it is a real calendar date, else null. */
export function vneidDate(v: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}

/**
 * The identity in the claims, or the names of the claims that are missing or unreadable. Names are
 * normalised to NFC; gender accepts "Nam"/"Nữ" (and 1/2 for male/female, as some systems send).
 */
export function identityFromClaims(claims: Record<string, unknown>): { identity: VneidIdentity } | { missing: string[] } {
  const missing: string[] = [];
  const personalNumber = str(claims['SoDinhDanh']);
  if (!personalNumber || !/^\d{12}$/.test(personalNumber)) missing.push('SoDinhDanh');
  const fullName = str(claims['HoVaTen'])?.normalize('NFC').replace(/\s+/g, ' ') ?? null;
  if (!fullName) missing.push('HoVaTen');
  const dob = str(claims['NgayThangNamSinh']);
  const dateOfBirth = dob ? vneidDate(dob) : null;
  if (!dateOfBirth) missing.push('NgayThangNamSinh');
  const g = str(claims['GioiTinh'])?.normalize('NFC').toLowerCase();
  const gender = g === 'nam' || g === '1' ? 'M' : g === 'nữ' || g === 'nu' || g === '2' ? 'F' : null;
  if (!gender) missing.push('GioiTinh');
  const lv = str(claims['MucDoDinhDanh']);
  const level = lv === '1' ? 1 : lv === '2' ? 2 : null;
  if (!level) missing.push('MucDoDinhDanh');
  if (missing.length) return { missing };
  return {
    identity: {
      personalNumber: personalNumber!,
      fullName: fullName!,
      dateOfBirth: dateOfBirth!,
      gender: gender!,
      ethnicityCode: str(claims['DanToc']),
      permanentResidence: residence(claims['ThuongTru']),
      currentResidence: residence(claims['NoiOHienNay']),
      level: level!,
      provider: str(claims['NhaCungCapDinhDanh']) ?? 'VNeID',
    },
  };
}

/** What an existing account of the same personal number holds, when there is one. */
export interface ExistingAccount {
  role: string;
  status: 'not_issued' | 'active' | 'disabled';
  /** the candidate record's date of birth (YYYY-MM-DD), when the account has a record */
  dateOfBirth: string | null;
}

/** May this identity sign in here? `null` when it may; otherwise why not. */
export function vneidSignInRefusal(identity: VneidIdentity, requiredLevel: 1 | 2, existing: ExistingAccount | null): VneidRefusal | null {
  if (identity.level < requiredLevel) return 'VNEID_LEVEL_TOO_LOW';
  if (existing) {
    if (existing.role !== 'candidate' || existing.status === 'disabled') return 'VNEID_ACCOUNT_UNUSABLE';
    if (existing.dateOfBirth !== null && existing.dateOfBirth !== identity.dateOfBirth) return 'VNEID_BIRTH_DATE_MISMATCH';
  }
  return null;
}
