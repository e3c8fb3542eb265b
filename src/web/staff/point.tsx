// The registration point: the verification queue with filters and bulk verify, one dossier with verify /
// return for correction (with a reason the candidate sees), print forms; class-list import (row-by-row
// report, then import) and account issuance with its sealed slips and class teacher's list; form numbers
// and the lists and forms to print.
import { useCallback, useEffect, useRef, useState } from 'react';
import { DOSSIER_SECTIONS, sectionApplies, type Dossier } from '../../domain/dossier.ts';
import { RETURN_REASON_MAX, STATUS_LABELS, type DossierStatus } from '../../domain/lifecycle.ts';
import type { Finding } from '../../domain/messages.ts';
import { ApiError } from '../api/client.ts';
import { pointApi, type DossierStatusView, type DossierView, type QueueItem, type QueueQuery } from '../api/endpoints.ts';
import { examApi, exportsApi, issuanceApi, type ImportMode, type ImportReport, type IssueResult, type PointClass } from '../api/staff-endpoints.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { Link, useLocation, usePageTitle } from '../router.tsx';
import { useSession } from '../session.tsx';
import { IdentityFlagsPanel } from './identity-flags.tsx';
import { Button, ErrorSummary, NotificationBanner, Spinner, StatusTag, WarningText } from '../components/feedback.tsx';
import { Checkbox, Select, TextInput, Textarea, fieldId , SheetFileField } from '../components/forms.tsx';
import { SummaryCard, SummaryList } from '../components/lists.tsx';
import { BackLink } from '../components/layout.tsx';
import { SECTION_DEFS } from '../candidate/sections.tsx';
import { subjectName } from '../candidate/reference.ts';
import { DownloadButton } from './download-button.tsx';
import { EvidenceFiles, useDossierEvidence } from '../components/evidence.tsx';
import type { EvidencePurpose } from '../api/evidence.ts';

/** The evidence shown beside each claim when verifying. */
const EVIDENCE_OF: Partial<Record<string, readonly EvidencePurpose[]>> = {
  exemption: ['language_certificate', 'vietnamese_certificate'],
  priority: ['priority'],
  retainedScores: ['retained_scores'],
};

