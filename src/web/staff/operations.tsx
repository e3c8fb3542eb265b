// The ministry's operations page: live traffic of the server process that answers, refreshed every few
// seconds from /api/ops/snapshot (figures from the server's Prometheus registry): requests per second by
// group and by status class, latency, requests shed under overload, sign-ins, event-loop lag, the write
// queue, the database pool, the outbox and dossiers by status, with the last few minutes as charts and
// as a table. The refresh can be paused (WCAG 2.2.2); the figures are never announced on each refresh.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { z } from 'zod';
import { ApiError } from '../api/client.ts';
import { call } from '../api/call.ts';
import type { ResponseOf } from '../../contracts/operation.ts';
import { getOpsSnapshot, type routeGroup } from '../../contracts/ops.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { usePageTitle } from '../router.tsx';
import { NotificationBanner, Spinner } from '../components/feedback.tsx';
import { LineChart, type Series } from './chart.tsx';
import { LinksPanel } from './links-panel.tsx';

// ---- The snapshot's shape: src/contracts/ops.ts ----
type OpsSnapshot = ResponseOf<typeof getOpsSnapshot>;
type RouteGroup = z.infer<typeof routeGroup>;

const REFRESH_MS = 5000;
/** A grid cell may shrink below its table's width, so a wide table scrolls inside its region on a phone. */
const GRID_CELL = { minWidth: 0 } as const;

const GROUPS: Record<RouteGroup, Bilingual> = {
  session: { vi: 'Đăng nhập, phiên làm việc', en: 'Sign-in and sessions' },
  candidate: { vi: 'Thí sinh: hồ sơ của mình', en: 'Candidates: own dossier' },
  verification: { vi: 'Xét duyệt hồ sơ', en: 'Verification' },
  accounts: { vi: 'Tài khoản', en: 'Accounts' },
  stats: { vi: 'Thống kê', en: 'Statistics' },
  support: { vi: 'Hỗ trợ', en: 'Support desk' },
  exports: { vi: 'Xuất dữ liệu', en: 'Exports' },
  admin: { vi: 'Quản trị', en: 'Administration' },
  monitoring: { vi: 'Giám sát', en: 'Monitoring' },
  static: { vi: 'Tệp trang web', en: 'Web app files' },
  other: { vi: 'Khác', en: 'Other' },
};
const SHED_REASONS: Record<string, Bilingual> = {
  event_loop: { vi: 'Máy chủ xử lý chậm (trễ vòng lặp sự kiện)', en: 'Server slow (event-loop lag)' },
  in_flight: { vi: 'Quá nhiều yêu cầu cùng lúc', en: 'Too many requests at once' },
  write_queue: { vi: 'Hàng đợi ghi quá dài', en: 'Write queue too long' },
};
const COLORS = { ok: '#00703c', client: '#b35a00', server: '#d4351c', p50: '#1d70b8', p99: '#0b0c0c' };

function useSnapshot(paused: boolean): { snap: OpsSnapshot | null; failed: Bilingual | null } {
  const [snap, setSnap] = useState<OpsSnapshot | null>(null);
  const [failed, setFailed] = useState<Bilingual | null>(null);
  useEffect(() => {
    if (paused) return;
    let stop = false;
    let timer: number | undefined;
    const load = async () => {
      // a hidden tab asks nothing; it catches up when shown again
      if (!document.hidden) {
        try {
          // no retries: the next refresh is the retry, and a busy notice is for people typing, not for this page
          setSnap(await call(getOpsSnapshot, {}, { retries: 0 }));
          setFailed(null);
        } catch (e) {
          setFailed(e instanceof ApiError ? e : { vi: 'Không lấy được số liệu.', en: 'Could not load the figures.' });
        }
      }
      if (!stop) timer = window.setTimeout(() => void load(), REFRESH_MS);
    };
    void load();
    return () => {
      stop = true;
      window.clearTimeout(timer);
    };
  }, [paused]);
  return { snap, failed };
}

function Stat({ id, value, label, hint }: { id: string; value: ReactNode; label: string; hint?: string }) {
  return (
    <div className="stat">
      <span className="stat__value" data-testid={id}>
        {value}
      </span>
      {label}
      {hint && <span className="hint">{hint}</span>}
    </div>
  );
}

