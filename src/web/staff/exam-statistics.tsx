// The published results as the ministry reports them: each paper's score distribution (phổ điểm, a bar per
// 0.25 band with its data table), the published figures per paper, graduation rates by candidate type,
// the provinces side by side (for the ministry), and the score reviews. The ministry sees the nation and
// any province; a department its own council.
import { useEffect, useMemo, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { resultsStatsApi, type ResultsStats } from '../api/staff-endpoints.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { Link, useLocation, usePageTitle } from '../router.tsx';
import { useSession } from '../session.tsx';
import { ErrorSummary, Spinner } from '../components/feedback.tsx';
import { Select } from '../components/forms.tsx';
import { BarChart } from './chart.tsx';
import subjectsFile from '../../../reference/subjects.json' with { type: 'json' };

const SUBJECTS = new Map<string, Bilingual>(subjectsFile.subjects.map((s) => [s.code, { vi: s.vi, en: s.en }]));
const TYPES: Record<string, Bilingual> = { current: { vi: 'Học sinh lớp 12', en: 'In school (grade 12)' }, free: { vi: 'Thí sinh tự do', en: 'Free candidates' } };
/** band i starts at i × 0.25; the last is 10 alone */
const BAND_STARTS = Array.from({ length: 41 }, (_, i) => i / 4);

type Grad = ResultsStats['graduation']['total'];

export function ExamStatisticsPage() {
  const { t, num, pick, dateTime } = useI18n();
  usePageTitle(t('Phổ điểm và tỉ lệ tốt nghiệp', 'Score distributions and graduation rates'));
  const { user } = useSession();
  const { query } = useLocation();
  const level = (query.get('level') as 'national' | 'department' | null) ?? (user?.role === 'ministry_admin' ? 'national' : 'department');
  const unit = level === 'department' ? (query.get('unit') ?? user?.departmentCode ?? undefined) : undefined;
  const [stats, setStats] = useState<ResultsStats | null>(null);
  const [error, setError] = useState<Bilingual | null>(null);
  const [subject, setSubject] = useState('');

  useEffect(() => {
    setStats(null);
    setError(null);
    resultsStatsApi
      .read(level, unit)
      .then((s) => {
        setStats(s);
        setSubject((cur) => (s.papers.some((p) => p.subject === cur) ? cur : (s.papers[0]?.subject ?? '')));
      })
      .catch((e: unknown) => setError(e instanceof ApiError ? e : { vi: 'Không tải được số liệu.', en: 'The figures could not be loaded.' }));
  }, [level, unit]);

  const subjectName = (code: string) => pick(SUBJECTS.get(code)) || code;
  const paper = stats?.papers.find((p) => p.subject === subject);
  const bandLabels = useMemo(() => BAND_STARTS.map((b) => num(b)), [num]);
  const score = (x: number | null) => (x === null ? '—' : num(x));
  const rate = (g: Grad) => (g.rate === null ? '—' : `${num(g.rate)}%`);
  const title = level === 'national' ? t('Toàn quốc', 'Country') : stats?.unitName || t(`Sở GD&ĐT ${unit ?? ''}`, `Department ${unit ?? ''}`);

  return (
    <>
      {level === 'department' && user?.role === 'ministry_admin' && (
        <ol className="breadcrumbs">
          <li>
            <Link to="/exam/statistics">{t('Toàn quốc', 'Country')}</Link>
          </li>
        </ol>
      )}
      <span className="caption">{t('Kết quả thi tốt nghiệp THPT', 'Upper-secondary graduation exam results')}</span>
      <h1>{title}</h1>
      <ErrorSummary findings={[]} message={error} />
      {!stats && !error && <Spinner label={{ vi: 'Đang tải số liệu', en: 'Loading figures' }} />}
      {stats && (
        <>
          <p className="hint">
            {t('Kỳ thi', 'Exam year')} {stats.examYear} ·{' '}
            {stats.councils.length === 0
              ? t('chưa có hội đồng thi nào công bố điểm.', 'no council has published its marks yet.')
              : level === 'department'
                ? t(`số liệu theo lần công bố ${stats.councils[0]!.version} (${dateTime(stats.councils[0]!.computedAt)}).`, `figures as of publication ${stats.councils[0]!.version} (${dateTime(stats.councils[0]!.computedAt)}).`)
                : t(`${num(stats.councils.length)} hội đồng thi đã công bố điểm.`, `${num(stats.councils.length)} councils have published their marks.`)}
          </p>

          <h2>{t('Tốt nghiệp', 'Graduation')}</h2>
          <div className="grid grid--3">
            <div className="stat">
              <span className="stat__value" data-testid="graduation-rate">{rate(stats.graduation.total)}</span>
              {t('Tỉ lệ tốt nghiệp', 'Graduation rate')}
            </div>
            <div className="stat">
              <span className="stat__value">{num(stats.graduation.total.passed)}</span>
              {t('Đỗ tốt nghiệp', 'Graduated')}
            </div>
            <div className="stat">
              <span className="stat__value">{num(stats.graduation.total.failed)}</span>
              {t('Không đỗ', 'Not graduated')}
            </div>
          </div>
          <p className="hint">
            {t(
              `Tỉ lệ tính trên số thí sinh đã có kết quả; ${num(stats.graduation.total.incomplete)} thí sinh còn thiếu dữ liệu (điểm trung bình các năm học) chưa được tính.`,
              `The rate is over candidates with a decided result; ${num(stats.graduation.total.incomplete)} still missing data (school-year averages) are not counted.`,
            )}
          </p>
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">{t('Tốt nghiệp theo diện thí sinh', 'Graduation by candidate type')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('Diện thí sinh', 'Candidate type')}</th>
                  <th scope="col" className="num">{t('Đỗ', 'Passed')}</th>
                  <th scope="col" className="num">{t('Không đỗ', 'Failed')}</th>
                  <th scope="col" className="num">{t('Thiếu dữ liệu', 'Incomplete')}</th>
                  <th scope="col" className="num">{t('Tỉ lệ', 'Rate')}</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(stats.graduation.byCandidateType).map(([k, g]) => (
                  <tr key={k}>
                    <th scope="row">{pick(TYPES[k]) || k}</th>
                    <td className="num">{num(g.passed)}</td>
                    <td className="num">{num(g.failed)}</td>
                    <td className="num">{num(g.incomplete)}</td>
                    <td className="num">{rate(g)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <h2>{t('Phổ điểm', 'Score distribution')}</h2>
          {stats.papers.length === 0 ? (
            <p>{t('Chưa có điểm được công bố.', 'No marks published yet.')}</p>
          ) : (
            <>
              <Select field="paper" label={t('Môn thi', 'Paper')} value={subject} onChange={setSubject} options={stats.papers.map((p) => ({ value: p.subject, label: subjectName(p.subject) }))} />
              {paper && (
                <>
                  <BarChart labels={bandLabels} values={paper.bands} label={t(`Phổ điểm môn ${subjectName(paper.subject)}`, `${subjectName(paper.subject)}: candidates per score band`)} />
                  <p className="hint">{t('Mỗi cột gồm các điểm từ mốc của cột đến dưới mốc tiếp theo (cách 0,25); cột cuối là điểm 10.', 'Each bar holds the scores from its mark up to the next (0.25 apart); the last bar is 10.')}</p>
                </>
              )}
              <div className="table-wrap">
                <table className="table" data-testid="papers-table">
                  <caption className="visually-hidden">{t('Số liệu phổ điểm theo môn', 'Figures per paper')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('Môn', 'Paper')}</th>
                      <th scope="col" className="num">{t('Số thí sinh', 'Candidates')}</th>
                      <th scope="col" className="num">{t('Điểm trung bình', 'Mean')}</th>
                      <th scope="col" className="num">{t('Trung vị', 'Median')}</th>
                      <th scope="col" className="num">{t('Điểm nhiều thí sinh đạt nhất', 'Most frequent score')}</th>
                      <th scope="col" className="num">{t('≤ 1 (điểm liệt)', '≤ 1 (eliminating)')}</th>
                      <th scope="col" className="num">{t('Dưới 5', 'Below 5')}</th>
                      <th scope="col" className="num">{t('Từ 5', '5 or more')}</th>
                      <th scope="col" className="num">{t('Từ 8', '8 or more')}</th>
                      <th scope="col" className="num">{t('Điểm 10', 'Tens')}</th>
                      <th scope="col" className="num">{t('Vắng thi', 'Absent')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {stats.papers.map((p) => (
                      <tr key={p.subject}>
                        <th scope="row">{subjectName(p.subject)}</th>
                        <td className="num">{num(p.count)}</td>
                        <td className="num">{score(p.mean)}</td>
                        <td className="num">{score(p.median)}</td>
                        <td className="num">{p.modes.length ? p.modes.map((m) => num(m)).join('; ') : '—'}</td>
                        <td className="num">{num(p.atOrBelow1)}</td>
                        <td className="num">{num(p.below5)}</td>
                        <td className="num">{num(p.atLeast5)}</td>
                        <td className="num">{num(p.atLeast8)}</td>
                        <td className="num">{num(p.tens)}</td>
                        <td className="num">{num(p.absent)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}

          {level === 'national' && (
            <>
              <h2>{t('Theo tỉnh/thành phố', 'By province')}</h2>
              <div className="table-wrap">
                <table className="table" data-testid="provinces-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('Tỉnh/thành phố', 'Province')}</th>
                      <th scope="col" className="num">{t('Lần công bố', 'Publication')}</th>
                      <th scope="col" className="num">{t('Đỗ', 'Passed')}</th>
                      <th scope="col" className="num">{t('Không đỗ', 'Failed')}</th>
                      <th scope="col" className="num">{t('Tỉ lệ tốt nghiệp', 'Graduation rate')}</th>
                      <th scope="col" className="num">{t('Điểm TB Toán', 'Mean, Toán')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {stats.provinces.map((p) => (
                      <tr key={p.unit}>
                        <td>
                          <Link to={`/exam/statistics?level=department&unit=${encodeURIComponent(p.unit)}`}>{p.name}</Link> <span className="hint">({p.code})</span>
                        </td>
                        <td className="num">{p.version === null ? t('chưa', 'not yet') : num(p.version)}</td>
                        <td className="num">{num(p.graduation.passed)}</td>
                        <td className="num">{num(p.graduation.failed)}</td>
                        <td className="num">{rate(p.graduation)}</td>
                        <td className="num">{score(p.means['TOAN'] ?? null)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}

          <h2>{t('Phúc khảo', 'Score reviews')}</h2>
          {stats.reviews === null || stats.reviews.requested === 0 ? (
            <p data-testid="reviews-none">{t('Chưa có yêu cầu phúc khảo nào.', 'No score review has been asked for yet.')}</p>
          ) : (
            <div className="grid grid--3">
              <div className="stat">
                <span className="stat__value">{num(stats.reviews.requested)}</span>
                {t('Bài thi đề nghị phúc khảo', 'Papers asked for review')}
              </div>
              <div className="stat">
                <span className="stat__value">{num(stats.reviews.decided)}</span>
                {t('Đã có kết quả', 'Decided')}
              </div>
              <div className="stat">
                <span className="stat__value">{num(stats.reviews.changed)}</span>
                {t('Được thay đổi điểm', 'Score changed')}
              </div>
            </div>
          )}
        </>
      )}
    </>
  );
}
