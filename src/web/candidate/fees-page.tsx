// The candidate's admission fees (lệ phí xét tuyển): their wishes with each fee's state, the amount due,
// their province group's payment window, the pay button (to the gateway), the state of the payment and the
// receipt. Back from the gateway (/candidate/fees/return) the page says "confirming" until the gateway's
// own notification (or a query) has confirmed: the return alone is never taken as paid.
import { useCallback, useEffect, useRef, useState } from 'react';
import * as pay from '../../contracts/payments.ts';
import type { ResponseOf } from '../../contracts/operation.ts';
import { call } from '../api/call.ts';
import { ApiError } from '../api/client.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { Link, usePageTitle } from '../router.tsx';
import { Button, NotificationBanner, Spinner, StatusTag } from '../components/feedback.tsx';
import { SummaryList } from '../components/lists.tsx';

type Fees = ResponseOf<typeof pay.getOwnFees>;
type View = ResponseOf<typeof pay.getOwnOrder>;
type Receipt = Fees['receipts'][number];

const FEE_STATUS: Record<Fees['wishes'][number]['feeStatus'], Bilingual> = {
  unpaid: { vi: 'Chưa nộp', en: 'Unpaid' },
  pending: { vi: 'Đang chờ thanh toán', en: 'Awaiting payment' },
  paid: { vi: 'Đã nộp', en: 'Paid' },
  refunded: { vi: 'Đã hoàn tiền', en: 'Refunded' },
};

const RECEIPT_STATUS: Record<Receipt['status'], Bilingual> = {
  applied: { vi: 'Đã ghi nhận', en: 'Recorded' },
  duplicate: { vi: 'Nộp trùng, sẽ được hoàn', en: 'Paid twice, to be refunded' },
  after_window: { vi: 'Nộp sau hạn, sẽ được hoàn', en: 'Paid after the window, to be refunded' },
  refunded: { vi: 'Đã hoàn tiền', en: 'Refunded' },
};

const failure = (e: unknown): Bilingual => (e instanceof ApiError ? { vi: e.vi, en: e.en } : { vi: 'Đã có lỗi, xin thử lại.', en: 'Something went wrong; please try again.' });

function ReceiptCard({ r }: { r: Receipt }) {
  const { t, pick, num, dateTime } = useI18n();
  return (
    <div className="summary-card" data-testid="fee-receipt">
      <SummaryList
        rows={[
          { key: t('Mã giao dịch', 'Transaction'), value: r.transactionNo },
          { key: t('Số tiền', 'Amount'), value: `${num(r.amountVnd)} đ` },
          { key: t('Thời điểm nộp', 'Paid at'), value: dateTime(r.payDate) },
          { key: t('Ngân hàng', 'Bank'), value: r.bankCode ?? '' },
          { key: t('Tình trạng', 'State'), value: pick(RECEIPT_STATUS[r.status]) },
        ]}
      />
    </div>
  );
}