/** A table that scrolls sideways on a narrow screen, reachable and named for keyboard and screen reader users. */
function ScrollTable({ id, caption, children }: { id: string; caption: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-labelledby={id} tabIndex={0}>
      <table className="table">
        <caption id={id}>{caption}</caption>
        {children}
      </table>
    </div>
  );
}

export function OperationsPage() {
  const { t, pick, num, lang } = useI18n();
  usePageTitle(t('Vận hành hệ thống', 'Operations'));
  const [paused, setPaused] = useState(false);
  const { snap, failed } = useSnapshot(paused);

  const time = useMemo(() => new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'Asia/Ho_Chi_Minh' }), [lang]);
  const dec = (n: number) => num(Math.round(n * 10) / 10);
  const ms = (n: number | null) => (n === null ? '—' : dec(n));

  const history = snap?.history;
  const labels = useMemo(() => (history ?? []).map((h) => time.format(new Date(h.at))), [history, time]);
  const rateSeries = useMemo<Series[]>(
    () => [
      { label: t('2xx (thành công)', '2xx (success)'), values: (history ?? []).map((h) => h.byClass['2xx']), color: COLORS.ok },
      { label: t('4xx (yêu cầu bị từ chối)', '4xx (refused)'), values: (history ?? []).map((h) => h.byClass['4xx']), color: COLORS.client, dash: [6, 4] },
      { label: t('5xx (lỗi máy chủ, quá tải)', '5xx (server error, overload)'), values: (history ?? []).map((h) => h.byClass['5xx']), color: COLORS.server, dash: [2, 3] },
    ],
    [history, t],
  );
  const latencySeries = useMemo<Series[]>(
    () => [
      { label: 'p50', values: (history ?? []).map((h) => h.p50Ms), color: COLORS.p50 },
      { label: 'p99', values: (history ?? []).map((h) => h.p99Ms), color: COLORS.p99, dash: [6, 4] },
    ],
    [history],
  );

  const c = snap?.current;
  const g = snap?.gauges;
  return (
    <>
      <span className="caption">{t('Bộ Giáo dục và Đào tạo', 'Ministry of Education and Training')}</span>
      <h1>{t('Vận hành hệ thống', 'Operations')}</h1>
      <p>
        {t(
          `Lưu lượng trực tiếp của tiến trình máy chủ đang trả lời trang này, cập nhật mỗi ${REFRESH_MS / 1000} giây. Khi chạy nhiều tiến trình, mỗi tiến trình có số liệu riêng (xem /metrics của từng tiến trình).`,
          `Live traffic of the server process answering this page, refreshed every ${REFRESH_MS / 1000} seconds. With several processes each has its own figures (see each process's /metrics).`,
        )}
      </p>
      <div className="toolbar">
        <button type="button" className="button button--secondary" aria-pressed={paused} onClick={() => setPaused((p) => !p)}>
          {paused ? t('Tiếp tục cập nhật', 'Resume updates') : t('Tạm dừng cập nhật', 'Pause updates')}
        </button>
        {snap && (
          <p className="hint" data-testid="ops-updated">
            {t('Số liệu lúc', 'Figures at')} {time.format(new Date(snap.at))} · {t('tiến trình', 'process')} {snap.pid} · {t('đã chạy', 'up for')} {num(Math.round(snap.uptimeSeconds / 60))} {t('phút', 'min')}
            {paused && ` · ${t('đang tạm dừng', 'paused')}`}
          </p>
        )}
      </div>
      {failed && (
        <NotificationBanner title={t('Chưa lấy được số liệu mới', 'No fresh figures')} kind="warning">
          <p>
            {pick(failed)} {snap ? t('Số liệu dưới đây là của lần cập nhật trước; trang sẽ tự thử lại.', 'The figures below are from the previous refresh; the page keeps trying.') : ''}
          </p>
        </NotificationBanner>
      )}
      {!snap && !failed && <Spinner label={{ vi: 'Đang tải số liệu', en: 'Loading figures' }} />}
      {snap && c && g && (
        <>
          <h2>{t('Ngay lúc này', 'Right now')}</h2>
          <p className="hint">{t(`Tính trên ${dec(c.seconds)} giây gần nhất.`, `Over the last ${dec(c.seconds)} seconds.`)}</p>
          <div className="grid grid--3">
            <Stat id="ops-rps" value={dec(c.requestsPerSecond)} label={t('Yêu cầu mỗi giây', 'Requests per second')} />
            <Stat id="ops-latency" value={`${ms(c.p50Ms)} / ${ms(c.p99Ms)}`} label={t('Thời gian trả lời p50 / p99 (ms)', 'Response time p50 / p99 (ms)')} hint={t('Không tính giám sát và tệp tĩnh.', 'Monitoring and static files left out.')} />
            <Stat id="ops-5xx" value={dec(c.byClass['5xx'])} label={t('Lỗi 5xx mỗi giây', '5xx errors per second')} />
            <Stat id="ops-shed" value={dec(c.shedPerSecond)} label={t('Từ chối 503 khi quá tải, mỗi giây', '503s shed under overload, per second')} />
            <Stat
              id="ops-sign-ins"
              value={`${num(snap.totals.signIns.success)} / ${num(snap.totals.signIns.failure)}`}
              label={t('Đăng nhập thành công / thất bại', 'Sign-ins succeeded / failed')}
              hint={t('Từ khi tiến trình khởi động.', 'Since the process started.')}
            />
            <Stat id="ops-lag" value={ms(c.eventLoopP99Ms)} label={t('Độ trễ vòng lặp sự kiện p99 (ms)', 'Event-loop lag p99 (ms)')} />
            <Stat id="ops-write-queue" value={num(g.writeQueueDepth)} label={t('Hàng đợi ghi (đang chờ)', 'Write queue (waiting)')} />
            <Stat id="ops-outbox" value={g.outbox ? num(g.outbox.pending) : '—'} label={t('Thông báo chờ gửi', 'Notifications waiting')} />
            <Stat id="ops-submitted" value={g.dossiers ? num(g.dossiers.submitted + g.dossiers.verified + g.dossiers.returned) : '—'} label={t('Hồ sơ đã nộp (kể cả đã duyệt, trả lại)', 'Dossiers submitted (incl. verified, returned)')} />
          </div>

          <LinksPanel paused={paused} refreshMs={REFRESH_MS} />

          <h2>{t(`${Math.round((snap.history.length * snap.sampleSeconds) / 60) || 1} phút gần nhất`, `The last ${Math.round((snap.history.length * snap.sampleSeconds) / 60) || 1} minutes`)}</h2>
          {snap.history.length < 2 ? (
            <p>{t('Biểu đồ sẽ hiện sau vài lần cập nhật.', 'The charts appear after a few refreshes.')}</p>
          ) : (
            <div className="grid grid--2">
              <div style={GRID_CELL}>
                <h3>{t('Yêu cầu mỗi giây theo loại trả lời', 'Requests per second by status')}</h3>
                <LineChart labels={labels} series={rateSeries} label={t('Biểu đồ yêu cầu mỗi giây; số liệu trong bảng bên dưới', 'Chart of requests per second; the figures are in the table below')} yTitle={t('yêu cầu/giây', 'requests/s')} />
              </div>
              <div style={GRID_CELL}>
                <h3>{t('Thời gian trả lời (ms)', 'Response time (ms)')}</h3>
                <LineChart labels={labels} series={latencySeries} label={t('Biểu đồ thời gian trả lời p50 và p99; số liệu trong bảng bên dưới', 'Chart of response time p50 and p99; the figures are in the table below')} yTitle="ms" />
              </div>
            </div>
          )}
          <details className="details">
            <summary>{t('Số liệu của biểu đồ dạng bảng', 'The charts’ figures as a table')}</summary>
            <ScrollTable id="ops-history-caption" caption={t('Theo từng khoảng lấy mẫu, mới nhất trước', 'By sampling interval, newest first')}>
              <thead>
                <tr>
                  <th scope="col">{t('Lúc', 'At')}</th>
                  <th scope="col" className="num">{t('Yêu cầu/giây', 'Requests/s')}</th>
                  <th scope="col" className="num">2xx</th>
                  <th scope="col" className="num">4xx</th>
                  <th scope="col" className="num">5xx</th>
                  <th scope="col" className="num">p50 ms</th>
                  <th scope="col" className="num">p99 ms</th>
                  <th scope="col" className="num">{t('503/giây', '503/s')}</th>
                  <th scope="col" className="num">{t('Trễ vòng lặp ms', 'Loop lag ms')}</th>
                  <th scope="col" className="num">{t('Hàng đợi ghi', 'Write queue')}</th>
                </tr>
              </thead>
              <tbody>
                {[...snap.history].reverse().map((h) => (
                  <tr key={h.at}>
                    <th scope="row">{time.format(new Date(h.at))}</th>
                    <td className="num">{dec(h.requestsPerSecond)}</td>
                    <td className="num">{dec(h.byClass['2xx'])}</td>
                    <td className="num">{dec(h.byClass['4xx'])}</td>
                    <td className="num">{dec(h.byClass['5xx'])}</td>
                    <td className="num">{ms(h.p50Ms)}</td>
                    <td className="num">{ms(h.p99Ms)}</td>
                    <td className="num">{dec(h.shedPerSecond)}</td>
                    <td className="num">{ms(h.eventLoopP99Ms)}</td>
                    <td className="num">{num(h.writeQueueDepth)}</td>
                  </tr>
                ))}
              </tbody>
            </ScrollTable>
          </details>

          <h2>{t('Yêu cầu theo nhóm', 'Requests by group')}</h2>
          <ScrollTable id="ops-groups-caption" caption={t(`Mỗi giây, trong ${dec(c.seconds)} giây gần nhất`, `Per second, over the last ${dec(c.seconds)} seconds`)}>
            <thead>
              <tr>
                <th scope="col">{t('Nhóm', 'Group')}</th>
                <th scope="col" className="num">{t('Tất cả', 'All')}</th>
                <th scope="col" className="num">2xx</th>
                <th scope="col" className="num">4xx</th>
                <th scope="col" className="num">5xx</th>
                <th scope="col" className="num">p50 ms</th>
                <th scope="col" className="num">p99 ms</th>
              </tr>
            </thead>
            <tbody>
              {c.byGroup.length === 0 && (
                <tr>
                  <td colSpan={7}>{t('Không có yêu cầu nào.', 'No requests.')}</td>
                </tr>
              )}
              {c.byGroup.map((r) => (
                <tr key={r.group} data-testid={`ops-group-${r.group}`}>
                  <th scope="row">{pick(GROUPS[r.group] ?? { vi: r.group, en: r.group })}</th>
                  <td className="num">{dec(r.requestsPerSecond)}</td>
                  <td className="num">{dec(r.byClass['2xx'])}</td>
                  <td className="num">{dec(r.byClass['4xx'])}</td>
                  <td className="num">{dec(r.byClass['5xx'])}</td>
                  <td className="num">{ms(r.p50Ms)}</td>
                  <td className="num">{ms(r.p99Ms)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('Cộng', 'Total')}</th>
                <td className="num">{dec(c.requestsPerSecond)}</td>
                <td className="num">{dec(c.byClass['2xx'])}</td>
                <td className="num">{dec(c.byClass['4xx'])}</td>
                <td className="num">{dec(c.byClass['5xx'])}</td>
                <td className="num">{ms(c.p50Ms)}</td>
                <td className="num">{ms(c.p99Ms)}</td>
              </tr>
            </tfoot>
          </ScrollTable>

          <div className="grid grid--2">
            <div style={GRID_CELL}>
              <h2>{t('Đăng nhập', 'Sign-ins')}</h2>
              <ScrollTable id="ops-signins-caption" caption={t('Số lần đăng nhập', 'Sign-in attempts')}>
                <thead>
                  <tr>
                    <th scope="col">{t('Kết quả', 'Outcome')}</th>
                    <th scope="col" className="num">{t(`${dec(c.seconds)} giây qua`, `Last ${dec(c.seconds)} s`)}</th>
                    <th scope="col" className="num">{t('Từ khi khởi động', 'Since start')}</th>
                  </tr>
                </thead>
                <tbody>
                  {(
                    [
                      ['success', t('Thành công', 'Succeeded')],
                      ['failure', t('Sai mật khẩu, tài khoản khoá', 'Wrong password, disabled')],
                      ['throttled', t('Bị chặn tạm vì sai nhiều lần', 'Throttled after failures')],
                    ] as const
                  ).map(([k, label]) => (
                    <tr key={k}>
                      <th scope="row">{label}</th>
                      <td className="num">{num(c.signIns[k])}</td>
                      <td className="num">{num(snap.totals.signIns[k])}</td>
                    </tr>
                  ))}
                </tbody>
              </ScrollTable>
            </div>
            <div style={GRID_CELL}>
              <h2>{t('Từ chối khi quá tải (503)', 'Shed under overload (503)')}</h2>
              <ScrollTable id="ops-shed-caption" caption={t(`Trong ${dec(c.seconds)} giây qua; tổng từ khi khởi động: ${num(snap.totals.shed)}`, `Over the last ${dec(c.seconds)} s; since start: ${num(snap.totals.shed)}`)}>
                <thead>
                  <tr>
                    <th scope="col">{t('Lý do', 'Reason')}</th>
                    <th scope="col" className="num">{t('Số yêu cầu', 'Requests')}</th>
                  </tr>
                </thead>
                <tbody>
                  {Object.keys(SHED_REASONS).map((k) => (
                    <tr key={k}>
                      <th scope="row">{pick(SHED_REASONS[k])}</th>
                      <td className="num">{num(c.shedByReason[k] ?? 0)}</td>
                    </tr>
                  ))}
                </tbody>
              </ScrollTable>
            </div>
            <div style={GRID_CELL}>
              <h2>{t('Cơ sở dữ liệu', 'Database')}</h2>
              <ScrollTable id="ops-db-caption" caption={t('Hàng đợi ghi và kết nối', 'Write queue and connections')}>
                <tbody>
                  <tr>
                    <th scope="row">{t('Lượt ghi đang chờ', 'Writes waiting')}</th>
                    <td className="num">{num(g.writeQueueDepth)}</td>
                  </tr>
                  <tr>
                    <th scope="row">{t('Lượt ghi trong lần ghi gộp gần nhất', 'Writes in the last group commit')}</th>
                    <td className="num">{num(g.lastBatchSize)}</td>
                  </tr>
                  <tr>
                    <th scope="row">{t('Trung bình mỗi lần ghi gộp (gần đây)', 'Mean per group commit (recent)')}</th>
                    <td className="num">{c.meanBatchSize === null ? '—' : dec(c.meanBatchSize)}</td>
                  </tr>
                  <tr>
                    <th scope="row">{t('Kết nối: tổng / rảnh / đang chờ', 'Connections: total / idle / waiting')}</th>
                    <td className="num">
                      {num(g.pool.total)} / {num(g.pool.idle)} / {num(g.pool.waiting)}
                    </td>
                  </tr>
                  <tr>
                    <th scope="row">{t('Thông báo chờ gửi / đã bỏ', 'Notifications waiting / given up')}</th>
                    <td className="num">{g.outbox ? `${num(g.outbox.pending)} / ${num(g.outbox.dead)}` : '—'}</td>
                  </tr>
                </tbody>
              </ScrollTable>
            </div>
            <div style={GRID_CELL}>
              <h2>{t('Hồ sơ theo trạng thái', 'Dossiers by status')}</h2>
              {g.dossiers ? (
                <ScrollTable id="ops-dossiers-caption" caption={t(`Kỳ thi ${g.dossiers.examYear}, toàn quốc`, `Exam year ${g.dossiers.examYear}, whole country`)}>
                  <tbody>
                    {(
                      [
                        ['draft', t('Đang soạn', 'Draft')],
                        ['submitted', t('Đã nộp, chờ duyệt', 'Submitted, awaiting verification')],
                        ['returned', t('Trả lại để sửa', 'Returned for correction')],
                        ['verified', t('Đã xác nhận', 'Verified')],
                      ] as const
                    ).map(([k, label]) => (
                      <tr key={k}>
                        <th scope="row">{label}</th>
                        <td className="num" data-testid={`ops-dossiers-${k}`}>
                          {num(g.dossiers?.[k] ?? 0)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </ScrollTable>
              ) : (
                <p>{t('Chưa có kỳ thi nào được công bố.', 'No exam year is published.')}</p>
              )}
            </div>
          </div>
        </>
      )}
    </>
  );
}
