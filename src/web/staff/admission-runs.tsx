// The national admission run for the ministry (issue 24, items 4 and 5): start a provisional run, read its
// figures (time per phase, hashes), publish it, see what a new run changed against the one it follows;
// and the dashboards: cut-offs by programme and combination, admissions by wish position (the share at
// wish 1), each chart with its table. An institution's officers see the same dashboard for their own
// programmes and download their admitted list (XLSX).
import { useEffect, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { admissionRunApi, type AdmissionChanges, type AdmissionDashboard, type AdmissionRun } from '../api/staff-endpoints.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { usePageTitle } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Button, ErrorSummary, NotificationBanner, Spinner } from '../components/feedback.tsx';
import { Radios, Textarea } from '../components/forms.tsx';
import { BarChart } from './chart.tsx';
import { DownloadButton } from './download-button.tsx';
import type { Finding } from '../../domain/messages.ts';

const KIND: Record<AdmissionRun['kind'], Bilingual> = {
  queued: { vi: 'Đang chờ', en: 'Queued' },
  running: { vi: 'Đang chạy', en: 'Running' },
  provisional: { vi: 'Tạm thời', en: 'Provisional' },
  published: { vi: 'Đã công bố', en: 'Published' },
  superseded: { vi: 'Đã được thay thế', en: 'Superseded' },
  failed: { vi: 'Lỗi', en: 'Failed' },
};

const problem = (e: unknown): { message: Bilingual; findings: Finding[] } =>
  e instanceof ApiError ? { message: e, findings: e.fields } : { message: { vi: 'Đã có lỗi, xin thử lại.', en: 'Something went wrong; please try again.' }, findings: [] };

function usePoints() {
  const { lang } = useI18n();
  return (centi: number | null) => (centi === null ? '—' : lang === 'vi' ? (centi / 100).toFixed(2).replace('.', ',') : (centi / 100).toFixed(2));
}

export function AdmissionRunsPage() {
  const { t, pick, num, dateTime } = useI18n();
  usePageTitle(t('Xét tuyển đại học', 'University admission run'));
  const [runs, setRuns] = useState<AdmissionRun[] | null>(null);
  const [error, setError] = useState<{ message: Bilingual; findings: Finding[] } | null>(null);
  const [reason, setReason] = useState('');
  // once a result is published: how the next run treats it (recompute needs a reason)
  const [policy, setPolicy] = useState<'protect-published' | 'recompute'>('protect-published');
  const [busy, setBusy] = useState<string | null>(null);
  const [changes, setChanges] = useState<AdmissionChanges | null>(null);
  const [done, setDone] = useState<Bilingual | null>(null);
  const [dashKey, setDashKey] = useState(0);
  // the run asked for from this page: followed until it ends, then announced
  const [waitingFor, setWaitingFor] = useState<string | null>(null);
  const load = () =>
    admissionRunApi.list().then(
      (r) => setRuns(r.runs),
      (e: unknown) => setError(problem(e)),
    );
  useEffect(() => {
    void load();
  }, []);
  // the run goes on in the job worker: while one is queued or under way, the list is read again every second
  const active = runs?.some((r) => r.kind === 'queued' || r.kind === 'running') ?? false;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => void load(), 1000);
    return () => clearInterval(timer);
  }, [active]);
  useEffect(() => {
    const r = waitingFor ? runs?.find((x) => x.id === waitingFor) : undefined;
    if (!r || r.kind === 'queued' || r.kind === 'running') return;
    setWaitingFor(null);
    setBusy(null);
    if (r.kind === 'failed') {
      const [vi, en] = (r.message ?? 'Lần chạy đã dừng. / The run stopped.').split(' / ');
      setError({ message: { vi: vi!, en: en ?? vi! }, findings: [] });
      return;
    }
    // a run after a publication says how many results it changed: the ministry checks them before publishing
    const changed = r.changed === null ? { vi: '', en: '' } : { vi: ` ${r.changed} thí sinh có kết quả thay đổi.`, en: ` ${r.changed} candidates' results changed.` };
    setDone({ vi: `Lần chạy tạm thời đã xong: ${r.admitted} thí sinh trúng tuyển.${changed.vi}`, en: `The provisional run finished: ${r.admitted} candidates admitted.${changed.en}` });
    setDashKey((k) => k + 1);
  }, [runs, waitingFor]);
  const published = runs?.find((r) => r.kind === 'published');
  const start = () => {
    setBusy('start');
    setError(null);
    setDone(null);
    admissionRunApi
      .start(published && policy === 'recompute' ? reason.trim() || undefined : undefined, published ? policy : undefined)
      .then((r) => {
        // answered at once: the run is queued; the button stays busy until the list shows it ended
        setWaitingFor(r.id);
        setReason('');
        return load();
      })
      .catch((e: unknown) => {
        setError(problem(e));
        setBusy(null);
      });
  };
  const publish = (id: string) => {
    setBusy(id);
    setError(null);
    setDone(null);
    admissionRunApi
      .publish(id)
      .then(() => {
        setDone({ vi: 'Đã công bố kết quả xét tuyển: thí sinh xem được kết quả của mình.', en: 'The admission result is published: candidates can see theirs.' });
        setDashKey((k) => k + 1);
        return load();
      })
      .catch((e: unknown) => setError(problem(e)))
      .finally(() => setBusy(null));
  };
  return (
    <>
      <span className="caption">{t('Bộ Giáo dục và Đào tạo', 'Ministry of Education and Training')}</span>
      <h1>{t('Xét tuyển đại học', 'University admission run')}</h1>
      <ErrorSummary findings={error?.findings ?? []} message={error?.message ?? null} />
      {done && (
        <NotificationBanner kind="success" title={t('Hoàn tất', 'Done')} focus>
          <p data-testid="admission-run-done">{pick(done)}</p>
        </NotificationBanner>
      )}
      <p className="hint">
        {t(
          'Một lần chạy xét tuyển các nguyện vọng đã nộp lệ phí và đủ điều kiện (thuật toán chấp nhận trì hoãn, thí sinh đề xuất). Kết quả tạm thời chỉ Bộ và các trường xem được; sau khi công bố, thí sinh xem kết quả của mình.',
          'One run over the paid, eligible wishes (candidate-proposing deferred acceptance). A provisional result is seen by the ministry and institutions only; once published, candidates see theirs.',
        )}
      </p>
      {published && (
        <Radios
          field="policy"
          label={t('Lần chạy sau khi đã công bố', 'A run after the publication')}
          value={policy}
          onChange={(v) => setPolicy(v === 'recompute' ? 'recompute' : 'protect-published')}
          options={[
            {
              value: 'protect-published',
              label: t('Giữ kết quả đã công bố', 'Protect the published result'),
              hint: t(
                'Không thí sinh nào mất kết quả đã công bố. Thí sinh được xét lên nguyện vọng cao hơn khi điểm mới (sau phúc khảo) đạt điểm chuẩn đã công bố của nguyện vọng đó, bổ sung ngoài chỉ tiêu nếu cần; chỗ họ để lại không được xét bù; thí sinh chưa trúng tuyển chỉ vào chỉ tiêu còn trống của ngành chưa tuyển đủ.',
                'No candidate loses a published admission. A candidate moves up to a higher wish when their new score (after a score review) reaches its published cut-off, admitted additionally beyond the quota if need be; the places they leave are not refilled; candidates not admitted before enter only free places of programmes that had not filled.',
              ),
            },
            {
              value: 'recompute',
              label: t('Tính lại từ đầu', 'Recompute from scratch'),
              hint: t('Kết quả ổn định cho điểm mới; có thể lấy lại kết quả đã công bố, nên cần nêu lý do (được ghi nhật ký).', 'The stable outcome for the new scores; it may take published admissions back, so it needs a reason (audited).'),
            },
          ]}
        />
      )}
      {published && policy === 'recompute' && (
        <Textarea
          field="reason"
          label={t('Lý do tính lại từ đầu (bắt buộc)', 'Reason for recomputing from scratch (required)')}
          hint={t('Ví dụ: chỉ tiêu của một ngành được đính chính. Ít nhất 10 ký tự.', "E.g. a programme's quota was corrected. At least 10 characters.")}
          findings={error?.findings.filter((f) => f.field === 'reason')}
          value={reason}
          onChange={setReason}
          maxLength={500}
        />
      )}
      <Button busy={busy === 'start'} onClick={start} data-testid="start-run">
        {t('Chạy xét tuyển tạm thời', 'Start a provisional run')}
      </Button>
      {!runs && !error && <Spinner label={{ vi: 'Đang tải', en: 'Loading' }} />}
      {runs && runs.length > 0 && (
        <>
          <h2>{t('Các lần chạy', 'Runs')}</h2>
          <div className="table-wrap" tabIndex={0} role="region" aria-label={t('Các lần chạy', 'Runs')}>
            <table className="table" data-testid="runs">
              <thead>
                <tr>
                  <th>{t('Bắt đầu', 'Started')}</th>
                  <th>{t('Trạng thái', 'State')}</th>
                  <th className="num">{t('Nguyện vọng', 'Wishes')}</th>
                  <th className="num">{t('Trúng tuyển', 'Admitted')}</th>
                  <th className="num">{t('Thay đổi', 'Changed')}</th>
                  <th>{t('Thời gian (đọc / khớp / băm / ghi)', 'Time (read / match / hash / store)')}</th>
                  <th>{t('Thao tác', 'Actions')}</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <tr key={r.id} data-kind={r.kind}>
                    <td>
                      {dateTime(r.startedAt)}
                      {r.policy && <div className="hint" data-testid="run-policy">{r.policy === 'recompute' ? t('Tính lại từ đầu', 'Recomputed from scratch') : t('Giữ kết quả đã công bố', 'Protects the published result')}</div>}
                      {r.reason && <div className="hint">{r.reason}</div>}
                    </td>
                    <td>
                      {pick(KIND[r.kind])}
                      {r.kind === 'failed' && r.message && <div className="hint">{r.message}</div>}
                    </td>
                    <td className="num">{num(r.wishes)}</td>
                    <td className="num">{num(r.admitted)}</td>
                    <td className="num">{r.changed === null ? '—' : num(r.changed)}</td>
                    <td>
                      {['read_ms', 'match_ms', 'hash_ms', 'store_ms'].map((k) => `${num((r.timings[k] ?? 0) / 1000)} s`).join(' / ')}
                      <div className="hint" title={r.resultHash ?? ''}>
                        SHA-256 {r.resultHash?.slice(0, 12) ?? '—'}…
                      </div>
                    </td>
                    <td>
                      {r.kind === 'provisional' && (
                        <Button busy={busy === r.id} onClick={() => publish(r.id)} data-testid="publish-run">
                          {t('Công bố', 'Publish')}
                        </Button>
                      )}
                      {r.changed !== null && (
                        <Button variant="secondary" onClick={() => admissionRunApi.changes(r.id).then(setChanges, (e: unknown) => setError(problem(e)))}>
                          {t('Xem thay đổi', 'See changes')}
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {changes && <ChangesTable changes={changes} />}
      {runs && runs.some((r) => r.kind === 'provisional' || r.kind === 'published') && <AdmissionDashboardView key={dashKey} load={() => admissionRunApi.national()} />}
    </>
  );
}

function ChangesTable({ changes }: { changes: AdmissionChanges }) {
  const { t, pick, num } = useI18n();
  return (
    <>
      <h2>{t(`Thí sinh có kết quả thay đổi (${num(changes.changes.length)})`, `Candidates whose result changed (${num(changes.changes.length)})`)}</h2>
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t('Thí sinh có kết quả thay đổi', 'Candidates whose result changed')}>
        <table className="table" data-testid="run-changes">
          <thead>
            <tr>
              <th>{t('Thí sinh', 'Candidate')}</th>
              <th>{t('Trước', 'Before')}</th>
              <th>{t('Sau', 'After')}</th>
              <th>{t('Lý do', 'Why')}</th>
            </tr>
          </thead>
          <tbody>
            {changes.changes.map((c) => (
              <tr key={c.candidateId}>
                <td>{c.candidateId}</td>
                <td>{c.before?.programmeId ? `${c.before.programmeId} (NV${c.before.wish})` : '—'}</td>
                <td>{c.after?.programmeId ? `${c.after.programmeId} (NV${c.after.wish})` : '—'}</td>
                <td>{pick(c)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The dashboard of a run: totals, admissions by wish position, cut-offs by combination and by programme. */
export function AdmissionDashboardView({ load }: { load: () => Promise<AdmissionDashboard> }) {
  const { t, pick, num } = useI18n();
  const pts = usePoints();
  const [d, setD] = useState<AdmissionDashboard | null>(null);
  const [error, setError] = useState<Bilingual | null>(null);
  useEffect(() => {
    load().then(setD, (e: unknown) => setError(problem(e).message));
  }, []);
  if (error) return <p>{pick(error)}</p>;
  if (!d) return <Spinner label={{ vi: 'Đang tải số liệu', en: 'Loading figures' }} />;
  const share = d.totals.shareAtFirstWish === null ? '—' : `${num(Math.round(d.totals.shareAtFirstWish * 1000) / 10)}%`;
  return (
    <section data-testid="admission-dashboard">
      <h2>
        {d.scope.kind === 'national' ? t('Toàn quốc', 'Country') : `${d.scope.code} — ${d.scope.name}`} · {pick(KIND[d.run.kind])}
      </h2>
      <div className="grid grid--3">
        <div className="stat">
          <span className="stat__value">{num(d.totals.admitted)}</span>
          {t(`trúng tuyển / ${num(d.totals.quota)} chỉ tiêu`, `admitted / ${num(d.totals.quota)} places`)}
        </div>
        <div className="stat">
          <span className="stat__value" data-testid="share-first-wish">
            {share}
          </span>
          {t('trúng tuyển nguyện vọng 1', 'admitted at wish 1')}
        </div>
        <div className="stat">
          <span className="stat__value">{num(d.totals.confirmed)}</span>
          {t('đã xác nhận nhập học', 'confirmed enrolment')}
        </div>
      </div>
      <h3>{t('Trúng tuyển theo thứ tự nguyện vọng', 'Admissions by wish position')}</h3>
      <BarChart labels={d.byWish.map((w) => `NV${w.wish}`)} values={d.byWish.map((w) => w.admitted)} label={t('Số trúng tuyển theo nguyện vọng', 'Admitted by wish')} />
      <h3>{t('Điểm chuẩn theo tổ hợp', 'Cut-offs by combination')}</h3>
      <BarChart
        labels={d.byCombination.map((c) => c.combination || '—')}
        values={d.byCombination.map((c) => (c.lowestMedian === null ? 0 : c.lowestMedian / 100))}
        label={t('Trung vị điểm trúng tuyển thấp nhất', 'Median of the lowest admitted score')}
      />
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t('Điểm chuẩn theo tổ hợp', 'Cut-offs by combination')}>
        <table className="table">
          <thead>
            <tr>
              <th>{t('Tổ hợp', 'Combination')}</th>
              <th className="num">{t('Ngành', 'Programmes')}</th>
              <th className="num">{t('Trúng tuyển', 'Admitted')}</th>
              <th className="num">{t('Thấp nhất', 'Lowest')}</th>
              <th className="num">{t('Trung vị', 'Median')}</th>
            </tr>
          </thead>
          <tbody>
            {d.byCombination.map((c) => (
              <tr key={c.combination}>
                <td>{c.combination || '—'}</td>
                <td className="num">{num(c.programmes)}</td>
                <td className="num">{num(c.admitted)}</td>
                <td className="num">{pts(c.lowestMin)}</td>
                <td className="num">{pts(c.lowestMedian)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>{t('Điểm chuẩn theo ngành', 'Cut-offs by programme')}</h3>
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t('Điểm chuẩn theo ngành', 'Cut-offs by programme')}>
        <table className="table" data-testid="cutoffs">
          <thead>
            <tr>
              <th>{t('Ngành – phương thức', 'Programme-method')}</th>
              <th className="num">{t('Chỉ tiêu', 'Places')}</th>
              <th className="num">{t('Đăng ký', 'Applicants')}</th>
              <th className="num">{t('Trúng tuyển', 'Admitted')}</th>
              <th className="num">{t('Điểm chuẩn', 'Cut-off')}</th>
              <th>{t('Theo tổ hợp', 'By combination')}</th>
            </tr>
          </thead>
          <tbody>
            {d.programmes.slice(0, 500).map((p) => (
              <tr key={p.programme.id}>
                <td>
                  {p.programme.id}
                  <div className="hint">{p.programme.name}</div>
                </td>
                <td className="num">{num(p.quota)}</td>
                <td className="num">{num(p.applicants)}</td>
                <td className="num">{num(p.admitted)}</td>
                <td className="num">{pts(p.cutoff)}</td>
                <td>{p.byCombination.map((c) => `${c.combination}: ${pts(c.lowest)} (${num(c.admitted)})`).join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {d.programmes.length > 500 && <p className="hint">{t(`Hiển thị 500 trên ${num(d.programmes.length)} ngành.`, `Showing 500 of ${num(d.programmes.length)} programmes.`)}</p>}
    </section>
  );
}

/** An institution's page: its dashboard and cut-offs, and its admitted list to download. */
export function InstitutionAdmissionPage() {
  const { t, pick } = useI18n();
  usePageTitle(t('Kết quả xét tuyển của trường', "The institution's admission results"));
  const { user } = useSession();
  const [error, setError] = useState<Bilingual | null>(null);
  const id = user?.orgUnitId ?? '';
  return (
    <>
      <h1>{t('Kết quả xét tuyển của trường', "The institution's admission results")}</h1>
      {error && (
        <NotificationBanner kind="warning" title={t('Chưa tải được', 'Could not load')}>
          <p>{pick(error)}</p>
        </NotificationBanner>
      )}
      <DownloadButton url={() => admissionRunApi.admittedListUrl(id)} fileName="danh-sach-trung-tuyen.xlsx" onError={(e) => setError(problem(e).message)} testId="download-admitted">
        {t('Tải danh sách trúng tuyển (XLSX)', 'Download the admitted list (XLSX)')}
      </DownloadButton>
      <AdmissionDashboardView load={() => admissionRunApi.institution(id)} />
    </>
  );
}