export function FeesPage() {
  const { t, pick, num, dateTime } = useI18n();
  usePageTitle(t('Lệ phí xét tuyển', 'Admission fees'));
  const [fees, setFees] = useState<Fees | null>(null);
  const [failed, setFailed] = useState<Bilingual | null>(null);
  const [message, setMessage] = useState<Bilingual | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(async () => setFees(await call(pay.getOwnFees, {})), []);
  useEffect(() => {
    load().catch((e: unknown) => setFailed(failure(e)));
  }, [load]);

  if (failed) return <NotificationBanner kind="warning" title={t('Chưa tải được', 'Could not load')}>{pick(failed)}</NotificationBanner>;
  if (!fees) return <Spinner label={{ vi: 'Đang tải', en: 'Loading' }} />;

  const startPayment = async () => {
    setBusy(true);
    setMessage(null);
    try {
      const o = await call(pay.createOrder, {});
      window.location.assign(o.payUrl);
    } catch (e) {
      setMessage(failure(e));
      setBusy(false);
      await load().catch(() => {});
    }
  };
  const g = fees.group;
  return (
    <>
      <h1>{t('Lệ phí xét tuyển', 'Admission fees')}</h1>
      {message && (
        <NotificationBanner kind="error" title={t('Chưa thanh toán được', 'Payment could not start')}>
          <p>{pick(message)}</p>
        </NotificationBanner>
      )}
      <p data-testid="fees-window">
        {g
          ? t(`${g.name} (nhóm tỉnh của bạn): nộp lệ phí từ ${dateTime(g.opensAt)} đến ${dateTime(g.closesAt)}.`, `${g.name} (your province group): fees are paid from ${dateTime(g.opensAt)} until ${dateTime(g.closesAt)}.`)
          : t('Thời gian nộp lệ phí theo nhóm tỉnh sẽ được công bố.', 'The payment window of your province group will be announced.')}
      </p>
      <p>
        {t(`Lệ phí ${num(fees.feePerWishVnd)} đồng một nguyện vọng. Chỉ nguyện vọng đã nộp lệ phí được xét tuyển.`, `The fee is ${num(fees.feePerWishVnd)} VND a wish. Only wishes whose fee is paid are considered.`)}
      </p>
      <h2>{t('Nguyện vọng', 'Wishes')}</h2>
      {fees.wishes.length === 0 ? (
        <p>{t('Bạn chưa có nguyện vọng nào.', 'You have no wishes yet.')}</p>
      ) : (
        <ol className="list" data-testid="fees-wishes">
          {fees.wishes.map((w) => (
            <li key={w.id}>
              <strong>
                {t('NV', 'Wish')} {w.position}
              </strong>{' '}
              {w.programmeName ?? w.programmeId} <StatusTag status={w.feeStatus === 'paid' ? 'verified' : w.feeStatus === 'pending' ? 'submitted' : 'draft'} label={FEE_STATUS[w.feeStatus]} />
            </li>
          ))}
        </ol>
      )}
      <div data-testid="fees-state" data-state={fees.state}>
        {fees.state === 'due' ? (
          <>
            <p className="lead">
              {t(`Cần nộp: ${num(fees.amountDueVnd)} đồng cho ${fees.wishesToPay} nguyện vọng.`, `To pay: ${num(fees.amountDueVnd)} VND for ${fees.wishesToPay} wish(es).`)}
            </p>
            {fees.openOrder && (
              <p>
                {t('Bạn đã mở một lần thanh toán chưa hoàn tất; bấm nút để tiếp tục.', 'You started a payment that is not complete; press the button to go on.')}{' '}
                <Link to={`/candidate/fees/return?order=${fees.openOrder.id}`}>{t('Xem tình trạng', 'See its state')}</Link>
              </p>
            )}
            <Button busy={busy} onClick={() => void startPayment()} data-testid="fees-pay">
              {t(`Thanh toán ${num(fees.amountDueVnd)} đ`, `Pay ${num(fees.amountDueVnd)} VND`)}
            </Button>
          </>
        ) : (
          <NotificationBanner kind={fees.state === 'paid' ? 'success' : fees.state === 'closed' ? 'warning' : 'info'} title={fees.state === 'paid' ? t('Đã nộp lệ phí', 'Fees paid') : t('Thanh toán', 'Payment')}>
            <p>{pick(fees.message)}</p>
            {fees.state === 'gateway_off' && (
              <Button disabled data-testid="fees-pay">
                {t('Thanh toán chưa mở', 'Payments are not open')}
              </Button>
            )}
          </NotificationBanner>
        )}
      </div>
      {fees.receipts.length > 0 && (
        <>
          <h2>{t('Biên lai', 'Receipts')}</h2>
          {fees.receipts.map((r) => (
            <ReceiptCard key={r.txnId} r={r} />
          ))}
        </>
      )}
    </>
  );
}

const STATE_TEXT: Record<View['state'], Bilingual> = {
  open: { vi: 'Chưa thanh toán.', en: 'Not paid yet.' },
  confirming: { vi: 'Đang xác nhận với cổng thanh toán…', en: 'Confirming with the payment gateway…' },
  paid: { vi: 'Đã nộp lệ phí: giao dịch đã được cổng thanh toán xác nhận.', en: 'Fees paid: the gateway has confirmed the payment.' },
  declined: { vi: 'Giao dịch không thành công hoặc đã bị hủy. Bạn có thể thanh toán lại.', en: 'The payment failed or was cancelled. You can pay again.' },
  closed: { vi: 'Lần thanh toán này đã đóng.', en: 'This payment is closed.' },
};

