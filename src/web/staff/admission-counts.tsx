// Live counts of admission wishes while candidates register them: an institution's officers see their
// programmes' wishes by position (1..n), paid and not; the ministry sees the national totals per payment
// group. Each page asks again every 30 s while shown and when the window regains focus; the server
// answers 304 while nothing changed (the browser revalidates with the ETag), and an unchanged answer
// leaves the page as it is.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import * as adm from '../../contracts/admission.ts';
import * as cat from '../../contracts/admission-catalogue.ts';
import type { OperationShape, ResponseOf } from '../../contracts/operation.ts';
import { call, callWith, type CallInput } from '../api/call.ts';
import { ApiError } from '../api/client.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { Link, usePageTitle } from '../router.tsx';
import { useSession } from '../session.tsx';
import { NotificationBanner, Spinner } from '../components/feedback.tsx';
import { BarChart as DrawnChart } from './chart.tsx';

/** The chart kept as it is while its figures are the same (each poll re-renders the page; a new chart would flicker). */
function BarChart({ labels, values, label }: { labels: string[]; values: number[]; label: string }) {
  const key = JSON.stringify([labels, values]);
  const same = useMemo(() => JSON.parse(key) as [string[], number[]], [key]);
  return <DrawnChart labels={same[0]} values={same[1]} label={label} />;
}

export const REFRESH_MS = 30_000;

const failure = (e: unknown): Bilingual => (e instanceof ApiError ? { vi: e.vi, en: e.en } : { vi: 'Chưa tải được số liệu, sẽ thử lại.', en: 'The figures could not be loaded; trying again.' });

/** An operation's answer, asked again every REFRESH_MS while the tab is visible and on focus; kept when the ETag is the same. */
function useLive<O extends OperationShape>(op: O, input: CallInput<O>, key: string) {
  const [data, setData] = useState<ResponseOf<O> | null>(null);
  const [error, setError] = useState<Bilingual | null>(null);
  const [at, setAt] = useState<Date | null>(null);
  const tag = useRef<string | null>(null);
  const inFlight = useRef(false);
  const latest = useRef(input);
  latest.current = input;
  const load = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      const r = await callWith(op, latest.current);
      setError(null);
      setAt(new Date());
      if (r.etag === null || r.etag !== tag.current) {
        tag.current = r.etag;
        setData(r.data);
      }
    } catch (e) {
      setError(failure(e));
    } finally {
      inFlight.current = false;
    }
  }, [op]);
  useEffect(() => {
    tag.current = null;
    void load();
    const tick = window.setInterval(() => {
      if (document.visibilityState === 'visible') void load();
    }, REFRESH_MS);
    const onFocus = () => void load();
    const onVisible = () => document.visibilityState === 'visible' && void load();
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(tick);
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [load, key]);
  return { data, error, at };
}

function Freshness({ at }: { at: Date | null }) {
  const { t, dateTime } = useI18n();
  if (!at) return null;
  return (
    <p className="hint" aria-live="off">
      {t(`Cập nhật lúc ${dateTime(at.toISOString())}; tự làm mới mỗi 30 giây.`, `Updated ${dateTime(at.toISOString())}; refreshed every 30 seconds.`)}
    </p>
  );
}

/** An institution's count of wishes by programme and position, paid and not (its admissions officers). */
/** The ministry's view of one institution's live counts: named from the institutions list, then the same page. */
export function MinistryInstitutionCountsPage({ institutionId }: { institutionId: string }) {
  const [label, setLabel] = useState<string | null>(null);
  useEffect(() => {
    call(cat.listInstitutions, {}).then(
      (l) => {
        const i = l.items.find((x) => x.id === institutionId);
        setLabel(i ? `${i.code} · ${i.name}` : institutionId);
      },
      () => setLabel(institutionId),
    );
  }, [institutionId]);
  return label === null ? <Spinner label={{ vi: 'Đang tải', en: 'Loading' }} /> : <InstitutionCountsPage institution={{ id: institutionId, label }} />;
}

/**
 * An institution's live counts: its own officers' page (their institution), and the ministry's view of any
 * one institution (`institution` given, reached from the institutions page), the same figures both ways.
 */
