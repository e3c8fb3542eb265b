// The department's score reviews (phúc khảo): the council's requests by status, a page at a time; start a
// request (the candidate can no longer withdraw it), record each paper's reviewed mark (an essay changes at
// 0.25 or more, a multiple-choice paper whenever the re-mark differs), and send the changed marks for
// checking as a review version, which another officer publishes on the marks page (four eyes). A request
// whose fee is paid online can be started only once the gateway has confirmed the payment.
import { useCallback, useEffect, useState } from 'react';
import type { Finding } from '../../domain/messages.ts';
import { ApiError } from '../api/client.ts';
import { reviewsApi, type ReviewList, type ReviewStatus } from '../api/staff-endpoints.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { Link, usePageTitle } from '../router.tsx';
import { subjectName } from '../candidate/reference.ts';
import { useSession } from '../session.tsx';
import { Button, ErrorSummary, NotificationBanner, Spinner } from '../components/feedback.tsx';

const STATUS: Record<NonNullable<ReviewStatus>, Bilingual> = {
  requested: { vi: 'Mới nộp', en: 'Requested' },
  in_review: { vi: 'Đang phúc khảo', en: 'Under review' },
  done: { vi: 'Đã xong', en: 'Done' },
  withdrawn: { vi: 'Đã rút', en: 'Withdrawn' },
};

type Item = ReviewList['items'][number]['items'][number];

function outcomeText(i: Item): Bilingual {
  if (i.outcome === null) return { vi: 'Chưa có kết quả', en: 'No outcome yet' };
  if (i.outcome === 'unchanged') return { vi: `Giữ nguyên (phúc khảo ${String(i.reviewedScore).replace('.', ',')})`, en: `Unchanged (reviewed ${i.reviewedScore})` };
  const state = i.publishedAt ? { vi: 'đã công bố', en: 'published' } : i.importId ? { vi: 'chờ công bố', en: 'awaiting publication' } : { vi: 'chưa gửi kiểm tra', en: 'not yet sent for checking' };
  return { vi: `Đổi thành ${i.new?.vi ?? ''} (${state.vi})`, en: `Changed to ${i.new?.en ?? ''} (${state.en})` };
}

/** The fee as the department needs it: a request paid online is started only once the gateway has confirmed it. */
function feeText(r: ReviewList['items'][number], num: (n: number) => string, windowState: ReviewList['windowState']): Bilingual {
  const amount = `${num(r.feeTotalVnd)} đ`;
  if (r.payment === 'at_point') return { vi: `Lệ phí ${amount}: nộp tại điểm`, en: `Fee ${amount}: paid at the point` };
  if (r.feeStatus === 'paid') return { vi: `Lệ phí ${amount}: đã nộp trực tuyến`, en: `Fee ${amount}: paid online` };
  if (r.status !== 'requested') return { vi: `Lệ phí ${amount}: chưa nộp`, en: `Fee ${amount}: not paid` };
  if (windowState === 'closed' && r.feeStatus === 'unpaid') return { vi: `Lệ phí ${amount}: không nộp trong thời gian phúc khảo, đơn không được xử lý`, en: `Fee ${amount}: not paid within the review period; the request is not handled` };
  return { vi: `Lệ phí ${amount}: chờ thí sinh nộp trực tuyến`, en: `Fee ${amount}: awaiting the candidate's online payment` };
}