/** Back from the gateway: the return is shown, and the page waits for the confirmation. */
export function FeesReturnPage() {
  const { t, pick } = useI18n();
  usePageTitle(t('Kết quả thanh toán', 'Payment result'));
  const [view, setView] = useState<View | null>(null);
  const [orderId, setOrderId] = useState<string | null>(null);
  const [failed, setFailed] = useState<Bilingual | null>(null);
  const [busy, setBusy] = useState(false);
  const timer = useRef<number | undefined>(undefined);

  useEffect(() => {
    const q = new URLSearchParams(window.location.search);
    const own = q.get('order');
    const run = async () => {
      if (own) {
        setOrderId(own);
        setView(await call(pay.getOwnOrder, { params: { orderId: own } }));
        return;
      }
      const query: Record<string, string> = {};
      for (const [k, v] of q) if (k.startsWith('vnp_')) query[k] = v;
      const r = await call(pay.gatewayReturn, { query });
      if (!r.signatureValid || !r.view) {
        setFailed({ vi: 'Thông tin trả về từ cổng thanh toán không hợp lệ. Tình trạng thanh toán xem ở trang Lệ phí.', en: 'What the gateway sent back is not valid. See the state of your payment on the fees page.' });
        return;
      }
      setOrderId(r.orderId);
      setView(r.view);
    };
    run().catch((e: unknown) => setFailed(failure(e)));
  }, []);

  // while confirming: ask again every 2 seconds (the gateway's notification usually comes within seconds)
  useEffect(() => {
    if (!orderId || !view || (view.state !== 'confirming' && view.state !== 'open')) return;
    timer.current = window.setTimeout(() => {
      call(pay.getOwnOrder, { params: { orderId } })
        .then((v) => setView((old) => (old?.state === 'declined' && v.state === 'open' ? old : v)))
        .catch(() => {});
    }, 2000);
    return () => window.clearTimeout(timer.current);
  }, [orderId, view]);

  const check = async () => {
    if (!orderId) return;
    setBusy(true);
    try {
      setView(await call(pay.checkOwnOrder, { params: { orderId } }));
    } catch (e) {
      setFailed(failure(e));
    } finally {
      setBusy(false);
    }
  };

  if (failed)
    return (
      <>
        <h1>{t('Kết quả thanh toán', 'Payment result')}</h1>
        <NotificationBanner kind="warning" title={t('Chưa xác nhận được', 'Not confirmed')}>
          <p>{pick(failed)}</p>
        </NotificationBanner>
        <p>
          <Link to="/candidate/fees">{t('Về trang lệ phí', 'Back to the fees page')}</Link>
        </p>
      </>
    );
  if (!view) return <Spinner label={{ vi: 'Đang xác nhận', en: 'Confirming' }} />;
  return (
    <>
      <h1>{t('Kết quả thanh toán', 'Payment result')}</h1>
      <div data-testid="payment-state" data-state={view.state} role="status" aria-live="polite">
        <NotificationBanner kind={view.state === 'paid' ? 'success' : view.state === 'declined' ? 'warning' : 'info'} title={view.state === 'paid' ? t('Đã thanh toán', 'Paid') : view.state === 'confirming' ? t('Đang xác nhận', 'Confirming') : t('Thanh toán', 'Payment')}>
          <p>{pick(STATE_TEXT[view.state])}</p>
        </NotificationBanner>
      </div>
      {view.receipt && view.state === 'paid' && <ReceiptCard r={view.receipt} />}
      {(view.state === 'confirming' || view.state === 'open') && (
        <Button variant="secondary" busy={busy} onClick={() => void check()}>
          {t('Kiểm tra lại với cổng thanh toán', 'Check again with the gateway')}
        </Button>
      )}
      <p>
        <Link to="/candidate/fees">{t('Về trang lệ phí', 'Back to the fees page')}</Link>
      </p>
    </>
  );
}
