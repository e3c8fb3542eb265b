// The candidate's score reviews (phúc khảo): choose papers with a published score inside the review window,
// see the fee before sending, follow each paper's status and outcome, and withdraw a request the department
// has not started. The fee is paid online through the payment gateway when the year says so and the gateway
// is configured (a pay button on each request that owes it; back from the gateway at /candidate/reviews/return,
// the shared return page asks the server, never the query string), otherwise at the registration point.
import { useCallback, useEffect, useState } from 'react';
import * as reviews from '../../contracts/reviews.ts';
import type { ResponseOf } from '../../contracts/operation.ts';
import type { Finding } from '../../domain/messages.ts';
import { call } from '../api/call.ts';
import { ApiError } from '../api/client.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { Link, usePageTitle } from '../router.tsx';
import { Button, ErrorSummary, NotificationBanner, Spinner, StatusTag } from '../components/feedback.tsx';
import { PaymentReturnPage } from './payment-return.tsx';
import { Checkboxes } from '../components/forms.tsx';
import { SummaryCard, SummaryList } from '../components/lists.tsx';
import { subjectName } from './reference.ts';

type Own = ResponseOf<typeof reviews.getOwnReviews>;
type Request = Own['requests'][number];
type Item = Request['items'][number];

const STATUS: Record<Request['status'], Bilingual> = {
  requested: { vi: 'Đã nộp đơn', en: 'Requested' },
  withdrawn: { vi: 'Đã rút', en: 'Withdrawn' },
  in_review: { vi: 'Đang phúc khảo', en: 'Under review' },
  done: { vi: 'Đã có kết quả', en: 'Completed' },
};

function itemState(i: Item): Bilingual {
  if (i.outcome === null) return { vi: 'Chờ kết quả', en: 'Awaiting the outcome' };
  if (i.outcome === 'unchanged') return { vi: `Giữ nguyên ${i.original?.vi ?? ''}`, en: `Unchanged at ${i.original?.en ?? ''}` };
  if (i.publishedAt === null) return { vi: 'Điểm thay đổi, đang chờ công bố', en: 'Mark changed, awaiting publication' };
  return { vi: `Đổi từ ${i.original?.vi ?? ''} thành ${i.new?.vi ?? ''}`, en: `Changed from ${i.original?.en ?? ''} to ${i.new?.en ?? ''}` };
}

/** The fee of a request, as the candidate needs it: how much, how it is paid, and whether it is. */
function feeState(r: Request, num: (n: number) => string, dateTime: (iso: string | null) => string): Bilingual {
  const amount = { vi: `${num(r.feeTotalVnd)} đồng (${r.items.length} bài)`, en: `${num(r.feeTotalVnd)} VND (${r.items.length} paper(s))` };
  if (r.payment === 'at_point') return { vi: `${amount.vi}, nộp tại điểm tiếp nhận`, en: `${amount.en}, paid at the registration point` };
  if (r.feeStatus === 'paid') return { vi: `${amount.vi}, đã nộp trực tuyến lúc ${dateTime(r.paidAt)}`, en: `${amount.en}, paid online at ${dateTime(r.paidAt)}` };
  if (r.status === 'withdrawn') return { vi: `${amount.vi}, không phải nộp (đã rút đơn)`, en: `${amount.en}, not due (withdrawn)` };
  if (r.feeStatus === 'pending') return { vi: `${amount.vi}, đã bắt đầu thanh toán, chưa được cổng thanh toán xác nhận`, en: `${amount.en}, a payment was started and is not confirmed by the gateway yet` };
  return { vi: `${amount.vi}, chưa nộp: nộp trực tuyến để Sở GD&ĐT xử lý đơn`, en: `${amount.en}, not paid: pay online for the department to handle the request` };
}

const dmy = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

