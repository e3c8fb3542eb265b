// The support desk: find a candidate (by ID number, or name and date of birth), read the account state,
// the dossier's status and history, reset the password (a one-time password read to the caller), and
// keep the call log (log a call, see the open ones, close them).
import { useCallback, useEffect, useState } from 'react';
import { DOSSIER_SECTIONS } from '../../domain/dossier.ts';
import { DOSSIER_EVENT_LABELS as EVENT_LABELS, ROLE_LABELS } from '../../domain/lifecycle.ts';
import type { Finding } from '../../domain/messages.ts';
import { ApiError } from '../api/client.ts';
import { CALL_CATEGORIES, CALL_OUTCOMES, supportApi, type CallCategory, type CallOutcome, type SupportCall, type SupportCard, type SupportHit } from '../api/staff-endpoints.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { usePageTitle } from '../router.tsx';
import { Button, ErrorSummary, NotificationBanner, Spinner, StatusTag, WarningText } from '../components/feedback.tsx';
import { DateInput, Radios, Select, TextInput, Textarea, fieldId, partsToDate, type DateParts } from '../components/forms.tsx';
import { SummaryList } from '../components/lists.tsx';
import { looksLikeDossierCode, parseDossierCode } from '../../domain/dossier-code.ts';

const CATEGORY_LABELS: Readonly<Record<CallCategory, Bilingual>> = {
  sign_in: { vi: 'Đăng nhập', en: 'Signing in' },
  password: { vi: 'Mật khẩu', en: 'Password' },
  account_not_issued: { vi: 'Chưa được cấp tài khoản', en: 'No account yet' },
  registration_help: { vi: 'Hướng dẫn khai hồ sơ', en: 'Help filling in' },
  dossier_status: { vi: 'Trạng thái hồ sơ', en: 'Registration status' },
  correction_request: { vi: 'Đề nghị điều chỉnh thông tin', en: 'Correction request' },
  subjects: { vi: 'Môn thi', en: 'Subjects' },
  priority: { vi: 'Ưu tiên, khuyến khích', en: 'Priority' },
  technical: { vi: 'Lỗi kỹ thuật', en: 'Technical problem' },
  other: { vi: 'Khác', en: 'Other' },
};
const OUTCOME_LABELS: Readonly<Record<CallOutcome, Bilingual>> = {
  answered: { vi: 'Đã trả lời', en: 'Answered' },
  password_reset: { vi: 'Đã cấp lại mật khẩu', en: 'Password reset' },
  referred_to_point: { vi: 'Chuyển điểm tiếp nhận', en: 'Referred to the registration point' },
  referred_to_department: { vi: 'Chuyển Sở GD&ĐT', en: 'Referred to the department' },
  callback_needed: { vi: 'Cần gọi lại', en: 'Call back needed' },
  escalated: { vi: 'Chuyển cấp trên', en: 'Escalated' },
};
const ACCOUNT_LABELS: Readonly<Record<SupportCard['account']['state'], Bilingual>> = {
  not_issued: { vi: 'Chưa cấp tài khoản', en: 'Not issued yet' },
  active: { vi: 'Đang dùng', en: 'Active' },
  must_change_password: { vi: 'Đã cấp, chưa đổi mật khẩu lần đầu', en: 'Issued; first password not changed yet' },
  disabled: { vi: 'Bị khoá', en: 'Disabled' },
};
const UNEXPECTED: Bilingual = { vi: 'Đã có lỗi, xin thử lại.', en: 'Something went wrong; please try again.' };
const dmy = (iso: string) => iso.split('-').reverse().join('/');

/** Problems of the last action; `form` prefixes the server's field names so the summary links reach the right form. */
interface Problems {
  form: 'lookup' | 'reset' | 'call';
  findings: Finding[];
  message: Bilingual | null;
}

