// Back from the payment gateway, for any of the candidate's payments (the admission fees' wishes, a score
// review's fee): the gateway's return is checked by the server (its signature, the order being the
// candidate's own) and never taken as paid; the page says "confirming" and asks again until the gateway's
// own notification (or a query) has confirmed, then paid, declined or closed, with what to do next and the
// way back to the page the payment was for. A refresh asks the server again, so it stays right.
import { useEffect, useRef, useState } from 'react';
import * as pay from '../../contracts/payments.ts';
import type { ResponseOf } from '../../contracts/operation.ts';
import { call } from '../api/call.ts';
import { ApiError } from '../api/client.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { Link, usePageTitle } from '../router.tsx';
import { Button, NotificationBanner, Spinner } from '../components/feedback.tsx';
import { SummaryList } from '../components/lists.tsx';

type View = ResponseOf<typeof pay.getOwnOrder>;
export type Receipt = ResponseOf<typeof pay.getOwnFees>['receipts'][number];
export type PaymentState = View['state'];

export const RECEIPT_STATUS: Record<Receipt['status'], Bilingual> = {
  applied: { vi: 'Đã ghi nhận', en: 'Recorded' },
  duplicate: { vi: 'Nộp trùng, sẽ được hoàn', en: 'Paid twice, to be refunded' },
  after_window: { vi: 'Nộp sau hạn, sẽ được hoàn', en: 'Paid after the window, to be refunded' },
  refunded: { vi: 'Đã hoàn tiền', en: 'Refunded' },
};

export const failure = (e: unknown): Bilingual => (e instanceof ApiError ? { vi: e.vi, en: e.en } : { vi: 'Đã có lỗi, xin thử lại.', en: 'Something went wrong; please try again.' });

export function ReceiptCard({ r }: { r: Receipt }) {
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

const STATE_TEXT: Record<PaymentState, Bilingual> = {
  open: { vi: 'Chưa thanh toán.', en: 'Not paid yet.' },
  confirming: { vi: 'Đang xác nhận với cổng thanh toán…', en: 'Confirming with the payment gateway…' },
  paid: { vi: 'Đã nộp lệ phí: giao dịch đã được cổng thanh toán xác nhận.', en: 'Fees paid: the gateway has confirmed the payment.' },
  declined: { vi: 'Giao dịch không thành công hoặc đã bị hủy. Bạn có thể thanh toán lại.', en: 'The payment failed or was cancelled. You can pay again.' },
  closed: { vi: 'Lần thanh toán này đã đóng.', en: 'This payment is closed.' },
};

export interface ReturnPageProps {
  /** the page the payment was for, and its name in "Back to …" */
  back: { to: string; label: Bilingual };
  /** what to say in a state instead of the general words (what happens next, what to do) */
  texts?: Partial<Record<PaymentState, Bilingual>>;
  /** what to say when the gateway's return cannot be checked */
  invalid: Bilingual;
}

/** Back from the gateway: the return is shown, and the page waits for the confirmation. */
export function PaymentReturnPage({ back, texts = {}, invalid }: ReturnPageProps) {
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
        setFailed(invalid);
        return;
      }
      setOrderId(r.orderId);
      setView(r.view);
    };
    run().catch((e: unknown) => setFailed(failure(e)));
  }, [invalid]);

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
          <Link to={back.to} data-testid="payment-back">{pick(back.label)}</Link>
        </p>
      </>
    );
  if (!view) return <Spinner label={{ vi: 'Đang xác nhận', en: 'Confirming' }} />;
  return (
    <>
      <h1>{t('Kết quả thanh toán', 'Payment result')}</h1>
      <div data-testid="payment-state" data-state={view.state} role="status" aria-live="polite">
        <NotificationBanner kind={view.state === 'paid' ? 'success' : view.state === 'declined' ? 'warning' : 'info'} title={view.state === 'paid' ? t('Đã thanh toán', 'Paid') : view.state === 'confirming' ? t('Đang xác nhận', 'Confirming') : t('Thanh toán', 'Payment')}>
          <p>{pick(texts[view.state] ?? STATE_TEXT[view.state])}</p>
        </NotificationBanner>
      </div>
      {view.receipt && view.state === 'paid' && <ReceiptCard r={view.receipt} />}
      {(view.state === 'confirming' || view.state === 'open') && (
        <Button variant="secondary" busy={busy} onClick={() => void check()}>
          {t('Kiểm tra lại với cổng thanh toán', 'Check again with the gateway')}
        </Button>
      )}
      <p>
        <Link to={back.to} data-testid="payment-back">{pick(back.label)}</Link>
      </p>
    </>
  );
}