export function ReviewsPage() {
  const { t, pick, num, lang, dateTime } = useI18n();
  usePageTitle(t('Phúc khảo bài thi', 'Score review'));
  const [own, setOwn] = useState<Own | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [findings, setFindings] = useState<Finding[]>([]);
  const [message, setMessage] = useState<Bilingual | null>(null);
  const [done, setDone] = useState<Bilingual | null>(null);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<Bilingual | null>(null);

  const load = useCallback(async () => setOwn(await call(reviews.getOwnReviews, {})), []);
  useEffect(() => {
    load().catch((e: unknown) => setFailed(e instanceof ApiError ? { vi: e.vi, en: e.en } : { vi: 'Đã có lỗi, xin thử lại.', en: 'Something went wrong; please try again.' }));
  }, [load]);

  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    setFindings([]);
    setMessage(null);
    setDone(null);
    try {
      await f();
    } catch (e) {
      if (e instanceof ApiError) {
        setFindings(e.fields);
        setMessage({ vi: e.vi, en: e.en });
      } else setMessage({ vi: 'Đã có lỗi, xin thử lại.', en: 'Something went wrong; please try again.' });
    } finally {
      setBusy(false);
    }
  };

  if (failed) return <NotificationBanner kind="warning" title={t('Chưa tải được', 'Could not load')}>{pick(failed)}</NotificationBanner>;
  if (!own) return <Spinner label={{ vi: 'Đang tải', en: 'Loading' }} />;

  const reviewable = own.papers.filter((p) => p.reviewable);
  const fee = chosen.length * own.feePerPaperVnd;
  const submit = () => {
    if (chosen.length === 0) {
      setFindings([{ code: 'REVIEW_NO_PAPER', field: 'subjects', severity: 'error', vi: 'Hãy chọn ít nhất một bài thi để phúc khảo.', en: 'Choose at least one paper to be reviewed.' }]);
      return;
    }
    void run(async () => {
      const r = await call(reviews.requestReview, { body: { subjects: chosen } });
      setChosen([]);
      setDone(
        r.payment === 'online'
          ? { vi: `Đã nộp đơn phúc khảo ${r.items.length} bài thi. Hãy thanh toán lệ phí ${num(r.feeTotalVnd)} đồng trực tuyến (nút Thanh toán bên dưới): Sở GD&ĐT chỉ xử lý đơn đã nộp lệ phí.`, en: `Review requested for ${r.items.length} paper(s). Pay the fee of ${num(r.feeTotalVnd)} VND online (the Pay button below): the department handles only requests whose fee is paid.` }
          : { vi: `Đã nộp đơn phúc khảo ${r.items.length} bài thi. Lệ phí ${num(r.feeTotalVnd)} đồng nộp tại điểm tiếp nhận.`, en: `Review requested for ${r.items.length} paper(s). The fee of ${num(r.feeTotalVnd)} VND is paid at your registration point.` },
      );
      await load();
    });
  };
  // to the gateway; the page is left, so busy stays on (a failure reloads the requests and says why)
  const payOnline = async (id: string) => {
    setBusy(true);
    setFindings([]);
    setMessage(null);
    setDone(null);
    try {
      const o = await call(reviews.payReview, { params: { requestId: id } });
      window.location.assign(o.payUrl);
    } catch (e) {
      setMessage(e instanceof ApiError ? { vi: e.vi, en: e.en } : { vi: 'Đã có lỗi, xin thử lại.', en: 'Something went wrong; please try again.' });
      setBusy(false);
      await load().catch(() => {});
    }
  };
  const withdraw = (id: string) =>
    void run(async () => {
      await call(reviews.withdrawReview, { params: { requestId: id } });
      setDone({ vi: 'Đã rút đơn phúc khảo.', en: 'The review request was withdrawn.' });
      await load();
    });

  const w = own.window;
  const windowText = w
    ? t(`Nhận đơn phúc khảo từ ${w.opensAt ?? '00:00'} ngày ${dmy(w.from)} đến ${w.closesAt ?? '24:00'} ngày ${dmy(w.to)}.`, `Review requests are taken from ${w.opensAt ?? '00:00'} on ${dmy(w.from)} until ${w.closesAt ?? '24:00'} on ${dmy(w.to)}.`)
    : t('Thời gian nhận đơn phúc khảo có sau khi điểm thi được công bố.', 'The review period is set once the marks are published.');

  return (
    <>
      <h1>{t('Phúc khảo bài thi', 'Score review')}</h1>
      <ErrorSummary findings={findings} message={message} fieldIdOf={() => 'subjects'} />
      {done && (
        <NotificationBanner kind="success" title={t('Đã ghi nhận', 'Done')}>
          <p data-testid="review-done">{pick(done)}</p>
        </NotificationBanner>
      )}
      <p data-testid="review-window">{windowText}</p>
      <p data-testid="review-fee-rule">
        {own.payment === 'online'
          ? t(
              `Lệ phí ${num(own.feePerPaperVnd)} đồng một bài thi, thanh toán trực tuyến qua cổng thanh toán sau khi nộp đơn, trước khi hết thời gian phúc khảo. Sở GD&ĐT chỉ xử lý đơn đã nộp lệ phí.`,
              `The fee is ${num(own.feePerPaperVnd)} VND a paper, paid online through the payment gateway once the request is sent, before the review period ends. The department handles only requests whose fee is paid.`,
            )
          : t(`Lệ phí ${num(own.feePerPaperVnd)} đồng một bài thi, nộp tại điểm tiếp nhận hồ sơ.`, `The fee is ${num(own.feePerPaperVnd)} VND a paper, paid at your registration point.`)}{' '}
        {t(
          'Bài tự luận (Ngữ văn) được điều chỉnh khi điểm phúc khảo lệch từ 0,25 điểm trở lên; bài trắc nghiệm được chấm lại theo phiếu trả lời.',
          'An essay (Literature) mark changes when the review differs by 0.25 or more; multiple-choice answers are re-marked against the answer sheet.',
        )}
      </p>

      {own.windowState === 'open' && reviewable.length > 0 && (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!busy) submit();
          }}
        >
          <Checkboxes
            field="subjects"
            label={t('Chọn bài thi cần phúc khảo', 'Choose the papers to be reviewed')}
            findings={findings}
            values={chosen}
            onChange={setChosen}
            options={reviewable.map((p) => ({ value: p.subject, label: `${subjectName(p.subject, lang)}: ${pick(p.mark)}`, hint: p.kind === 'essay' ? t('Tự luận', 'Essay') : t('Trắc nghiệm', 'Multiple choice') }))}
          />
          <p data-testid="review-fee" aria-live="polite">
            <strong>{t(`Lệ phí: ${num(fee)} đồng (${chosen.length} bài)`, `Fee: ${num(fee)} VND (${chosen.length} paper(s))`)}</strong>
          </p>
          <Button type="submit" busy={busy}>
            {t('Nộp đơn phúc khảo', 'Request the review')}
          </Button>
        </form>
      )}
      {own.windowState === 'closed' && <p data-testid="review-closed">{t('Đã hết hạn nộp đơn phúc khảo.', 'The period for requesting a review has ended.')}</p>}
      {own.windowState === 'open' && reviewable.length === 0 && own.papers.length === 0 && <p>{t('Bạn chưa có điểm bài thi nào được công bố.', 'None of your marks has been published yet.')}</p>}

      {own.requests.length > 0 && <h2>{t('Đơn phúc khảo của bạn', 'Your review requests')}</h2>}
      {own.requests.map((r) => {
        const owes = r.payment === 'online' && r.status === 'requested' && r.feeStatus !== 'paid';
        const started = own.openOrder?.requestId === r.id ? own.openOrder.id : null;
        return (
          <SummaryCard
            key={r.id}
            title={
              <>
                {dateTime(r.requestedAt)} <StatusTag status={r.status} label={STATUS[r.status]} />
              </>
            }
            action={
              r.status === 'requested' && r.feeStatus !== 'paid' ? (
                <Button variant="secondary" busy={busy} onClick={() => withdraw(r.id)} data-testid={`withdraw-${r.id}`}>
                  {t('Rút đơn', 'Withdraw')}
                </Button>
              ) : undefined
            }
          >
            <SummaryList
              rows={[
                ...r.items.map((i) => ({ key: subjectName(i.subject, lang), value: <span data-testid={`review-item-${i.subject}`}>{pick(itemState(i))}</span> })),
                { key: t('Lệ phí', 'Fee'), value: <span data-testid={`review-fee-${r.id}`} data-fee-status={r.feeStatus}>{pick(feeState(r, num, dateTime))}</span> },
              ]}
            />
            {r.payment === 'online' && r.feeStatus === 'paid' && r.status === 'requested' && (
              <p>{t('Đơn đã nộp lệ phí và được chuyển đến Sở GD&ĐT để phúc khảo; kết quả sẽ hiện ở đây.', 'The fee is paid and the request has gone to the department for review; the outcome will show here.')}</p>
            )}
            {owes && own.windowState === 'open' && (
              <div className="button-group">
                <Button busy={busy} onClick={() => void payOnline(r.id)} data-testid={`review-pay-${r.id}`}>
                  {t(`Thanh toán ${num(r.feeTotalVnd)} đ (${r.items.length} bài)`, `Pay ${num(r.feeTotalVnd)} VND (${r.items.length} paper(s))`)}
                </Button>
                {started && (
                  <Link to={`/candidate/reviews/return?order=${started}`}>{t('Xem tình trạng lần thanh toán đã bắt đầu', 'See the state of the payment you started')}</Link>
                )}
              </div>
            )}
            {owes && own.windowState !== 'open' && (
              <p>
                {r.feeStatus === 'pending'
                  ? t('Đã hết thời gian phúc khảo. Lần thanh toán bạn đã bắt đầu đang chờ cổng thanh toán xác nhận: nếu được xác nhận, đơn vẫn được xử lý.', 'The review period has ended. The payment you started awaits the gateway’s confirmation: once confirmed, the request is still handled.')
                  : t('Đã hết thời gian phúc khảo: không nộp lệ phí được nữa, đơn không được xử lý.', 'The review period has ended: the fee can no longer be paid, and the request will not be handled.')}{' '}
                {started && <Link to={`/candidate/reviews/return?order=${started}`}>{t('Xem tình trạng', 'See its state')}</Link>}
              </p>
            )}
          </SummaryCard>
        );
      })}
    </>
  );
}

