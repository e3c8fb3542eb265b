// What the dossier declares against what the account already knows (the school's import, the account's
// personal number). Differences are warnings for the registration point, not refusals: the school's list
// and the issued account can be wrong, and the point checks the papers before it verifies. Pure.
import { warning, type Finding } from './messages.ts';
import { normaliseIdNumber } from './cccd.ts';

/** The candidate's account as issued: its personal number and how the school (or the point) listed them. */
export interface AccountFacts {
  idNumber: string;
  /** 'current': imported by the school as a 12th-grader this year; 'free': a free candidate's account */
  candidateType: 'current' | 'free';
}

/** A dossier's personal number that is not the account's: someone may be registering another person. */
export function idNumberVsAccount(idNumber: string, account: AccountFacts, field = 'personal.idNumber'): Finding[] {
  if (normaliseIdNumber(idNumber) === normaliseIdNumber(account.idNumber)) return [];
  return [
    warning(
      'ID_NUMBER_NOT_ACCOUNT',
      field,
      'Số định danh trong hồ sơ khác số của tài khoản. Điểm tiếp nhận sẽ đối chiếu với CCCD trước khi xác nhận.',
      "The personal number in the dossier differs from the account's. The registration point will check it against the ID card before verifying.",
    ),
  ];
}

/** A student the school listed as a current 12th-grader who declares themselves a free or graduated candidate. */
export function statusVsAccount(status: { candidateType: string; graduated?: boolean }, account: AccountFacts, field = 'status.candidateType'): Finding[] {
  if (account.candidateType !== 'current' || (status.candidateType !== 'free' && status.graduated !== true)) return [];
  return [
    warning(
      'STATUS_NOT_AS_IMPORTED',
      field,
      'Trường đã đưa thí sinh vào danh sách học sinh lớp 12 năm nay, nhưng hồ sơ khai là thí sinh tự do hoặc đã tốt nghiệp. Điểm tiếp nhận sẽ kiểm tra.',
      "The school listed this candidate as a current 12th-grader, but the dossier declares a free or graduated candidate. The registration point will check.",
    ),
  ];
}