export function InstitutionCountsPage({ institution }: { institution?: { id: string; label: string } } = {}) {
  const { t, num, pick } = useI18n();
  usePageTitle(institution ? t(`Nguyện vọng đăng ký vào ${institution.label}`, `Wishes for ${institution.label}`) : t('Nguyện vọng đăng ký vào trường', 'Wishes for the institution'));
  const { user } = useSession();
  const id = institution?.id ?? user?.orgUnitId ?? '';
  const { data: c, error, at } = useLive(adm.institutionCounts, { params: { institutionId: id } }, id);
  const positions = c ? Array.from({ length: Math.max(c.positions, 1) }, (_, i) => i + 1) : [];
  const byPosition = positions.map((p) => (c ? c.programmes.reduce((a, x) => a + (x.byPosition[String(p)] ?? 0), 0) : 0));
  return (
    <>
      {institution && (
        <p>
          <Link to="/admission/institutions">{t('← Cơ sở đào tạo', '← Institutions')}</Link>
        </p>
      )}
      <h1>{institution ? t(`Nguyện vọng đăng ký vào ${institution.label}`, `Wishes for ${institution.label}`) : t('Nguyện vọng đăng ký vào trường', 'Wishes for the institution')}</h1>
      {error && (
        <NotificationBanner kind="warning" title={t('Chưa tải được', 'Could not load')}>
          <p>{pick(error)}</p>
        </NotificationBanner>
      )}
      {!c ? (
        !error && <Spinner label={{ vi: 'Đang tải', en: 'Loading' }} />
      ) : (
        <>
          <p className="lead" data-testid="counts-total" data-wishes={c.totals.wishes} data-candidates={c.totals.candidates} data-paid-candidates={c.totals.paidCandidates}>
            {t(
              `${num(c.totals.wishes)} nguyện vọng của ${num(c.totals.candidates)} thí sinh; ${num(c.totals.paidCandidates)} thí sinh đã nộp lệ phí, ${num(c.totals.candidates - c.totals.paidCandidates)} chưa nộp (${num(c.totals.paidWishes)} nguyện vọng đã nộp).`,
              `${num(c.totals.wishes)} wishes from ${num(c.totals.candidates)} candidates; ${num(c.totals.paidCandidates)} candidates have paid, ${num(c.totals.candidates - c.totals.paidCandidates)} have not (${num(c.totals.paidWishes)} wishes paid).`,
            )}
          </p>
          <Freshness at={at} />
          <h2>{t('Theo thứ tự nguyện vọng', 'By wish position')}</h2>
          <BarChart labels={positions.map((p) => `NV${p}`)} values={byPosition} label={t('Số nguyện vọng theo thứ tự', 'Wishes by position')} />
          <h2 id="counts-programmes">{t('Theo ngành', 'By programme')}</h2>
          <div className="table-wrap" role="region" aria-labelledby="counts-programmes" tabIndex={0}>
            <table className="table" data-testid="counts-programmes">
              <thead>
                <tr>
                  <th scope="col" className="table__name">
                    {t('Ngành', 'Programme')}
                  </th>
                  <th scope="col" className="num">
                    {t('Chỉ tiêu', 'Quota')}
                  </th>
                  <th scope="col" className="num">
                    {t('Tổng', 'Total')}
                  </th>
                  <th scope="col" className="num">
                    {t('Đã nộp lệ phí', 'Paid')}
                  </th>
                  <th scope="col" className="num">
                    {t('Chưa nộp', 'Unpaid')}
                  </th>
                  {positions.map((p) => (
                    <th scope="col" className="num" key={p}>
                      <abbr title={t(`Nguyện vọng ${p}`, `Wish ${p}`)}>NV{p}</abbr>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {c.programmes.map((p) => (
                  <tr key={p.id} data-programme={p.id}>
                    <th scope="row" className="table__name">
                      {p.name}
                      <div className="hint">
                        {p.code} · {p.method}
                      </div>
                    </th>
                    <td className="num">{num(p.quota)}</td>
                    <td className="num" data-testid={`wishes-${p.id}`}>
                      {num(p.wishes)}
                    </td>
                    <td className="num">{num(p.paidWishes)}</td>
                    <td className="num">{num(p.wishes - p.paidWishes)}</td>
                    {positions.map((n) => (
                      <td className="num" key={n} data-position={n}>
                        {num(p.byPosition[String(n)] ?? 0)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('Cả trường', 'All programmes')}</th>
                  <td className="num">{num(c.programmes.reduce((a, p) => a + p.quota, 0))}</td>
                  <td className="num">{num(c.totals.wishes)}</td>
                  <td className="num">{num(c.totals.paidWishes)}</td>
                  <td className="num">{num(c.totals.wishes - c.totals.paidWishes)}</td>
                  {byPosition.map((n, i) => (
                    <td className="num" key={i}>
                      {num(n)}
                    </td>
                  ))}
                </tr>
              </tfoot>
            </table>
          </div>
          <h2>{t('Số nguyện vọng theo ngành', 'Wishes by programme')}</h2>
          <BarChart labels={c.programmes.map((p) => `${p.code} ${p.method}`)} values={c.programmes.map((p) => p.wishes)} label={t('Số nguyện vọng theo ngành', 'Wishes by programme')} />
        </>
      )}
    </>
  );
}

const WINDOW: Record<ResponseOf<typeof adm.nationalTotals>['groups'][number]['windowState'], Bilingual> = {
  not_open: { vi: 'Chưa mở', en: 'Not open' },
  open: { vi: 'Đang mở', en: 'Open' },
  closed: { vi: 'Đã đóng', en: 'Closed' },
};

/** The ministry's national totals: candidates with a wish, wishes by position, fees collected and due per payment group. */
export function NationalTotalsPage() {
  const { t, num, pick } = useI18n();
  usePageTitle(t('Tổng hợp nguyện vọng toàn quốc', 'National admission totals'));
  const { data: x, error, at } = useLive(adm.nationalTotals, {}, 'national');
  return (
    <>
      <h1>{t('Tổng hợp nguyện vọng toàn quốc', 'National admission totals')}</h1>
      {error && (
        <NotificationBanner kind="warning" title={t('Chưa tải được', 'Could not load')}>
          <p>{pick(error)}</p>
        </NotificationBanner>
      )}
      {!x ? (
        !error && <Spinner label={{ vi: 'Đang tải', en: 'Loading' }} />
      ) : (
        <>
          <dl className="summary-list" data-testid="national-totals" data-candidates={x.candidates} data-wishes={x.wishes} data-collected={x.collectedVnd} data-due={x.dueVnd}>
            <div className="summary-list__row">
              <dt className="summary-list__key">{t('Thí sinh có nguyện vọng', 'Candidates with a wish')}</dt>
              <dd className="summary-list__value">{num(x.candidates)}</dd>
            </div>
            <div className="summary-list__row">
              <dt className="summary-list__key">{t('Nguyện vọng', 'Wishes')}</dt>
              <dd className="summary-list__value">
                {num(x.wishes)} {t(`(${num(x.paidWishes)} đã nộp lệ phí)`, `(${num(x.paidWishes)} paid)`)}
              </dd>
            </div>
            <div className="summary-list__row">
              <dt className="summary-list__key">{t('Lệ phí đã thu', 'Fees collected')}</dt>
              <dd className="summary-list__value">{num(x.collectedVnd)} đ</dd>
            </div>
            <div className="summary-list__row">
              <dt className="summary-list__key">{t('Lệ phí còn phải nộp', 'Fees due')}</dt>
              <dd className="summary-list__value">
                {num(x.dueVnd)} đ {t(`(${num(x.feePerWishVnd)} đ mỗi nguyện vọng)`, `(${num(x.feePerWishVnd)} VND a wish)`)}
              </dd>
            </div>
          </dl>
          <Freshness at={at} />
          <h2 id="totals-positions">{t('Nguyện vọng theo thứ tự', 'Wishes by position')}</h2>
          <BarChart labels={x.byPosition.map((p) => `NV${p.position}`)} values={x.byPosition.map((p) => p.wishes)} label={t('Số nguyện vọng theo thứ tự', 'Wishes by position')} />
          <div className="table-wrap" role="region" aria-labelledby="totals-positions" tabIndex={0}>
            <table className="table" data-testid="totals-positions">
              <thead>
                <tr>
                  <th scope="col">{t('Thứ tự', 'Position')}</th>
                  <th scope="col" className="num">
                    {t('Nguyện vọng', 'Wishes')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {x.byPosition.map((p) => (
                  <tr key={p.position} data-position={p.position}>
                    <th scope="row">NV{p.position}</th>
                    <td className="num">{num(p.wishes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2 id="totals-groups">{t('Theo nhóm tỉnh nộp lệ phí', 'By payment group')}</h2>
          <BarChart labels={x.groups.map((g) => g.code)} values={x.groups.map((g) => g.collectedVnd)} label={t('Lệ phí đã thu theo nhóm (đ)', 'Fees collected by group (VND)')} />
          <BarChart labels={x.groups.map((g) => g.code)} values={x.groups.map((g) => g.dueVnd)} label={t('Lệ phí còn phải nộp theo nhóm (đ)', 'Fees due by group (VND)')} />
          <div className="table-wrap" role="region" aria-labelledby="totals-groups" tabIndex={0}>
            <table className="table" data-testid="totals-groups">
              <thead>
                <tr>
                  <th scope="col">{t('Nhóm', 'Group')}</th>
                  <th scope="col" className="num">
                    {t('Thí sinh', 'Candidates')}
                  </th>
                  <th scope="col" className="num">
                    {t('Nguyện vọng', 'Wishes')}
                  </th>
                  <th scope="col" className="num">
                    {t('Đã thu (đ)', 'Collected (VND)')}
                  </th>
                  <th scope="col" className="num">
                    {t('Còn phải nộp (đ)', 'Due (VND)')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {x.groups.map((g) => (
                  <tr key={g.code} data-group={g.code}>
                    <th scope="row">
                      {g.name}
                      <div className="hint">{pick(WINDOW[g.windowState])}</div>
                    </th>
                    <td className="num">{num(g.candidates)}</td>
                    <td className="num" data-testid={`group-wishes-${g.code}`}>
                      {num(g.wishes)}
                    </td>
                    <td className="num">{num(g.collectedVnd)}</td>
                    <td className="num">{num(g.dueVnd)}</td>
                  </tr>
                ))}
                {x.ungrouped.candidates > 0 && (
                  <tr data-group="">
                    <th scope="row">{t('Chưa thuộc nhóm nào', 'In no group')}</th>
                    <td className="num">{num(x.ungrouped.candidates)}</td>
                    <td className="num">{num(x.ungrouped.wishes)}</td>
                    <td className="num">—</td>
                    <td className="num">{num(x.ungrouped.dueVnd)}</td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
