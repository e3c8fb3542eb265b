// The registration point: the verification queue with filters and bulk verify, one dossier with verify /
// return for correction (with a reason the candidate sees), print forms; class-list import and account
// issuance with printable slips.
import { useCallback, useEffect, useRef, useState } from 'react';
import { DOSSIER_SECTIONS, type Dossier } from '../../domain/dossier.ts';
import { RETURN_REASON_MAX, STATUS_LABELS, type DossierStatus } from '../../domain/lifecycle.ts';
import type { Finding } from '../../domain/messages.ts';
import { ApiError } from '../api/client.ts';
import { pointApi, type DossierStatusView, type DossierView, type ImportReport, type IssuedAccount, type QueueItem } from '../api/endpoints.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { Link, navigate, useLocation, usePageTitle } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Button, ErrorSummary, NotificationBanner, Spinner, StatusTag } from '../components/feedback.tsx';
import { Select, TextInput, Textarea } from '../components/forms.tsx';
import { SummaryCard, SummaryList } from '../components/lists.tsx';
import { BackLink } from '../components/layout.tsx';
import { SECTION_DEFS } from '../candidate/sections.tsx';

export function PointTabs() {
  const { t } = useI18n();
  const { path } = useLocation();
  const tabs = [
    { to: '/point', label: t('Hồ sơ cần duyệt', 'Verification queue') },
    { to: '/point/accounts', label: t('Cấp tài khoản', 'Issue accounts') },
    { to: '/point/import', label: t('Nhập danh sách lớp', 'Import class list') },
  ];
  return (
    <nav aria-label={t('Chức năng điểm tiếp nhận', 'Registration point')}>
      <ul className="nav-tabs">
        {tabs.map((x) => (
          <li key={x.to}>
            <Link to={x.to} aria-current={path === x.to ? 'page' : undefined}>
              {x.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function QueuePage() {
  const { t, pick } = useI18n();
  usePageTitle(t('Hồ sơ cần duyệt', 'Verification queue'));
  const { query } = useLocation();
  const [status, setStatus] = useState(query.get('status') ?? 'submitted');
  const [q, setQ] = useState(query.get('q') ?? '');
  const [items, setItems] = useState<QueueItem[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [error, setError] = useState<Bilingual | null>(null);
  const [done, setDone] = useState<Bilingual | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    async (cursor?: string) => {
      const p = new URLSearchParams();
      if (status) p.set('status', status);
      if (q.trim()) p.set('q', q.trim());
      if (cursor) p.set('cursor', cursor);
      p.set('limit', '50');
      try {
        const r = await pointApi.queue(p);
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
    setBusy(true);
    try {
      const r = await pointApi.verify(chosen.map((i) => ({ dossierId: i.dossier!.id, version: i.dossier!.version })));
      const ok = r.results.filter((x) => x.ok).length;
      const failed = r.results.filter((x) => !x.ok);
      setDone({
        vi: `Đã xác nhận ${ok} hồ sơ.${failed.length ? ` ${failed.length} hồ sơ chưa xác nhận được: ${failed.map((f) => f.vi ?? f.code).join('; ')}` : ''}`,
        en: `${ok} verified.${failed.length ? ` ${failed.length} could not be: ${failed.map((f) => f.en ?? f.code).join('; ')}` : ''}`,
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
      <PointTabs />
      <h1>{t('Hồ sơ cần duyệt', 'Verification queue')}</h1>
      <ErrorSummary findings={[]} message={error} />
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
                      <td>{d?.subjectsCombo ?? ''}</td>
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
          <div className="button-group">
            <Button busy={busy} onClick={() => void verifyAll()} disabled={selected.length === 0}>
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
        return (
          <SummaryCard key={s.id} title={pick(s)}>
            <SummaryList rows={value === undefined ? [{ key: t('Chưa khai', 'Not filled in'), value: '' }] : SECTION_DEFS[s.id].summary(value, lang, t)} />
          </SummaryCard>
        );
      })}
      {view.photoUploaded && (
        <p>
          <img src={`/api/dossiers/${encodeURIComponent(id)}/photo`} alt={t('Ảnh thí sinh', 'Candidate photo')} width={160} />
        </p>
      )}
      <h2>{t('Xử lý hồ sơ', 'Decide')}</h2>
      {view.status === 'submitted' && (
        <Button busy={busy} onClick={() => void act(() => pointApi.verify([{ dossierId: id, version: view.version }]).then((r) => {
          const f = r.results[0];
          if (f && !f.ok) throw new ApiError(409, { code: f.code ?? 'CONFLICT', vi: f.vi ?? '', en: f.en ?? '' });
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

export function ImportPage() {
  const { t, pick } = useI18n();
  usePageTitle(t('Nhập danh sách lớp', 'Import a class list'));
  const { user } = useSession();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<Bilingual | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (dryRun: boolean) => {
    if (!file || !user) {
      setError({ vi: 'Hãy chọn tệp danh sách lớp (XLSX hoặc CSV).', en: 'Choose the class-list file (XLSX or CSV).' });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setReport(await pointApi.importClassList(user.orgUnitId, file, dryRun));
    } catch (e) {
      setError(e instanceof ApiError ? e : null);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PointTabs />
      <h1>{t('Nhập danh sách lớp', 'Import a class list')}</h1>
      <ErrorSummary findings={[]} message={error} />
      <p>{t('Tệp XLSX hoặc CSV, mỗi dòng một học sinh: họ và tên, ngày sinh, giới tính, số CCCD, lớp. Hệ thống kiểm tra trước khi nhập; không có gì được lưu cho đến khi bạn xác nhận.', 'An XLSX or CSV file, one student per row: full name, date of birth, gender, ID number, class. It is checked first; nothing is saved until you confirm.')}</p>
      <div className="form-group">
        <label className="label" htmlFor="class-list">
          {t('Tệp danh sách lớp', 'Class-list file')}
        </label>
        <input id="class-list" type="file" accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </div>
      <div className="button-group">
        <Button variant="secondary" busy={busy} onClick={() => void run(true)}>
          {t('Kiểm tra tệp', 'Check the file')}
        </Button>
        <Button busy={busy} onClick={() => void run(false)} disabled={!report || report.rejected > 0}>
          {t('Nhập danh sách', 'Import')}
        </Button>
      </div>
      {report && (
        <>
          <h2>{t('Báo cáo kiểm tra', 'Validation report')}</h2>
          <p>
            {t(`${report.accepted} dòng hợp lệ, ${report.rejected} dòng có lỗi.`, `${report.accepted} rows valid, ${report.rejected} with errors.`)}
          </p>
          {report.problems.length > 0 && (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('Dòng', 'Row')}</th>
                    <th scope="col">{t('Cột', 'Field')}</th>
                    <th scope="col">{t('Vấn đề', 'Problem')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.problems.map((p, i) => (
                    <tr key={i}>
                      <td className="num">{p.row}</td>
                      <td>{p.field ?? ''}</td>
                      <td>{pick(p)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </>
  );
}

export function AccountsPage() {
  const { t, pick } = useI18n();
  usePageTitle(t('Cấp tài khoản thí sinh', 'Issue candidate accounts'));
  const { user } = useSession();
  const [issued, setIssued] = useState<IssuedAccount[] | null>(null);
  const [error, setError] = useState<Bilingual | null>(null);
  const [busy, setBusy] = useState(false);
  const issue = async () => {
    if (!user) return;
    setBusy(true);
    try {
      setIssued((await pointApi.issueAccounts(user.orgUnitId, 'all_pending')).accounts);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e : null);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PointTabs />
      <h1>{t('Cấp tài khoản thí sinh', 'Issue candidate accounts')}</h1>
      <ErrorSummary findings={[]} message={error} />
      <p>{t('Cấp tài khoản cho mọi thí sinh chưa có tài khoản, rồi in phiếu tài khoản (tên đăng nhập và mật khẩu lần đầu) để phát cho từng em.', 'Issue an account to every candidate without one, then print the slips (username and first password) to hand out.')}</p>
      <div className="button-group">
        <Button busy={busy} onClick={() => void issue()}>
          {t('Cấp tài khoản cho thí sinh chưa có', 'Issue accounts to those without one')}
        </Button>
        {user && (
          <a className="button button--secondary" href={pointApi.slipsPdfUrl(user.orgUnitId)} download>
            {t('In phiếu tài khoản (PDF)', 'Print slips (PDF)')}
          </a>
        )}
      </div>
      {issued && (
        <>
          <NotificationBanner title={t('Đã cấp tài khoản', 'Accounts issued')} kind="success">
            <p>{t(`Đã cấp ${issued.length} tài khoản. Mật khẩu chỉ hiện một lần: hãy in phiếu ngay.`, `${issued.length} accounts issued. Passwords show only once: print the slips now.`)}</p>
          </NotificationBanner>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('Họ và tên', 'Name')}</th>
                  <th scope="col">{t('Lớp', 'Class')}</th>
                  <th scope="col">{t('Tên đăng nhập', 'Username')}</th>
                  <th scope="col">{t('Mật khẩu lần đầu', 'First password')}</th>
                </tr>
              </thead>
              <tbody>
                {issued.map((a) => (
                  <tr key={a.userId}>
                    <td>{a.displayName}</td>
                    <td>{a.className ?? ''}</td>
                    <td>{a.username}</td>
                    <td>
                      <code>{a.oneTimePassword}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>
            <button type="button" className="button button--secondary no-print" onClick={() => window.print()}>
              {t('In trang này', 'Print this page')}
            </button>
          </p>
        </>
      )}
      {error && <p className="hint">{pick({ vi: 'Chức năng cấp tài khoản hàng loạt cần API của nhóm tài khoản.', en: 'Bulk issuance needs the accounts team’s API.' })}</p>}
      <p>
        <Link to="/point/import" onClick={() => navigate('/point/import')}>
          {t('Chưa có danh sách? Nhập danh sách lớp trước', 'No list yet? Import a class list first')}
        </Link>
      </p>
    </>
  );
}
