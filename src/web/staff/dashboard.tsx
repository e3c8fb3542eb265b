// Department and ministry dashboards (also a point's own figures): registered, online share, progress per
// hour, subjects and combinations, and the children (provinces, then points) to drill down into.
import { useEffect, useMemo, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { statsApi, type StatsBreakdown, type StatsSummary } from '../api/staff-endpoints.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { Link, useLocation, usePageTitle } from '../router.tsx';
import { useSession } from '../session.tsx';
import { ErrorSummary, Spinner } from '../components/feedback.tsx';
import { BackLink } from '../components/layout.tsx';
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
  const aboveAll = role === 'ministry_admin' || role === 'support_agent';
  // the way back up from a drill-down: a point to its department, a department to the country
  const backTo =
    level === 'point' && parent && (aboveAll || role === 'department_officer')
      ? { to: `/dashboard?level=department&unit=${encodeURIComponent(parent.unit)}`, label: t(`Về ${parent.name}`, `Back to ${parent.name}`) }
      : level === 'department' && aboveAll
        ? { to: '/dashboard', label: t('Về số liệu toàn quốc', 'Back to the country') }
        : null;
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
      {backTo && <BackLink to={backTo.to}>{backTo.label}</BackLink>}
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
      {breakdown && breakdown.items.length > 0 && (level === 'national' ? <NationalTable items={breakdown.items} /> : <PointsTable items={breakdown.items} />)}
    </>
  );
}

type Item = StatsBreakdown['items'][number];
const sum = (xs: Item[], k: 'candidates' | 'accountsIssued' | 'registered' | 'online' | 'verified') => xs.reduce((a, x) => a + x[k], 0);

/**
 * The country by the 34 provinces of 1 July 2025 (what candidates choose from), each with the exam
 * departments it took over, by name. The 2026 exam codes are not published, so the departments are the
 * reference list's (2002–2025 codes); a department outside the merger table (65) is a row of its own.
 */
function NationalTable({ items }: { items: Item[] }) {
  const { t, num } = useI18n();
  const rows = new Map<string, { name: string; order: string; departments: Item[] }>();
  for (const i of items) {
    const key = i.province ? `p${i.province.code}` : `d${i.code}`;
    const row = rows.get(key) ?? { name: i.province?.name ?? i.name, order: i.province ? `0${i.province.code}` : `1${i.code}`, departments: [] };
    row.departments.push(i);
    rows.set(key, row);
  }
  const sorted = [...rows.values()].sort((a, b) => (a.order < b.order ? -1 : 1));
  return (
    <>
      <h2>{t('Theo tỉnh/thành phố', 'By province')}</h2>
      <p className="hint" data-testid="departments-note">
        {t(
          'Mã hội đồng thi năm 2026 của các sở chưa được công bố: các sở được liệt kê theo danh mục mã 2002–2025, xếp vào 34 tỉnh/thành phố sau sáp nhập ngày 1/7/2025.',
          'The exam departments’ 2026 codes are not published: departments are listed as in the 2002–2025 code list, under the 34 provinces after the merger of 1 July 2025.',
        )}
      </p>
      <div className="table-wrap">
        <table className="table" data-testid="national-table">
          <thead>
            <tr>
              <th scope="col">{t('Tỉnh/thành phố', 'Province')}</th>
              <th scope="col">{t('Sở GD&ĐT', 'Exam departments')}</th>
              <th scope="col" className="num">{t('Thí sinh', 'Candidates')}</th>
              <th scope="col" className="num">{t('Tài khoản đã cấp', 'Accounts issued')}</th>
              <th scope="col" className="num">{t('Đã nộp', 'Registered')}</th>
              <th scope="col" className="num">{t('Trực tuyến', 'Online')}</th>
              <th scope="col" className="num">{t('Đã xác nhận', 'Verified')}</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((r) => (
              <tr key={r.order}>
                <th scope="row">{r.name}</th>
                <td>
                  <ul className="list list--plain">
                    {r.departments.map((d) => (
                      <li key={d.unit}>
                        <Link to={`/dashboard?level=department&unit=${encodeURIComponent(d.unit)}`}>{d.name}</Link>
                      </li>
                    ))}
                  </ul>
                </td>
                <td className="num">{num(sum(r.departments, 'candidates'))}</td>
                <td className="num">{num(sum(r.departments, 'accountsIssued'))}</td>
                <td className="num">{num(sum(r.departments, 'registered'))}</td>
                <td className="num">{num(sum(r.departments, 'online'))}</td>
                <td className="num">{num(sum(r.departments, 'verified'))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function PointsTable({ items }: { items: Item[] }) {
  const { t, num } = useI18n();
  return (
    <>
      <h2>{t('Theo điểm tiếp nhận', 'By registration point')}</h2>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('Điểm tiếp nhận', 'Registration point')}</th>
              <th scope="col" className="num">{t('Tài khoản đã cấp', 'Accounts issued')}</th>
              <th scope="col" className="num">{t('Đã nộp', 'Registered')}</th>
              <th scope="col" className="num">{t('Trực tuyến', 'Online')}</th>
              <th scope="col" className="num">{t('Đã xác nhận', 'Verified')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.unit}>
                <td>
                  <Link to={`/dashboard?level=point&unit=${encodeURIComponent(i.unit)}`}>{i.name}</Link>
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
  );
}
