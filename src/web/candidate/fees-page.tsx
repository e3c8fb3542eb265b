// The candidate's admission fees (lệ phí xét tuyển): their wishes with each fee's state, the amount due,
// their province group's payment window, the pay button (to the gateway), the state of the payment and the
// receipt. Back from the gateway (/candidate/fees/return, payment-return.tsx) the page says "confirming"
// until the gateway's own notification (or a query) has confirmed: the return alone is never taken as paid.
import { useCallback, useEffect, useState } from 'react';
import * as pay from '../../contracts/payments.ts';
import type { ResponseOf } from '../../contracts/operation.ts';
import { call } from '../api/call.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { Link, usePageTitle } from '../router.tsx';
import { Button, NotificationBanner, Spinner, StatusTag } from '../components/feedback.tsx';
import { PaymentReturnPage, ReceiptCard, failure } from './payment-return.tsx';

type Fees = ResponseOf<typeof pay.getOwnFees>;

const FEE_STATUS: Record<Fees['wishes'][number]['feeStatus'], Bilingual> = {
  unpaid: { vi: 'Chưa nộp', en: 'Unpaid' },
  pending: { vi: 'Đang chờ thanh toán', en: 'Awaiting payment' },
  paid: { vi: 'Đã nộp', en: 'Paid' },
  refunded: { vi: 'Đã hoàn tiền', en: 'Refunded' },
};

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

const BACK = { to: '/candidate/fees', label: { vi: 'Về trang lệ phí', en: 'Back to the fees page' } };
const INVALID: Bilingual = { vi: 'Thông tin trả về từ cổng thanh toán không hợp lệ. Tình trạng thanh toán xem ở trang Lệ phí.', en: 'What the gateway sent back is not valid. See the state of your payment on the fees page.' };

/** Back from the gateway after paying the wishes' fees. */
export function FeesReturnPage() {
  return <PaymentReturnPage back={BACK} invalid={INVALID} />;
}