const BACK = { to: '/candidate/reviews', label: { vi: 'Về trang phúc khảo', en: 'Back to the score review page' } };
const INVALID: Bilingual = {
  vi: 'Thông tin trả về từ cổng thanh toán không hợp lệ. Tình trạng lệ phí phúc khảo xem ở trang Phúc khảo.',
  en: 'What the gateway sent back is not valid. See the state of your review fee on the score review page.',
};
const TEXTS = {
  paid: {
    vi: 'Đã nộp lệ phí phúc khảo: giao dịch đã được cổng thanh toán xác nhận. Đơn được chuyển đến Sở GD&ĐT để phúc khảo; kết quả sẽ hiện ở trang Phúc khảo.',
    en: 'The review fee is paid: the gateway has confirmed the payment. The request goes to the department for review; the outcome will show on the score review page.',
  },
  confirming: {
    vi: 'Đang chờ cổng thanh toán xác nhận (thường trong vài giây). Đừng thanh toán lại: trang này tự kiểm tra lại.',
    en: 'Waiting for the payment gateway to confirm (usually a few seconds). Do not pay again: this page checks again by itself.',
  },
  declined: {
    vi: 'Giao dịch không thành công hoặc đã bị hủy. Bạn có thể thanh toán lại ở trang Phúc khảo trước khi hết thời gian phúc khảo.',
    en: 'The payment failed or was cancelled. You can pay again on the score review page before the review period ends.',
  },
  closed: {
    vi: 'Lần thanh toán này đã đóng. Tình trạng lệ phí của đơn xem ở trang Phúc khảo.',
    en: 'This payment is closed. See the state of the request’s fee on the score review page.',
  },
};

/** Back from the gateway after paying a review's fee. */
export function ReviewsReturnPage() {
  return <PaymentReturnPage back={BACK} texts={TEXTS} invalid={INVALID} />;
}