export function QueuePage() {
  const { t, pick, lang } = useI18n();
  usePageTitle(t('Hồ sơ cần duyệt', 'Verification queue'));
  const { user: sessionUser } = useSession();
  const { query } = useLocation();
  const [status, setStatus] = useState(query.get('status') ?? 'submitted');
  const [q, setQ] = useState(query.get('q') ?? '');
  const [items, setItems] = useState<QueueItem[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [confirmVerify, setConfirmVerify] = useState(false);
  const [error, setError] = useState<Bilingual | null>(null);
  const [done, setDone] = useState<Bilingual | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    async (cursor?: string) => {
      const query: QueueQuery = { limit: 50, ...(status ? { status: status as QueueQuery['status'] } : {}), ...(q.trim() ? { q: q.trim() } : {}), ...(cursor ? { cursor } : {}) };
      try {
        const r = await pointApi.queue(query);
        setItems((prev) => (cursor && prev ? [...prev, ...r.items] : r.items));
        setNext(r.nextCursor);
        setError(null);
      } catch (e) {
        setError(e instanceof ApiError ? e : null);
        setItems([]);
      }
    },
    [status, q],
  );
  // reload when the status filter changes; the search waits for its button
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    void loadRef.current();
  }, [status]);

  const verifyAll = async () => {
    const chosen = (items ?? []).filter((i) => i.dossier && selected.includes(i.dossier.id));
    if (chosen.length === 0) return;
    // verifying many at once is asked twice: each is a decision on a candidate's registration
    if (!confirmVerify) {
      setConfirmVerify(true);
      return;
    }
    setConfirmVerify(false);
    setBusy(true);
    try {
      const r = await pointApi.verify(chosen.map((i) => ({ dossierId: i.dossier!.id, version: i.dossier!.version })));
      const ok = r.results.filter((x) => x.ok).length;
      const failed = r.results.filter((x) => !x.ok);
      setDone({
        vi: `Đã xác nhận ${ok} hồ sơ.${failed.length ? ` ${failed.length} hồ sơ chưa xác nhận được: ${failed.map((f) => (f.ok ? '' : f.vi)).join('; ')}` : ''}`,
        en: `${ok} verified.${failed.length ? ` ${failed.length} could not be: ${failed.map((f) => (f.ok ? '' : f.en)).join('; ')}` : ''}`,
      });
      setSelected([]);
      await load();
    } catch (e) {
      setError(e instanceof ApiError ? e : null);
    } finally {
      setBusy(false);
    }
  };

  const submittedIds = (items ?? []).filter((i) => i.dossier?.status === 'submitted').map((i) => i.dossier!.id);
  return (
    <>
      <h1>{t('Hồ sơ cần duyệt', 'Verification queue')}</h1>
      <ErrorSummary findings={[]} message={error} />
      <IdentityFlagsPanel pointId={sessionUser?.orgUnitId ?? ''} />
      {done && (
        <NotificationBanner title={t('Kết quả', 'Result')} kind="success">
          <p>{pick(done)}</p>
        </NotificationBanner>
      )}
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <Select
          field="filter-status"
          label={t('Trạng thái', 'Status')}
          value={status}
          onChange={setStatus}
          placeholder={t('Tất cả', 'All')}
          options={[
            { value: 'not_started', label: t('Chưa khai', 'Not started') },
            ...(['draft', 'submitted', 'returned', 'verified'] as DossierStatus[]).map((s) => ({ value: s, label: pick(STATUS_LABELS[s]) })),
          ]}
        />
        <TextInput field="filter-q" label={t('Tìm theo tên hoặc CCCD', 'Search by name or ID')} hint={t('Không cần dấu: “nguyen van an”', 'No diacritics needed')} value={q} onChange={setQ} type="search" width={20} />
        <button type="submit" className="button button--secondary">
          {t('Tìm', 'Search')}
        </button>
      </form>
      {items === null ? (
        <Spinner label={{ vi: 'Đang tải', en: 'Loading' }} />
      ) : items.length === 0 ? (
        <p>{t('Không có hồ sơ nào.', 'No registrations.')}</p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table">
              <caption>{t(`${items.length} thí sinh`, `${items.length} candidates`)}</caption>
              <thead>
                <tr>
                  <th scope="col">
                    <input
                      type="checkbox"
                      className="checkboxes__input"
                      aria-label={t('Chọn tất cả hồ sơ đã nộp', 'Select all submitted')}
                      checked={submittedIds.length > 0 && submittedIds.every((id) => selected.includes(id))}
                      onChange={(e) => setSelected(e.target.checked ? submittedIds : [])}
                    />
                  </th>
                  <th scope="col">{t('Họ và tên', 'Name')}</th>
                  <th scope="col">{t('Lớp', 'Class')}</th>
                  <th scope="col">{t('Trạng thái', 'Status')}</th>
                  <th scope="col">{t('Môn', 'Subjects')}</th>
                  <th scope="col">{t('Lưu ý', 'Flags')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((i) => {
                  const d = i.dossier;
                  return (
                    <tr key={i.candidateId}>
                      <td>
                        {d?.status === 'submitted' && (
                          <input
                            type="checkbox"
                            className="checkboxes__input"
                            aria-label={t(`Chọn ${i.fullName}`, `Select ${i.fullName}`)}
                            checked={selected.includes(d.id)}
                            onChange={(e) => setSelected(e.target.checked ? [...selected, d.id] : selected.filter((x) => x !== d.id))}
                          />
                        )}
                      </td>
                      <td>{d ? <Link to={`/point/dossier/${d.id}`}>{i.fullName}</Link> : i.fullName}</td>
                      <td>{i.className ?? ''}</td>
                      <td>{d ? <StatusTag status={d.status} label={STATUS_LABELS[d.status]} /> : <strong className="tag tag--grey">{t('Chưa khai', 'Not started')}</strong>}</td>
                      {/* the subjects by name ("Hóa học, Vật lí"), not the stored key "HOA+LI" */}
                      <td data-testid="queue-subjects">{d?.subjectsCombo ? d.subjectsCombo.split('+').map((c) => subjectName(c, lang)).join(', ') : ''}</td>
                      <td>
                        {d?.flags.cccdMismatch && <span className="tag tag--yellow">{t('CCCD lệch', 'ID mismatch')}</span>} {d?.flags.photoMissing && <span className="tag tag--yellow">{t('Thiếu ảnh', 'No photo')}</span>}{' '}
                        {d?.flags.exemptionClaimed && <span className="tag">{t('Miễn thi', 'Exemption')}</span>} {d?.flags.priorityClaimed && <span className="tag">{t('Ưu tiên', 'Priority')}</span>}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {confirmVerify && selected.length > 0 && (
            <div role="alertdialog" aria-labelledby="verify-confirm-title" className="confirm-box" data-testid="verify-confirm">
              <p id="verify-confirm-title">
                <strong>{t(`Xác nhận ${selected.length} hồ sơ đã chọn? Hãy chắc rằng đã kiểm tra từng hồ sơ.`, `Verify the ${selected.length} selected registrations? Be sure each one was checked.`)}</strong>
              </p>
              <div className="button-group">
                <Button busy={busy} onClick={() => void verifyAll()}>
                  {t(`Đồng ý xác nhận ${selected.length} hồ sơ`, `Yes, verify ${selected.length}`)}
                </Button>
                <Button variant="secondary" onClick={() => setConfirmVerify(false)}>
                  {t('Huỷ', 'Cancel')}
                </Button>
              </div>
            </div>
          )}
          <div className="button-group">
            <Button busy={busy} onClick={() => void verifyAll()} disabled={selected.length === 0 || confirmVerify}>
              {t(`Xác nhận ${selected.length} hồ sơ đã chọn`, `Verify ${selected.length} selected`)}
            </Button>
            {next && (
              <button type="button" className="button button--secondary" onClick={() => void load(next)}>
                {t('Xem thêm', 'Show more')}
              </button>
            )}
          </div>
        </>
      )}
    </>
  );
}

export function PointDossierPage({ id }: { id: string }) {
  const { t, pick, lang, dateTime } = useI18n();
  usePageTitle(t('Hồ sơ thí sinh', 'Candidate registration'));
  const [view, setView] = useState<DossierView | null>(null);
  const evidence = useDossierEvidence(id, view?.version);
  const [status, setStatus] = useState<DossierStatusView | null>(null);
  const [error, setError] = useState<Bilingual | null>(null);
  const [reason, setReason] = useState('');
  const [findings, setFindings] = useState<Finding[]>([]);
  const [done, setDone] = useState<Bilingual | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(async () => {
    try {
      const [v, s] = await Promise.all([pointApi.dossier(id), pointApi.dossierStatus(id).catch(() => null)]);
      setView(v.data);
      setStatus(s);
    } catch (e) {
      setError(e instanceof ApiError ? e : null);
    }
  }, [id]);
  useEffect(() => void load(), [load]);
  if (!view) return error ? <ErrorSummary findings={[]} message={error} /> : <Spinner label={{ vi: 'Đang tải', en: 'Loading' }} />;

  const act = async (fn: () => Promise<unknown>, ok: Bilingual) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      setDone(ok);
      setReason('');
      setFindings([]);
      await load();
    } catch (e) {
      if (e instanceof ApiError) {
        setFindings(e.fields);
        setError(e.fields.length ? null : e);
        if (e.status === 412) await load();
      }
    } finally {
      setBusy(false);
    }
  };
  const doReturn = () => {
    if (reason.trim() === '') {
      setFindings([{ code: 'RETURN_REASON_REQUIRED', field: 'reason', severity: 'error', vi: 'Hãy ghi rõ lý do để thí sinh biết cần sửa gì.', en: 'Give the reason, so the candidate knows what to fix.' }]);
      return;
    }
    void act(() => pointApi.returnDossier(id, view.version, reason.trim()), { vi: 'Đã trả hồ sơ cho thí sinh sửa.', en: 'Returned to the candidate for correction.' });
  };
  return (
    <>
      <BackLink to="/point">{t('Về danh sách hồ sơ', 'Back to the queue')}</BackLink>
      <ErrorSummary findings={findings} message={error} />
      {done && (
        <NotificationBanner title={t('Thành công', 'Success')} kind="success">
          <p>{pick(done)}</p>
        </NotificationBanner>
      )}
      <span className="caption">{view.candidate.idNumberMasked}</span>
      <h1>{view.candidate.fullName}</h1>
      <p>
        <StatusTag status={view.status} label={STATUS_LABELS[view.status]} /> {view.formNumber && `· ${t('Số phiếu', 'Form no.')} ${view.formNumber}`}
      </p>
      {/* the code the candidate reads from their own pages and the form, so a call or a visit starts from it */}
      {view.code && (
        <p className="dossier-code" data-testid="point-dossier-code">
          {t('Mã hồ sơ', 'Dossier code')}: <span className="code">{view.code}</span>
        </p>
      )}
      {view.returnReason && view.status === 'returned' && (
        <p className="inset">
          {t('Lý do trả lại', 'Returned because')}: {view.returnReason}
        </p>
      )}
      {view.findings.length > 0 && (
        <NotificationBanner title={t('Kết quả kiểm tra tự động', 'Automatic checks')} kind="warning">
          <ul>
            {view.findings.map((f, i) => (
              <li key={i}>
                {f.severity === 'error' ? t('Lỗi', 'Error') : t('Lưu ý', 'Note')}: {pick(f)}
              </li>
            ))}
          </ul>
        </NotificationBanner>
      )}
      {DOSSIER_SECTIONS.map((s) => {
        const value = (view.sections as Partial<Dossier>)[s.id];
        // a section not asked of this candidate is not shown as "not filled in"
        if (value === undefined && !sectionApplies(s.id, view.sections as Partial<Dossier>, view.candidate.candidateType)) return null;
        return (
          <SummaryCard key={s.id} title={pick(s)}>
            <SummaryList rows={value === undefined ? [{ key: t('Chưa khai', 'Not filled in'), value: '' }] : SECTION_DEFS[s.id].summary(value, lang, t)} />
            {EVIDENCE_OF[s.id] && <EvidenceFiles dossierId={id} files={evidence} purposes={EVIDENCE_OF[s.id]!} />}
          </SummaryCard>
        );
      })}
      {/* the photo under its own title like every other part of the dossier, not an unlabelled picture */}
      <SummaryCard title={t('Ảnh chân dung', 'Photo')}>
        <SummaryList
          rows={[
            {
              key: t('Ảnh', 'Photo'),
              value: view.photoUploaded ? <img className="summary-photo" src={pointApi.photoUrl(id)} alt={t('Ảnh thí sinh', 'Candidate photo')} width={120} height={160} /> : t('Chưa có', 'Missing'),
            },
          ]}
        />
      </SummaryCard>
      <h2>{t('Xử lý hồ sơ', 'Decide')}</h2>
      {view.status === 'submitted' && (
        <Button busy={busy} onClick={() => void act(() => pointApi.verify([{ dossierId: id, version: view.version }]).then((r) => {
          const f = r.results[0];
          if (f && !f.ok) throw new ApiError(f.status, { code: f.code, vi: f.vi, en: f.en });
        }), { vi: 'Đã xác nhận hồ sơ.', en: 'Registration verified.' })}>
          {t('Xác nhận hồ sơ', 'Verify')}
        </Button>
      )}
      {(view.status === 'submitted' || view.status === 'verified') && (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!busy) doReturn();
          }}
        >
          <Textarea
            field="reason"
            label={t('Trả lại để thí sinh sửa: lý do', 'Return for correction: reason')}
            hint={t('Thí sinh sẽ thấy đúng nội dung này. Nêu rõ mục nào cần sửa.', 'The candidate sees exactly this. Say which section to fix.')}
            value={reason}
            onChange={setReason}
            maxLength={RETURN_REASON_MAX}
            findings={findings.filter((f) => f.field === 'reason')}
          />
          <Button type="submit" variant="warning" busy={busy}>
            {t('Trả lại hồ sơ', 'Return for correction')}
          </Button>
        </form>
      )}
      <p>
        <a href={pointApi.dossierPdfUrl(id)} className="button button--secondary" download>
          {t('In phiếu đăng ký (PDF)', 'Print the form (PDF)')}
        </a>
      </p>
      {status && status.history.length > 0 && (
        <>
          <h2>{t('Lịch sử', 'History')}</h2>
          <ul>
            {status.history.map((h, i) => (
              <li key={i}>
                {dateTime(h.at)}: {pick(h.label)} {h.by.name ? `(${h.by.name})` : ''} {h.reason ? `: ${h.reason}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

const UNEXPECTED: Bilingual = { vi: 'Đã có lỗi, xin thử lại.', en: 'Something went wrong; please try again.' };

/** Turns a refusal into the page's error summary: field findings when the server named fields, else its message. */
function useProblems() {
  const [findings, setFindings] = useState<Finding[]>([]);
  const [message, setMessage] = useState<Bilingual | null>(null);
  return {
    findings,
    message,
    clear: () => {
      setFindings([]);
      setMessage(null);
    },
    fields: (f: Finding[]) => {
      setFindings(f);
      setMessage(null);
    },
    fail: (e: unknown) => {
      if (e instanceof ApiError && e.fields.length > 0) {
        setFindings(e.fields);
        setMessage(null);
      } else {
        setFindings([]);
        setMessage(e instanceof ApiError ? e : UNEXPECTED);
      }
    },
  };
}

/** The columns of a class list, as the report names them. */
const IMPORT_FIELDS: Readonly<Record<string, Bilingual>> = {
  fullName: { vi: 'Họ và tên', en: 'Full name' },
  dateOfBirth: { vi: 'Ngày sinh', en: 'Date of birth' },
  gender: { vi: 'Giới tính', en: 'Gender' },
  idNumber: { vi: 'Số định danh', en: 'ID number' },
  nationality: { vi: 'Quốc tịch', en: 'Nationality' },
  className: { vi: 'Lớp', en: 'Class' },
};

function ReportTable({ report }: { report: ImportReport }) {
  const { t, pick, num } = useI18n();
  if (report.findings.length === 0) return <p>{t('Không có vấn đề nào: mọi dòng đều hợp lệ.', 'No problems: every row is valid.')}</p>;
  return (
    <>
      <div className="table-wrap" role="region" aria-labelledby="report-caption" tabIndex={0}>
        <table className="table" data-testid="import-findings">
          <caption id="report-caption">{t(`${num(report.findings.length)} vấn đề, theo dòng của tệp`, `${num(report.findings.length)} problems, by row of the file`)}</caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                {t('Dòng', 'Row')}
              </th>
              <th scope="col">{t('Họ tên', 'Name')}</th>
              <th scope="col">{t('Cột', 'Column')}</th>
              <th scope="col">{t('Mức độ', 'Severity')}</th>
              <th scope="col">{t('Vấn đề', 'Problem')}</th>
            </tr>
          </thead>
          <tbody>
            {report.findings.map((f, i) => (
              <tr key={i}>
                <td className="num">{f.row}</td>
                <td>{f.name ?? '—'}</td>
                <td>{IMPORT_FIELDS[f.field] ? pick(IMPORT_FIELDS[f.field]) : f.field}</td>
                <td>{f.severity === 'error' ? <strong className="tag tag--red">{t('Lỗi', 'Error')}</strong> : <strong className="tag tag--yellow">{t('Lưu ý', 'Note')}</strong>}</td>
                <td>{pick(f)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {report.findingsTruncated && <p>{t('Chỉ hiện các vấn đề đầu tiên; sửa chúng rồi kiểm tra lại tệp để xem tiếp.', 'Only the first problems are shown; fix them and check the file again to see the rest.')}</p>}
    </>
  );
}

export function ImportPage() {
  const { t, num } = useI18n();
  usePageTitle(t('Nhập danh sách lớp', 'Import a class list'));
  const { user } = useSession();
  const pointId = user?.orgUnitId ?? '';
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [committed, setCommitted] = useState<{ imported: number; updated: number; skipped: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const problems = useProblems();
  const fileErrors = problems.findings.filter((f) => f.field === 'file');

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    problems.clear();
    try {
      await fn();
    } catch (e) {
      problems.fail(e);
    } finally {
      setBusy(false);
    }
  };
  const check = () => {
    if (!file) {
      problems.fields([{ code: 'REQUIRED', field: 'file', severity: 'error', vi: 'Hãy chọn tệp danh sách lớp (XLSX hoặc CSV).', en: 'Choose the class-list file (XLSX or CSV).' }]);
      return;
    }
    void run(async () => {
      setCommitted(null);
      setReport(null);
      setReport(await issuanceApi.uploadClassList(pointId, file));
    });
  };
  const commit = (mode: ImportMode) => {
    if (!report) return;
    void run(async () => {
      const r = await issuanceApi.commitImport(pointId, report.importId, mode);
      setCommitted(r);
      setReport({ ...report, status: 'committed', canImportAll: false });
    });
  };

  return (
    <>
      <h1>{t('Nhập danh sách lớp', 'Import a class list')}</h1>
      <ErrorSummary findings={problems.findings} message={problems.message} fieldIdOf={(f) => (f === 'file' ? 'class-list-file' : fieldId(f))} />
      {committed && (
        <NotificationBanner title={t('Đã nhập danh sách', 'List imported')} kind="success">
          <p data-testid="import-result">
            {t(`Đã nhập ${num(committed.imported)} học sinh.`, `${num(committed.imported)} students imported.`)}
            {committed.updated > 0 && ` ${t(`Đã cập nhật ${num(committed.updated)} học sinh đã có từ lần nhập trước.`, `${num(committed.updated)} students already imported were updated.`)}`}
            {committed.skipped > 0 && ` ${t(`Bỏ qua ${num(committed.skipped)} học sinh vừa được nhập từ tệp khác.`, `${num(committed.skipped)} skipped: imported from another file meanwhile.`)}`}
          </p>
          <p>
            <Link to="/point/accounts">{t('Cấp tài khoản cho các học sinh vừa nhập', 'Issue accounts to the students just imported')}</Link>
          </p>
        </NotificationBanner>
      )}
      <p>
        {t(
          'Mỗi dòng một học sinh: họ và tên, ngày sinh, giới tính, số định danh (CCCD), quốc tịch, lớp. Hệ thống kiểm tra từng dòng trước; chưa có gì được lưu cho đến khi bạn chọn nhập.',
          'One student per row: full name, date of birth, gender, ID number (CCCD), nationality, class. Every row is checked first; nothing is saved until you choose to import.',
        )}
      </p>
      <p>
        <DownloadButton url={() => issuanceApi.templateUrl(pointId)} fileName="mau-danh-sach-lop.xlsx" onError={problems.fail}>
          {t('Tải tệp mẫu (XLSX)', 'Download the template (XLSX)')}
        </DownloadButton>
      </p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) check();
        }}
      >
        <SheetFileField id="class-list-file" label={t('Tệp danh sách lớp', 'Class-list file')} hint={t('XLSX hoặc CSV, tối đa 10 MB và 20.000 dòng.', 'XLSX or CSV, at most 10 MB and 20,000 rows.')} errors={fileErrors} onChange={setFile} />
        <Button type="submit" variant={report ? 'secondary' : undefined} busy={busy}>
          {t('Kiểm tra tệp', 'Check the file')}
        </Button>
      </form>
      {report && (
        <section aria-labelledby="report-title">
          <h2 id="report-title">{t('Báo cáo kiểm tra', 'Validation report')}</h2>
          <SummaryList
            rows={[
              { key: t('Tệp', 'File'), value: report.fileName },
              { key: t('Số dòng học sinh', 'Student rows'), value: num(report.totalRows) },
              { key: t('Học sinh mới, hợp lệ', 'New students, valid'), value: num(report.validRows - report.updatedRows) },
              { key: t('Dòng có lỗi', 'Rows with errors'), value: num(report.errorRows) },
              ...(report.updatedRows > 0 ? [{ key: t('Đã có từ lần nhập trước, sẽ cập nhật', 'Already imported, to be updated'), value: num(report.updatedRows) }] : []),
              ...(report.unchangedRows > 0 ? [{ key: t('Đã có từ lần nhập trước (giữ nguyên)', 'Already imported, unchanged (left as they are)'), value: num(report.unchangedRows) }] : []),
            ]}
          />
          <ReportTable report={report} />
          {report.errorRows > 0 && (
            <p>
              <DownloadButton url={() => issuanceApi.failedRowsUrl(pointId, report.importId)} fileName="dong-can-sua.xlsx" onError={problems.fail} onStart={problems.clear} testId="download-failed-rows">
                {t(`Tải ${num(report.errorRows)} dòng cần sửa (XLSX)`, `Download the ${num(report.errorRows)} rows to fix (XLSX)`)}
              </DownloadButton>
            </p>
          )}
          {report.status === 'validated' &&
            (report.validRows === 0 && report.errorRows === 0 ? (
              <p>{t('Mọi học sinh trong tệp đã được nhập trước đây; không có gì mới để nhập.', 'Every student in the file was imported before; there is nothing new to import.')}</p>
            ) : report.canImportAll ? (
              <Button busy={busy} onClick={() => commit('all')}>
                {report.updatedRows === 0
                  ? t(`Nhập ${num(report.validRows)} học sinh`, `Import ${num(report.validRows)} students`)
                  : t(`Nhập ${num(report.validRows - report.updatedRows)} học sinh mới, cập nhật ${num(report.updatedRows)} học sinh`, `Import ${num(report.validRows - report.updatedRows)} new students, update ${num(report.updatedRows)}`)}
              </Button>
            ) : report.validRows > 0 ? (
              <>
                <WarningText>
                  {t(
                    `${num(report.errorRows)} dòng có lỗi sẽ không được nhập. Sửa các dòng đó rồi tải lại cả tệp: các học sinh đã nhập được giữ nguyên.`,
                    `${num(report.errorRows)} rows with errors will be left out. Fix them and upload the whole file again: the students already imported are left as they are.`,
                  )}
                </WarningText>
                <Button busy={busy} onClick={() => commit('valid_rows')}>
                  {t(`Chỉ nhập ${num(report.validRows)} dòng hợp lệ`, `Import the ${num(report.validRows)} valid rows only`)}
                </Button>
              </>
            ) : (
              <p>{t('Không có dòng hợp lệ nào để nhập. Sửa tệp rồi kiểm tra lại.', 'No valid row to import. Fix the file and check it again.')}</p>
            ))}
        </section>
      )}
    </>
  );
}

export function AccountsPage() {
  const { t, num, dateTime } = useI18n();
  usePageTitle(t('Cấp tài khoản thí sinh', 'Issue candidate accounts'));
  const { user } = useSession();
  const { query } = useLocation();
  const pointId = user?.orgUnitId ?? '';
  const [className, setClassName] = useState(query.get('className') ?? '');
  const [reissue, setReissue] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [classes, setClasses] = useState<PointClass[] | null>(null);
  const [result, setResult] = useState<(IssueResult & { className: string }) | null>(null);
  const [busy, setBusy] = useState(false);
  const problems = useProblems();
  // the server names the targets "userIds" (this page chooses them by class)
  const classFindings = problems.findings.filter((f) => f.field === 'className' || f.field === 'userIds');

  // the classes to choose from, with their counts (fetched again after each issuance)
  useEffect(() => {
    if (!pointId) return;
    issuanceApi.classes(pointId).then((r) => setClasses(r.items), problems.fail);
  }, [pointId, result]);

  const issue = async () => {
    const cls = className.trim();
    if (reissue && !cls) {
      problems.fields([{ code: 'REISSUE_NEEDS_TARGETS', field: 'className', severity: 'error', vi: 'Cấp lại mật khẩu cần chọn lớp.', en: 'Re-issuing passwords needs the class.' }]);
      return;
    }
    // a whole class's passwords stop working: asked twice
    if (reissue && !confirming) {
      setConfirming(true);
      return;
    }
    setConfirming(false);
    setBusy(true);
    problems.clear();
    setResult(null);
    try {
      setResult({ ...(await issuanceApi.issueAccounts(pointId, { className: cls, reissue })), className: cls });
    } catch (e) {
      problems.fail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h1>{t('Cấp tài khoản thí sinh', 'Issue candidate accounts')}</h1>
      <ErrorSummary findings={problems.findings} message={problems.message} fieldIdOf={(f) => (f === 'className' || f === 'userIds' ? 'issue-className' : fieldId(f))} />
      {result && (
        <NotificationBanner title={t('Đã cấp tài khoản', 'Accounts issued')} kind="success">
          <p data-testid="issue-result">
            {result.issued === 0
              ? result.className
                ? t(`Lớp ${result.className} không còn học sinh nào cần cấp tài khoản.`, `No student of class ${result.className} needs an account.`)
                : t('Không còn học sinh nào cần cấp tài khoản.', 'No student needs an account.')
              : t(`Đã cấp ${num(result.issued)} tài khoản${result.className ? ` cho lớp ${result.className}` : ''}.`, `${num(result.issued)} accounts issued${result.className ? ` for class ${result.className}` : ''}.`)}
            {result.skippedDisabled > 0 && ` ${t(`Bỏ qua ${num(result.skippedDisabled)} tài khoản đang bị khoá.`, `${num(result.skippedDisabled)} disabled accounts skipped.`)}`}
          </p>
        </NotificationBanner>
      )}
      {result && result.issued > 0 && (
        <section aria-labelledby="slips-title">
          <h2 id="slips-title">{t('In phiếu tài khoản', 'Print the account slips')}</h2>
          <WarningText>
            {t(
              `Mật khẩu lần đầu chỉ có trong hai tệp này. Hãy tải ngay: tải được đến ${dateTime(result.documentsExpireAt)} và chỉ từ trang này. Nếu mất, hãy cấp lại mật khẩu.`,
              `The first passwords are only in these two files. Download them now: they can be fetched until ${dateTime(result.documentsExpireAt)}, and only from this page. If lost, re-issue the passwords.`,
            )}
          </WarningText>
          <div className="button-group">
            <DownloadButton url={() => result.slipsUrl} fileName="phieu-tai-khoan.pdf" onError={problems.fail} onStart={problems.clear} testId="download-slips">
              {t('Tải phiếu tài khoản để phát cho học sinh (PDF)', 'Download the slips to hand out (PDF)')}
            </DownloadButton>
            <DownloadButton url={() => result.teacherListUrl} fileName="danh-sach-tai-khoan.xlsx" onError={problems.fail} onStart={problems.clear} testId="download-teacher-list">
              {t('Tải danh sách cho giáo viên chủ nhiệm (XLSX)', "Download the class teacher's list (XLSX)")}
            </DownloadButton>
          </div>
        </section>
      )}
      <p>
        {t(
          'Mỗi học sinh nhận tên đăng nhập (số định danh) và một mật khẩu lần đầu, phải đổi ngay khi đăng nhập. Mật khẩu không bao giờ hiện trên màn hình: chúng nằm trong phiếu in và danh sách cho giáo viên.',
          'Each student gets a username (their ID number) and a first password to change at the first sign-in. Passwords are never shown on screen: they are in the printed slips and the class teacher’s list.',
        )}
      </p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void issue();
        }}
      >
        <Select
          field="issue-className"
          label={t('Lớp', 'Class')}
          hint={t('Chọn “Mọi lớp” để cấp cho mọi học sinh của điểm chưa có tài khoản.', 'Choose “Every class” to issue to every student of the point without an account.')}
          value={className}
          onChange={(v) => {
            setClassName(v);
            setConfirming(false);
          }}
          // the empty choice is the select's own first option: a second one would show "—" above "Every class"
          placeholder={t('Mọi lớp', 'Every class')}
          options={[
            ...(classes ?? []).map((k) => ({
              value: k.className,
              label: t(`${k.className}: ${num(k.candidates)} học sinh, đã cấp ${num(k.issued)}, đã đăng nhập ${num(k.signedIn)}`, `${k.className}: ${num(k.candidates)} students, ${num(k.issued)} issued, ${num(k.signedIn)} signed in`),
            })),
            // a class named in the address but not at this point stays visible, so the server's error shows on it
            ...(className && classes && !classes.some((k) => k.className === className) ? [{ value: className, label: className }] : []),
          ]}
          findings={classFindings}
        />
        <Checkbox
          field="issue-reissue"
          label={t('Cấp lại mật khẩu mới cho cả lớp', 'Re-issue new passwords to the whole class')}
          hint={t('Mật khẩu cũ và các phiên đăng nhập của các em sẽ hết hiệu lực.', 'Their old passwords and sessions stop working.')}
          checked={reissue}
          onChange={setReissue}
        />
        {confirming ? (
          <div role="alertdialog" aria-labelledby="reissue-confirm-title" className="confirm-box" data-testid="reissue-confirm">
            <p id="reissue-confirm-title">
              <strong>
                {t(
                  `Cấp lại mật khẩu cho cả lớp ${className}? Mật khẩu cũ và các phiên đăng nhập của ${num(classes?.find((k) => k.className === className)?.issued ?? 0)} học sinh sẽ hết hiệu lực.`,
                  `Re-issue the passwords of the whole class ${className}? The old passwords and sessions of ${num(classes?.find((k) => k.className === className)?.issued ?? 0)} students stop working.`,
                )}
              </strong>
            </p>
            <div className="button-group">
              <Button type="submit" variant="warning" busy={busy}>
                {t('Xác nhận cấp lại', 'Confirm the re-issue')}
              </Button>
              <Button type="button" variant="secondary" onClick={() => setConfirming(false)}>
                {t('Huỷ', 'Cancel')}
              </Button>
            </div>
          </div>
        ) : (
          <Button type="submit" variant={reissue ? 'warning' : undefined} busy={busy}>
            {reissue ? t('Cấp lại mật khẩu', 'Re-issue passwords') : t('Cấp tài khoản', 'Issue accounts')}
          </Button>
        )}
      </form>
      <p>
        <Link to="/point/import">{t('Chưa có danh sách? Nhập danh sách lớp trước', 'No list yet? Import a class list first')}</Link>
      </p>
    </>
  );
}

type FormNumbers = { assigned: number; first: string | null; last: string | null };

export function ExportsPage() {
  const { t, num } = useI18n();
  usePageTitle(t('In và xuất danh sách', 'Print and export'));
  const { user } = useSession();
  const pointId = user?.orgUnitId ?? '';
  const [className, setClassName] = useState('');
  const [classes, setClasses] = useState<PointClass[] | null>(null);
  const [numbers, setNumbers] = useState<FormNumbers | null>(null);
  const [busy, setBusy] = useState(false);
  const problems = useProblems();
  const classFindings = problems.findings.filter((f) => f.field === 'className');
  // the class is chosen from the point's own list (as on the accounts page), never typed: a typed name missed
  // on case or spacing ("12a1") and the download came back empty
  useEffect(() => {
    if (!pointId) return;
    issuanceApi.classes(pointId).then((r) => setClasses(r.items), problems.fail);
  }, [pointId]);
  /** the class the two class exports need, or null after saying so */
  const chosenClass = (): string | null => {
    const c = className.trim();
    if (c) return c;
    problems.fields([{ code: 'REQUIRED', field: 'className', severity: 'error', vi: 'Hãy chọn lớp.', en: 'Choose the class.' }]);
    return null;
  };
  const assign = async () => {
    setBusy(true);
    problems.clear();
    setNumbers(null);
    try {
      setNumbers(await pointApi.assignFormNumbers(pointId));
    } catch (e) {
      problems.fail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h1>{t('In và xuất danh sách', 'Print and export')}</h1>
      <ErrorSummary findings={problems.findings} message={problems.message} fieldIdOf={(f) => (f === 'className' ? 'export-className' : fieldId(f))} />
      <section aria-labelledby="numbers-title">
        <h2 id="numbers-title">{t('Số phiếu đăng ký', 'Form numbers')}</h2>
        <p>
          {t(
            'Đánh số phiếu cho mọi hồ sơ đã nộp chưa có số, theo thứ tự tên. Số đã cấp không thay đổi và không dùng lại.',
            'Numbers every submitted registration without a number, in name order. A number given never changes and is never reused.',
          )}
        </p>
        {numbers && (
          <NotificationBanner title={t('Đã đánh số phiếu', 'Form numbers assigned')} kind="success">
            <p data-testid="form-numbers-result">
              {numbers.assigned === 0
                ? t('Mọi hồ sơ đã nộp đều đã có số phiếu.', 'Every submitted registration already has a number.')
                : t(`Đã đánh số ${num(numbers.assigned)} phiếu: từ ${numbers.first} đến ${numbers.last}.`, `${num(numbers.assigned)} numbered: ${numbers.first} to ${numbers.last}.`)}
            </p>
          </NotificationBanner>
        )}
        <Button busy={busy} onClick={() => void assign()}>
          {t('Đánh số phiếu đăng ký', 'Assign form numbers')}
        </Button>
      </section>
      <section aria-labelledby="lists-title">
        <h2 id="lists-title">{t('Danh sách thí sinh ký xác nhận', 'Lists for candidates to sign')}</h2>
        <p>{t('Danh sách theo thứ tự tên, dạng XLSX để in.', 'Lists in name order, as XLSX to print.')}</p>
        <p>
          <DownloadButton url={() => exportsApi.listXlsxUrl(pointId)} fileName="danh-sach.xlsx" onError={problems.fail} onStart={problems.clear} testId="export-point-list">
            {t('Tải danh sách cả điểm (XLSX)', 'Download the whole point’s list (XLSX)')}
          </DownloadButton>
        </p>
        <h3>{t('Theo lớp', 'By class')}</h3>
        {classes && classes.length === 0 ? (
          <p data-testid="export-no-classes">
            {t('Điểm chưa có lớp nào. ', 'The point has no class yet. ')}
            <Link to="/point/import">{t('Nhập danh sách lớp', 'Import a class list')}</Link>
          </p>
        ) : (
          <Select
            field="export-className"
            label={t('Lớp', 'Class')}
            placeholder={t('Chọn lớp', 'Choose the class')}
            value={className}
            onChange={setClassName}
            options={(classes ?? []).map((k) => ({ value: k.className, label: t(`${k.className}: ${num(k.candidates)} học sinh`, `${k.className}: ${num(k.candidates)} students`) }))}
            findings={classFindings}
          />
        )}
        <div className="button-group">
          <DownloadButton url={() => (chosenClass() ? exportsApi.listXlsxUrl(pointId, className.trim()) : null)} fileName="danh-sach-lop.xlsx" onError={problems.fail} onStart={problems.clear} testId="export-class-list">
            {t('Tải danh sách lớp (XLSX)', 'Download the class list (XLSX)')}
          </DownloadButton>
          <DownloadButton url={() => (chosenClass() ? exportsApi.classFormsPdfUrl(pointId, className.trim()) : null)} fileName="phieu-dang-ky-lop.pdf" onError={problems.fail} onStart={problems.clear} testId="export-class-forms">
            {t('In tất cả phiếu đăng ký của lớp (PDF)', 'Print every registration form of the class (PDF)')}
          </DownloadButton>
        </div>
      </section>
      <section aria-labelledby="exam-files-title">
        <h2 id="exam-files-title">{t('Giấy báo dự thi và danh sách phòng thi', 'Exam notices and room lists')}</h2>
        <p>
          {t(
            'Có sau khi Sở GD&ĐT đánh số báo danh. Giấy báo dự thi in theo lớp ở trên (theo số báo danh); danh sách phòng thi gồm các thí sinh của điểm.',
            'Available once the department has numbered the candidates. Notices print for the class above (in number order); the room lists hold the point’s candidates.',
          )}
        </p>
        <div className="button-group">
          <DownloadButton url={() => (chosenClass() ? examApi.classNoticesUrl(pointId, className.trim()) : null)} fileName="giay-bao-du-thi-lop.pdf" onError={problems.fail} onStart={problems.clear} testId="export-class-notices">
            {t('In giấy báo dự thi của lớp (PDF)', 'Print the class’s exam notices (PDF)')}
          </DownloadButton>
          <DownloadButton url={() => examApi.pointRoomsUrl(pointId)} fileName="danh-sach-phong-thi.xlsx" onError={problems.fail} onStart={problems.clear} testId="export-point-rooms">
            {t('Tải danh sách phòng thi (XLSX)', 'Download the room lists (XLSX)')}
          </DownloadButton>
        </div>
      </section>
    </>
  );
}
