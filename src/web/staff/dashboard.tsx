// Department and ministry dashboards (also a point's own figures): registered, online share, progress per
// hour, subjects and combinations, and the children (provinces, then points) to drill down into.
import { useEffect, useMemo, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { statsApi, type StatsBreakdown, type StatsSummary } from '../api/staff-endpoints.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { Link, useLocation, usePageTitle } from '../router.tsx';
import { useSession } from '../session.tsx';
import { ErrorSummary, Spinner } from '../components/feedback.tsx';
import { BarChart } from './chart.tsx';
import subjectsFile from '../../../reference/subjects.json' with { type: 'json' };

const SUBJECTS = new Map<string, Bilingual>(subjectsFile.subjects.map((s) => [s.code, { vi: s.vi, en: s.en }]));

export function DashboardPage() {
  const { t, num, pick } = useI18n();
  /** a subject code ('LI') or a pair of electives ('LI+NN') by name: "Vật lí + Ngoại ngữ" */
  const subjectName = (code: string) =>
    code
      .split('+')
      .map((c) => {
        const s = SUBJECTS.get(c);
        return s ? pick(s) : c;
      })
      .join(' + ');
  usePageTitle(t('Thống kê', 'Dashboard'));
  const { user } = useSession();
  const { query } = useLocation();
  const role = user?.role;
  const level = (query.get('level') as 'national' | 'department' | 'point' | null) ?? (role === 'ministry_admin' || role === 'support_agent' ? 'national' : role === 'department_officer' ? 'department' : 'point');
  const unit = query.get('unit') ?? (level === 'department' ? (user?.departmentCode ?? undefined) : level === 'point' ? user?.orgUnitId : undefined);
  const [summary, setSummary] = useState<StatsSummary | null>(null);
  const [breakdown, setBreakdown] = useState<StatsBreakdown | null>(null);
  const [error, setError] = useState<Bilingual | null>(null);

  useEffect(() => {
    setSummary(null);
    setBreakdown(null);
    setError(null);
    statsApi
      .summary(level, unit ?? undefined)
      .then(setSummary)
      .catch((e: unknown) => setError(e instanceof ApiError ? e : null));
    if (level !== 'point')
      statsApi
        .breakdown(level, unit ?? undefined)
        .then(setBreakdown)
        .catch(() => setBreakdown(null));
  }, [level, unit]);

  const hours = useMemo(() => summary?.perHour ?? [], [summary]);
  const subjects = useMemo(() => Object.entries(summary?.bySubject ?? {}).sort((a, b) => b[1] - a[1]), [summary]);
  const combos = useMemo(() => Object.entries(summary?.byCombination ?? {}).sort((a, b) => b[1] - a[1]).slice(0, 15), [summary]);
  const hourLabels = useMemo(() => hours.map((h) => h.hour.replace('T', ' ').slice(5, 13) + 'h'), [hours]);
  const hourValues = useMemo(() => hours.map((h) => h.count), [hours]);
  const subjectLabels = useMemo(() => subjects.map(([k]) => subjectName(k)), [subjects, pick]);
  const subjectValues = useMemo(() => subjects.map(([, v]) => v), [subjects]);
  const comboLabels = useMemo(() => combos.map(([k]) => subjectName(k)), [combos, pick]);
  const comboValues = useMemo(() => combos.map(([, v]) => v), [combos]);

  const unitName = summary?.unitName ?? '';
  const title = level === 'national' ? t('Toàn quốc', 'Country') : level === 'department' ? unitName || t(`Sở GD&ĐT ${unit ?? ''}`, `Department ${unit ?? ''}`) : unitName || t('Điểm tiếp nhận', 'Registration point');
  const parent = summary?.parent ?? null;
  return (
    <>
      {level !== 'national' && (role === 'ministry_admin' || role === 'support_agent') && (
        <ol className="breadcrumbs">
          <li>
            <Link to="/dashboard">{t('Toàn quốc', 'Country')}</Link>
          </li>
          {level === 'point' && parent && (
            <li>
              <Link to={`/dashboard?level=department&unit=${encodeURIComponent(parent.unit)}`}>{parent.name}</Link>
            </li>
          )}
        </ol>
      )}
      <span className="caption">{level === 'point' ? t('Thống kê đăng ký dự thi · điểm tiếp nhận', 'Registration statistics · registration point') : t('Thống kê đăng ký dự thi', 'Registration statistics')}</span>
      <h1>{title}</h1>
      <ErrorSummary findings={[]} message={error} />
      {!summary && !error && <Spinner label={{ vi: 'Đang tải số liệu', en: 'Loading figures' }} />}
      {summary && (
        <>
          <p className="hint">
            {t('Kỳ thi', 'Exam year')} {summary.examYear}
          </p>
          <div className="grid grid--3">
            <div className="stat">
              <span className="stat__value" data-testid="stat-registered">{num(summary.registered.total)}</span>
              {t('Hồ sơ đã nộp', 'Registered')}
            </div>
            <div className="stat">
              <span className="stat__value">{summary.registered.onlineShare === null ? '—' : `${num(summary.registered.onlineShare)}%`}</span>
              {t('Tỉ lệ đăng ký trực tuyến', 'Online share')}
            </div>
            <div className="stat">
              <span className="stat__value" data-testid="stat-verified">{num(summary.dossiers.verified)}</span>
              {t('Đã xác nhận', 'Verified')}
            </div>
            <div className="stat">
              <span className="stat__value">{num(summary.accounts.issued)}</span>
              {t('Tài khoản đã cấp', 'Accounts issued')}
            </div>
            <div className="stat">
              <span className="stat__value">{num(summary.accounts.signedIn)}</span>
              {t('Đã đăng nhập', 'Signed in')}
            </div>
            <div className="stat">
              <span className="stat__value">{num(summary.dossiers.returned)}</span>
              {t('Đang trả lại để sửa', 'Returned for correction')}
            </div>
          </div>
          <h2>{t('Tiến độ theo giờ', 'Progress per hour')}</h2>
          {hours.length ? <BarChart kind="line" labels={hourLabels} values={hourValues} label={t('Hồ sơ nộp mỗi giờ', 'Submitted per hour')} /> : <p>{t('Chưa có hồ sơ nộp.', 'Nothing submitted yet.')}</p>}
          <div className="grid grid--2">
            <div>
              <h2>{t('Theo môn', 'By subject')}</h2>
              {subjects.length ? <BarChart labels={subjectLabels} values={subjectValues} label={t('Số thí sinh theo môn', 'Candidates per subject')} /> : <p>—</p>}
            </div>
            <div>
              <h2>{t('Theo tổ hợp', 'By combination')}</h2>
              {combos.length ? <BarChart labels={comboLabels} values={comboValues} label={t('Số thí sinh theo tổ hợp', 'Candidates per combination')} /> : <p>—</p>}
            </div>
          </div>
        </>
      )}
      {breakdown && breakdown.items.length > 0 && (
        <>
          <h2>{level === 'national' ? t('Theo tỉnh/thành phố', 'By province') : t('Theo điểm tiếp nhận', 'By registration point')}</h2>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{level === 'national' ? t('Tỉnh/thành phố', 'Province') : t('Điểm tiếp nhận', 'Registration point')}</th>
                  <th scope="col" className="num">{t('Tài khoản', 'Accounts')}</th>
                  <th scope="col" className="num">{t('Đã nộp', 'Registered')}</th>
                  <th scope="col" className="num">{t('Trực tuyến', 'Online')}</th>
                  <th scope="col" className="num">{t('Đã xác nhận', 'Verified')}</th>
                </tr>
              </thead>
              <tbody>
                {breakdown.items.map((i) => (
                  <tr key={i.unit}>
                    <td>
                      <Link
                        to={
                          level === 'national'
                            ? `/dashboard?level=department&unit=${encodeURIComponent(i.unit)}`
                            : `/dashboard?level=point&unit=${encodeURIComponent(i.unit)}`
                        }
                      >
                        {i.name}
                      </Link>{' '}
                      <span className="hint">({i.code})</span>
                    </td>
                    <td className="num">{num(i.accountsIssued)}</td>
                    <td className="num">{num(i.registered)}</td>
                    <td className="num">{num(i.online)}</td>
                    <td className="num">{num(i.verified)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