export function SupportPage() {
  const { t, pick, num, dateTime } = useI18n();
  usePageTitle(t('Tổng đài hỗ trợ', 'Support desk'));
  const [idNumber, setIdNumber] = useState('');
  const [name, setName] = useState('');
  const [dob, setDob] = useState<DateParts>({ day: '', month: '', year: '' });
  const [hits, setHits] = useState<{ items: SupportHit[]; truncated: boolean } | null>(null);
  const [card, setCard] = useState<SupportCard | null>(null);
  const [problems, setProblems] = useState<Problems>({ form: 'lookup', findings: [], message: null });
  const [reason, setReason] = useState('');
  const [otp, setOtp] = useState<string | null>(null);
  const [confirmReset, setConfirmReset] = useState(false);
  const [category, setCategory] = useState('');
  const [note, setNote] = useState('');
  const [outcome, setOutcome] = useState('');
  const [callStatus, setCallStatus] = useState<'open' | 'closed'>('closed');
  const [done, setDone] = useState<Bilingual | null>(null);
  const [calls, setCalls] = useState<SupportCall[] | null>(null);
  const [busy, setBusy] = useState(false);

  const at = (field: string) => problems.findings.filter((f) => `${problems.form}-${f.field}` === field);
  const loadCalls = useCallback(async () => {
    try {
      setCalls((await supportApi.openCalls()).items);
    } catch {
      setCalls([]);
    }
  }, []);
  useEffect(() => void loadCalls(), [loadCalls]);

  const act = async (form: Problems['form'], fn: () => Promise<void>) => {
    setBusy(true);
    setProblems({ form, findings: [], message: null });
    setDone(null);
    try {
      await fn();
    } catch (e) {
      setProblems(e instanceof ApiError && e.fields.length > 0 ? { form, findings: e.fields, message: null } : { form, findings: [], message: e instanceof ApiError ? e : UNEXPECTED });
    } finally {
      setBusy(false);
    }
  };
  const refuse = (form: Problems['form'], findings: Finding[]) => setProblems({ form, findings, message: null });

  const lookup = () => {
    // people read a CCCD in groups ("001 208 012345"): spaces, dots and dashes are not part of it
    const id = idNumber.replace(/[\s.-]/g, '');
    const dateOfBirth = partsToDate(dob);
    const findings: Finding[] = [];
    // the dossier code (01-26-004213-5) is read aloud too; its check digit catches a misheard digit here
    const code = looksLikeDossierCode(idNumber) ? parseDossierCode(idNumber) : undefined;
    if (code === null) {
      findings.push({ code: 'DOSSIER_CODE_CHECK', field: 'idNumber', severity: 'error', vi: 'Mã hồ sơ không đúng: hãy đọc lại từng chữ số với thí sinh (chữ số cuối là số kiểm tra).', en: 'That dossier code is wrong: read it back digit by digit with the candidate (the last digit is a check digit).' });
    } else if (code) {
      // a valid code: looked up by itself
    } else if (id) {
      if (!/^[0-9A-Za-z]{6,12}$/.test(id)) findings.push({ code: 'ID_FORMAT', field: 'idNumber', severity: 'error', vi: 'Số định danh gồm 12 chữ số (hộ chiếu: 6–12 chữ và số).', en: 'The ID number has 12 digits (a passport: 6–12 letters and digits).' });
    } else if (!name.trim() && !dateOfBirth) {
      findings.push({ code: 'LOOKUP_NEEDS', field: 'idNumber', severity: 'error', vi: 'Nhập số định danh hoặc mã hồ sơ, hoặc họ tên và ngày sinh.', en: 'Enter the ID number or the dossier code, or the full name and date of birth.' });
    } else {
      if (name.trim().length < 2) findings.push({ code: 'REQUIRED', field: 'name', severity: 'error', vi: 'Nhập họ và tên của thí sinh.', en: "Enter the candidate's full name." });
      if (!/^\d{4}-\d{2}-\d{2}$/.test(dateOfBirth) || Number.isNaN(Date.parse(dateOfBirth))) findings.push({ code: 'DATE_INVALID', field: 'dateOfBirth', severity: 'error', vi: 'Nhập ngày sinh đủ ngày, tháng, năm.', en: 'Enter the date of birth: day, month and year.' });
    }
    if (findings.length) return refuse('lookup', findings);
    void act('lookup', async () => {
      setCard(null);
      setOtp(null);
      setHits(await supportApi.lookup(code ? { dossierCode: code } : id ? { idNumber: id } : { name: name.trim(), dateOfBirth }));
    });
  };
  const open = (candidateId: string) =>
    act('lookup', async () => {
      setOtp(null);
      setReason('');
      setCard(await supportApi.candidate(candidateId));
    });
  const reset = () => {
    if (!card) return;
    if (reason.trim().length < 3) return refuse('reset', [{ code: 'REQUIRED', field: 'reason', severity: 'error', vi: 'Ghi lý do cấp lại mật khẩu (ít nhất 3 ký tự).', en: 'Give the reason for the reset (at least 3 characters).' }]);
    // a reset ends the candidate's sessions and old password: it is asked for twice
    if (!confirmReset) return setConfirmReset(true);
    setConfirmReset(false);
    void act('reset', async () => {
      const r = await supportApi.resetPassword(card.candidate.id, reason.trim());
      setOtp(r.oneTimePassword);
      setReason('');
      setCategory((c) => c || 'password');
      setOutcome('password_reset');
      setCard(await supportApi.candidate(card.candidate.id));
    });
  };
  const logCall = () => {
    const findings: Finding[] = [];
    if (!category) findings.push({ code: 'REQUIRED', field: 'category', severity: 'error', vi: 'Chọn loại yêu cầu.', en: 'Choose what the call was about.' });
    if (!outcome) findings.push({ code: 'REQUIRED', field: 'outcome', severity: 'error', vi: 'Chọn kết quả cuộc gọi.', en: 'Choose how the call ended.' });
    if (findings.length) return refuse('call', findings);
    void act('call', async () => {
      await supportApi.logCall({ ...(card ? { candidateId: card.candidate.id } : {}), category: category as CallCategory, note: note.trim(), outcome: outcome as CallOutcome, status: callStatus });
      setDone({ vi: 'Đã ghi nhận cuộc gọi.', en: 'The call is logged.' });
      setNote('');
      setCategory('');
      setOutcome('');
      await loadCalls();
      if (card) setCard(await supportApi.candidate(card.candidate.id));
    });
  };
  const close = (c: SupportCall) =>
    act('call', async () => {
      await supportApi.closeCall(c.id);
      setDone({ vi: 'Đã đóng cuộc gọi.', en: 'The call is closed.' });
      await loadCalls();
    });

  const callRows = (list: SupportCall[], withClose: boolean, captionId: string, caption: string) => (
    <div className="table-wrap" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className="table">
        <caption id={captionId}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('Lúc', 'When')}</th>
            {withClose && <th scope="col">{t('Thí sinh', 'Candidate')}</th>}
            <th scope="col">{t('Loại', 'About')}</th>
            <th scope="col">{t('Nội dung', 'Note')}</th>
            <th scope="col">{t('Kết quả', 'Outcome')}</th>
            <th scope="col">{withClose ? t('Thao tác', 'Action') : t('Tình trạng', 'State')}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((c) => (
            <tr key={c.id}>
              <td>{dateTime(c.createdAt)}</td>
              {withClose && <td>{c.candidateName ?? t('(không gắn thí sinh)', '(no candidate)')}</td>}
              <td>{pick(CATEGORY_LABELS[c.category])}</td>
              <td>{c.note}</td>
              <td>{pick(OUTCOME_LABELS[c.outcome])}</td>
              <td>
                {withClose ? (
                  <button type="button" className="link-button link-button--link" onClick={() => void close(c)} aria-label={t(`Đóng cuộc gọi lúc ${dateTime(c.createdAt)}`, `Close the call of ${dateTime(c.createdAt)}`)}>
                    {t('Đóng', 'Close')}
                  </button>
                ) : c.status === 'open' ? (
                  t('Đang mở', 'Open')
                ) : (
                  t('Đã đóng', 'Closed')
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );

  return (
    <>
      <h1>{t('Tổng đài hỗ trợ thí sinh', 'Candidate support desk')}</h1>
      <ErrorSummary findings={problems.findings} message={problems.message} fieldIdOf={(f) => fieldId(`${problems.form}-${f}`)} />
      {done && (
        <NotificationBanner title={t('Đã lưu', 'Saved')} kind="success">
          <p>{pick(done)}</p>
        </NotificationBanner>
      )}
      <section aria-labelledby="lookup-title">
        <h2 id="lookup-title">{t('Tra cứu thí sinh', 'Find a candidate')}</h2>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!busy) lookup();
          }}
        >
          <TextInput field="lookup-idNumber" label={t('Số định danh (CCCD), hộ chiếu hoặc mã hồ sơ', 'ID number (CCCD), passport or dossier code')} width={20} inputMode="text" spellCheck={false} value={idNumber} onChange={setIdNumber} findings={at('lookup-idNumber')} />
          <p>{t('hoặc', 'or')}</p>
          <TextInput field="lookup-name" label={t('Họ và tên', 'Full name')} hint={t('Có dấu hoặc không dấu đều được.', 'With or without diacritics.')} spellCheck={false} value={name} onChange={setName} findings={at('lookup-name')} />
          <DateInput field="lookup-dateOfBirth" label={t('Ngày sinh', 'Date of birth')} hint={t('Ví dụ: 14 3 2008', 'For example: 14 3 2008')} value={dob} onChange={setDob} findings={at('lookup-dateOfBirth')} />
          <Button type="submit" busy={busy}>
            {t('Tra cứu', 'Look up')}
          </Button>
        </form>
        {hits && hits.items.length === 0 && <p role="status">{t('Không tìm thấy thí sinh trong phạm vi của bạn.', 'No candidate found within your scope.')}</p>}
        {hits && hits.items.length > 0 && (
          <div className="table-wrap" role="region" aria-labelledby="hits-caption" tabIndex={0}>
            <table className="table" data-testid="support-hits">
              <caption id="hits-caption">{t(`${num(hits.items.length)} thí sinh`, `${num(hits.items.length)} candidates`)}</caption>
              <thead>
                <tr>
                  {/* the name keeps a readable width on a phone (it wrapped to one word a line); the table scrolls instead */}
                  <th scope="col" className="table__name">
                    {t('Họ và tên', 'Name')}
                  </th>
                  <th scope="col">{t('Ngày sinh', 'Date of birth')}</th>
                  <th scope="col">{t('Số định danh', 'ID number')}</th>
                  <th scope="col">{t('Lớp', 'Class')}</th>
                  <th scope="col">{t('Điểm tiếp nhận', 'Registration point')}</th>
                </tr>
              </thead>
              <tbody>
                {hits.items.map((h) => (
                  <tr key={h.candidateId}>
                    <td>
                      <button type="button" className="link-button link-button--link" onClick={() => void open(h.candidateId)}>
                        {h.fullName}
                      </button>
                    </td>
                    <td>{dmy(h.dateOfBirth)}</td>
                    <td>{h.idNumberMasked}</td>
                    <td>{h.className ?? ''}</td>
                    <td>{h.pointName}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {hits?.truncated && <p>{t('Còn nhiều thí sinh trùng; hãy hỏi thêm thông tin (ngày sinh, số định danh).', 'More candidates match; ask for more details (date of birth, ID number).')}</p>}
      </section>

      {card && (
        <section aria-labelledby="card-title" data-testid="support-card">
          <h2 id="card-title">{card.candidate.fullName}</h2>
          <SummaryList
            rows={[
              { key: t('Số định danh', 'ID number'), value: card.candidate.idNumberMasked },
              { key: t('Ngày sinh', 'Date of birth'), value: dmy(card.candidate.dateOfBirth) },
              { key: t('Lớp, điểm tiếp nhận', 'Class, registration point'), value: `${card.candidate.className ? `${card.candidate.className} · ` : ''}${card.candidate.pointName}` },
              { key: t('Tài khoản', 'Account'), value: pick(ACCOUNT_LABELS[card.account.state]) },
              { key: t('Đăng nhập gần nhất', 'Last sign-in'), value: card.account.lastSignInAt ? dateTime(card.account.lastSignInAt) : t('Chưa đăng nhập', 'Never') },
              { key: t('Hồ sơ', 'Registration'), value: card.dossier ? <StatusTag status={card.dossier.status} label={card.dossier.statusLabel} /> : t('Chưa khai', 'Not started') },
              // the code the candidate reads from their page, so the agent can repeat it back
              ...(card.dossier?.code ? [{ key: t('Mã hồ sơ', 'Dossier code'), value: <span className="code" data-testid="support-dossier-code">{card.dossier.code}</span> }] : []),
              ...(card.dossier?.formNumber ? [{ key: t('Số phiếu', 'Form number'), value: card.dossier.formNumber }] : []),
              ...(card.dossier?.status === 'returned' && card.dossier.returnReason ? [{ key: t('Lý do trả lại', 'Returned because'), value: card.dossier.returnReason }] : []),
            ]}
          />
          <h3>{t('Lịch sử hồ sơ', 'Registration history')}</h3>
          {card.history.length === 0 ? (
            <p>{t('Chưa có.', 'None yet.')}</p>
          ) : (
            <ul>
              {card.history.map((h, i) => (
                <li key={i}>
                  {dateTime(h.at)}: {pick(EVENT_LABELS[h.event] ?? { vi: h.event, en: h.event })}
                  {h.actorRole && ROLE_LABELS[h.actorRole] ? ` (${pick(ROLE_LABELS[h.actorRole])})` : ''}
                  {h.sections.length > 0 && `: ${h.sections.map((s) => pick(DOSSIER_SECTIONS.find((d) => d.id === s) ?? { vi: s, en: s })).join(', ')}`}
                  {h.reason ? `. ${t('Lý do', 'Reason')}: ${h.reason}` : ''}
                </li>
              ))}
            </ul>
          )}
          {card.calls.length > 0 && callRows(card.calls, false, 'card-calls-caption', t('Các cuộc gọi gần đây về thí sinh này', 'Recent calls about this candidate'))}
          <h3>{t('Cấp lại mật khẩu', 'Reset the password')}</h3>
          {otp ? (
            <NotificationBanner title={t('Mật khẩu tạm thời', 'One-time password')} kind="success">
              <p>
                <code data-testid="support-otp" className="otp-spoken">
                  {otp.match(/.{1,4}/g)!.join(' ')}
                </code>
              </p>
              <p>{t('Đọc từng nhóm 4 chữ số; thí sinh gõ liền, không có dấu cách.', 'Read it four digits at a time; the candidate types it without spaces.')}</p>
              <p>{t('Đọc cho thí sinh; thí sinh phải đổi mật khẩu ngay khi đăng nhập. Mật khẩu chỉ hiện một lần.', 'Read it to the candidate, who must change it at sign-in. It is shown only once.')}</p>
            </NotificationBanner>
          ) : card.account.state === 'not_issued' || card.account.state === 'disabled' ? (
            <p>{card.account.state === 'not_issued' ? t('Tài khoản chưa được cấp: hãy hướng dẫn thí sinh liên hệ điểm tiếp nhận.', 'The account is not issued yet: refer the candidate to the registration point.') : t('Tài khoản bị khoá: không thể cấp lại mật khẩu.', 'The account is disabled: the password cannot be reset.')}</p>
          ) : (
            <form
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                if (!busy) reset();
              }}
            >
              <WarningText>{t('Chỉ cấp lại sau khi đã xác minh thí sinh (ngày sinh, số định danh). Mật khẩu cũ và mọi phiên đăng nhập sẽ hết hiệu lực.', 'Reset only after checking who is calling (date of birth, ID number). The old password and every session stop working.')}</WarningText>
              <Textarea field="reset-reason" label={t('Lý do', 'Reason')} hint={t('Lưu vào nhật ký, ví dụ: “thí sinh quên mật khẩu, đã xác minh ngày sinh”.', 'Kept in the audit log, e.g. “forgot the password, date of birth checked”.')} rows={2} maxLength={500} value={reason} onChange={setReason} findings={at('reset-reason')} />
              {confirmReset ? (
                <div role="alertdialog" aria-labelledby="reset-confirm-title" className="confirm-box" data-testid="reset-confirm">
                  <p id="reset-confirm-title">
                    <strong>{t(`Cấp lại mật khẩu cho ${card.candidate.fullName}?`, `Reset the password of ${card.candidate.fullName}?`)}</strong>
                  </p>
                  <div className="button-group">
                    <Button type="submit" variant="warning" busy={busy}>
                      {t('Xác nhận cấp lại', 'Confirm the reset')}
                    </Button>
                    <Button type="button" variant="secondary" onClick={() => setConfirmReset(false)}>
                      {t('Huỷ', 'Cancel')}
                    </Button>
                  </div>
                </div>
              ) : (
                <Button type="submit" variant="warning" busy={busy}>
                  {t('Cấp lại mật khẩu', 'Reset the password')}
                </Button>
              )}
            </form>
          )}
        </section>
      )}

      <section aria-labelledby="call-title">
        <h2 id="call-title">{t('Ghi nhận cuộc gọi', 'Log the call')}</h2>
        <p>{card ? t(`Cuộc gọi về thí sinh ${card.candidate.fullName}.`, `A call about ${card.candidate.fullName}.`) : t('Cuộc gọi chưa gắn với thí sinh nào (tra cứu trước để gắn).', 'A call not tied to a candidate (look one up first to tie it).')}</p>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!busy) logCall();
          }}
        >
          <Select field="call-category" label={t('Loại yêu cầu', 'What the call was about')} value={category} onChange={setCategory} placeholder={t('Chọn', 'Choose')} options={CALL_CATEGORIES.map((c) => ({ value: c, label: pick(CATEGORY_LABELS[c]) }))} findings={at('call-category')} />
          <Textarea field="call-note" label={t('Nội dung (không bắt buộc)', 'Note (optional)')} maxLength={2000} value={note} onChange={setNote} findings={at('call-note')} />
          <Select field="call-outcome" label={t('Kết quả', 'Outcome')} value={outcome} onChange={setOutcome} placeholder={t('Chọn', 'Choose')} options={CALL_OUTCOMES.map((o) => ({ value: o, label: pick(OUTCOME_LABELS[o]) }))} findings={at('call-outcome')} />
          <Radios
            field="call-status"
            label={t('Tình trạng', 'State')}
            inline
            value={callStatus}
            onChange={(v) => setCallStatus(v === 'open' ? 'open' : 'closed')}
            options={[
              { value: 'closed', label: t('Đã xong', 'Done') },
              { value: 'open', label: t('Còn mở, cần theo dõi', 'Open, to follow up') },
            ]}
            findings={at('call-status')}
          />
          <Button type="submit" busy={busy}>
            {t('Lưu cuộc gọi', 'Save the call')}
          </Button>
        </form>
      </section>

      <section aria-labelledby="open-calls-title">
        <h2 id="open-calls-title">{t('Cuộc gọi đang mở', 'Open calls')}</h2>
        {calls === null ? <Spinner label={{ vi: 'Đang tải', en: 'Loading' }} /> : calls.length === 0 ? <p>{t('Không có cuộc gọi nào đang mở.', 'No open calls.')}</p> : callRows(calls, true, 'open-calls-caption', t(`${num(calls.length)} cuộc gọi cần theo dõi`, `${num(calls.length)} calls to follow up`))}
      </section>
    </>
  );
}