export function ExamReviewsPage() {
  const { t, pick, num, dateTime, lang } = useI18n();
  usePageTitle(t('Phúc khảo bài thi', 'Score reviews'));
  const dept = useSession().user?.departmentCode ?? '';
  const [status, setStatus] = useState<ReviewStatus>('requested');
  const [page, setPage] = useState(1);
  const [list, setList] = useState<ReviewList | null>(null);
  const [marks, setMarks] = useState<Record<string, string>>({});
  const [findings, setFindings] = useState<Finding[]>([]);
  const [message, setMessage] = useState<Bilingual | null>(null);
  const [done, setDone] = useState<Bilingual | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => setList(await reviewsApi.list(dept, status, page)), [dept, status, page]);
  useEffect(() => void load(), [load]);
  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    setFindings([]);
    setMessage(null);
    setDone(null);
    try {
      await f();
      await load();
    } catch (e) {
      if (e instanceof ApiError) {
        setFindings(e.fields);
        setMessage({ vi: e.vi, en: e.en });
      } else setMessage({ vi: 'Đã có lỗi, xin thử lại.', en: 'Something went wrong; please try again.' });
    } finally {
      setBusy(false);
    }
  };
  const key = (requestId: string, subject: string) => `${requestId}:${subject}`;

  if (!list) return <Spinner label={{ vi: 'Đang tải…', en: 'Loading…' }} />;
  const pages = Math.max(1, Math.ceil(list.total / list.pageSize));
  return (
    <>
      <h1>{t('Phúc khảo bài thi', 'Score reviews')}</h1>
      <ErrorSummary findings={findings} message={message} fieldIdOf={() => 'review-requests'} />
      {done && (
        <NotificationBanner kind="success" title={t('Đã ghi nhận', 'Done')}>
          <p data-testid="reviews-done">{pick(done)}</p>
        </NotificationBanner>
      )}
      <p>
        {t(
          'Điểm phúc khảo thay đổi chỉ có hiệu lực khi được gửi kiểm tra và một cán bộ khác công bố ở trang ',
          'Changed marks take effect only once sent for checking and published by another officer on the ',
        )}
        <Link to="/exam/results">{t('Điểm bài thi', 'Exam marks')}</Link>
        {t('; kết quả tốt nghiệp được tính lại và thí sinh được thông báo.', ' page; graduation is then recomputed and the candidate told.')}
      </p>
      <p>
        <Button
          busy={busy}
          onClick={() =>
            void run(async () => {
              const s = await reviewsApi.stage(dept);
              setDone({ vi: `Đã gửi ${num(s.changed)} điểm thay đổi để kiểm tra (phiên bản ${s.version}).`, en: `${num(s.changed)} changed mark(s) sent for checking (version ${s.version}).` });
            })
          }
        >
          {t('Gửi các điểm thay đổi để kiểm tra', 'Send the changed marks for checking')}
        </Button>
      </p>
      <div className="form-group">
        <label className="label" htmlFor="review-status">
          {t('Trạng thái đơn', 'Request status')}
        </label>
        <select
          id="review-status"
          className="select"
          value={status ?? ''}
          onChange={(e) => {
            setPage(1);
            setStatus((e.target.value || undefined) as ReviewStatus);
          }}
        >
          <option value="">{t('Tất cả', 'All')}</option>
          {Object.entries(STATUS).map(([k, v]) => (
            <option key={k} value={k}>
              {pick(v)}
            </option>
          ))}
        </select>
      </div>
      <p data-testid="reviews-total">{t(`${num(list.total)} đơn · trang ${page}/${pages}`, `${num(list.total)} request(s) · page ${page} of ${pages}`)}</p>
      {list.items.length > 0 && (
        <div className="table-wrap" role="region" aria-labelledby="review-requests" tabIndex={0}>
          <table className="table" data-testid="review-requests">
            <caption id="review-requests">{t('Đơn phúc khảo', 'Review requests')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('Số báo danh', 'Number')}</th>
                <th scope="col">{t('Nộp lúc', 'Requested')}</th>
                <th scope="col">{t('Bài thi: điểm → kết quả', 'Paper: mark → outcome')}</th>
                <th scope="col">{t('Trạng thái', 'Status')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((r) => (
                <tr key={r.id}>
                  <td>{r.number}</td>
                  <td>{dateTime(r.requestedAt)}</td>
                  <td>
                    {r.items.map((i) => (
                      <div key={i.subject}>
                        {subjectName(i.subject, lang)} ({i.paperKind === 'essay' ? t('tự luận', 'essay') : t('trắc nghiệm', 'multiple choice')}): {pick(i.original)} → {pick(outcomeText(i))}
                        {r.status === 'in_review' && i.outcome === null && (
                          <form
                            
                            noValidate
                            onSubmit={(e) => {
                              e.preventDefault();
                              void run(async () => {
                                await reviewsApi.record(dept, r.id, i.subject, marks[key(r.id, i.subject)] ?? '');
                              });
                            }}
                          >
                            <label className="label" htmlFor={`mark-${r.id}-${i.subject}`}>
                              {t(`Điểm phúc khảo môn ${subjectName(i.subject, 'vi')}`, `Reviewed mark, ${subjectName(i.subject, 'en')}`)}
                            </label>
                            <input
                              id={`mark-${r.id}-${i.subject}`}
                              className="input" style={{ maxWidth: '6em' }}
                              inputMode="decimal"
                              value={marks[key(r.id, i.subject)] ?? ''}
                              onChange={(e) => setMarks({ ...marks, [key(r.id, i.subject)]: e.target.value })}
                            />{' '}
                            <Button type="submit" variant="secondary" busy={busy}>
                              {t('Ghi kết quả', 'Record')}
                            </Button>
                          </form>
                        )}
                      </div>
                    ))}
                  </td>
                  <td>
                    {pick(STATUS[r.status])}
                    <div data-testid={`review-fee-${r.number}`}>{pick(feeText(r, num, list.windowState))}</div>
                    {r.status === 'requested' && (r.payment === 'at_point' || r.feeStatus === 'paid') && (
                      <div>
                        <Button variant="secondary" busy={busy} onClick={() => void run(async () => void (await reviewsApi.start(dept, r.id)))}>
                          {t(`Bắt đầu phúc khảo ${r.number}`, `Start review ${r.number}`)}
                        </Button>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 && (
        <p>
          <Button variant="secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {t('Trang trước', 'Previous page')}
          </Button>{' '}
          <Button variant="secondary" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            {t('Trang sau', 'Next page')}
          </Button>
        </p>
      )}
    </>
  );
}
