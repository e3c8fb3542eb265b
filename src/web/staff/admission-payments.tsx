// The ministry's admission fees page: fees collected per payment group (with each group's window and the
// wishes left unpaid at its close), orders pending, the daily reconciliation with the gateway's statement
// and its differences, and the payments to refund (a second payment, one after the window) with the
// refund action, recorded and audited.
import { useCallback, useEffect, useState } from 'react';
import * as pay from '../../contracts/payments.ts';
import type { ResponseOf } from '../../contracts/operation.ts';
import { call } from '../api/call.ts';
import { ApiError } from '../api/client.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { usePageTitle } from '../router.tsx';
import { Button, NotificationBanner, Spinner } from '../components/feedback.tsx';
import { TextInput } from '../components/forms.tsx';

type Summary = ResponseOf<typeof pay.getPaymentsSummary>;
type Txn = Summary['toRefund'][number];

const failure = (e: unknown): Bilingual => (e instanceof ApiError ? { vi: e.vi, en: e.en } : { vi: 'Đã có lỗi, xin thử lại.', en: 'Something went wrong; please try again.' });
const WINDOW: Record<Summary['groups'][number]['windowState'], Bilingual> = {
  not_open: { vi: 'Chưa mở', en: 'Not open' },
  open: { vi: 'Đang mở', en: 'Open' },
  closed: { vi: 'Đã đóng', en: 'Closed' },
};
const vnToday = () => new Date(Date.now() + 7 * 3600_000 - 86_400_000).toISOString().slice(0, 10);

function RefundRow({ x, onDone }: { x: Txn; onDone: (m: Bilingual) => void }) {
  const { t, num, dateTime, pick } = useI18n();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<Bilingual | null>(null);
  const refund = async () => {
    setBusy(true);
    setErr(null);
    try {
      await call(pay.refundTxn, { params: { txnId: x.txnId }, body: { reason: reason || (x.status === 'duplicate' ? 'Nộp trùng / paid twice' : 'Nộp sau hạn / paid after the window') } });
      onDone({ vi: `Đã hoàn ${num(x.amountVnd)} đồng (giao dịch ${x.transactionNo}).`, en: `Refunded ${num(x.amountVnd)} VND (transaction ${x.transactionNo}).` });
    } catch (e) {
      setErr(failure(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="summary-card" data-testid="refund-item">
      <p>
        <strong>{x.transactionNo}</strong> · {num(x.amountVnd)} đ · {dateTime(x.payDate)} · {x.status === 'duplicate' ? t('nộp trùng', 'paid twice') : t('nộp sau hạn', 'after the window')} · {x.groupCode === pay.REVIEW_PAYMENT_GROUP ? t('phí phúc khảo', 'score review fee') : `${t('nhóm', 'group')} ${x.groupCode}`}
      </p>
      {err && <p className="error-message">{pick(err)}</p>}
      <TextInput field={`reason-${x.txnId}`} label={t('Lý do hoàn tiền', 'Reason for the refund')} value={reason} onChange={setReason} maxLength={500} />
      <Button variant="warning" busy={busy} onClick={() => void refund()} data-testid="refund-button">
        {t('Hoàn tiền', 'Refund')}
      </Button>
    </li>
  );
}

export function AdmissionPaymentsPage() {
  const { t, num, dateTime, pick } = useI18n();
  usePageTitle(t('Lệ phí xét tuyển', 'Admission fees'));
  const [s, setS] = useState<Summary | null>(null);
  const [failed, setFailed] = useState<Bilingual | null>(null);
  const [done, setDone] = useState<Bilingual | null>(null);
  const [day, setDay] = useState(vnToday());
  const [busy, setBusy] = useState(false);
  const load = useCallback(async () => setS(await call(pay.getPaymentsSummary, {})), []);
  useEffect(() => {
    load().catch((e: unknown) => setFailed(failure(e)));
  }, [load]);
  if (failed && !s) return <NotificationBanner kind="warning" title={t('Chưa tải được', 'Could not load')}>{pick(failed)}</NotificationBanner>;
  if (!s) return <Spinner label={{ vi: 'Đang tải', en: 'Loading' }} />;
  const reconcile = async () => {
    setBusy(true);
    setFailed(null);
    try {
      const r = await call(pay.reconcileDay, { body: { date: day } });
      setDone({ vi: `Đối soát ngày ${r.statementDay}: ${r.gatewayLines} dòng sao kê, ${r.fixed} khoản đã bổ sung, ${r.flagged} khoản cần kiểm tra.`, en: `Reconciled ${r.statementDay}: ${r.gatewayLines} statement lines, ${r.fixed} fixed, ${r.flagged} flagged.` });
      await load();
    } catch (e) {
      setFailed(failure(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h1>{t('Lệ phí xét tuyển', 'Admission fees')}</h1>
      {!s.configured && (
        <NotificationBanner kind="warning" title={t('Chưa kết nối cổng thanh toán', 'No payment gateway')}>
          <p>{t('Chưa cấu hình cổng thanh toán (PAYMENT_URL, PAYMENT_MERCHANT_CODE, PAYMENT_SECRET).', 'The payment gateway is not configured (PAYMENT_URL, PAYMENT_MERCHANT_CODE, PAYMENT_SECRET).')}</p>
        </NotificationBanner>
      )}
      {done && (
        <NotificationBanner kind="success" title={t('Đã ghi nhận', 'Done')}>
          <p>{pick(done)}</p>
        </NotificationBanner>
      )}
      {failed && (
        <NotificationBanner kind="error" title={t('Chưa thực hiện được', 'Not done')}>
          <p>{pick(failed)}</p>
        </NotificationBanner>
      )}
      <p className="lead" data-testid="payments-total" data-collected={s.totals.collectedVnd}>
        {t(`Đã thu ${num(s.totals.collectedVnd)} đồng của ${num(s.totals.paidCandidates)} thí sinh (${num(s.totals.paidWishes)} nguyện vọng); ${num(s.totals.pendingOrders)} lượt đang chờ; đã hoàn ${num(s.totals.refundedVnd)} đồng.`, `Collected ${num(s.totals.collectedVnd)} VND from ${num(s.totals.paidCandidates)} candidates (${num(s.totals.paidWishes)} wishes); ${num(s.totals.pendingOrders)} pending; refunded ${num(s.totals.refundedVnd)} VND.`)}
      </p>
      <p data-testid="review-fees-total" data-collected={s.reviewFees.collectedVnd}>
        {t(
          `Lệ phí phúc khảo nộp trực tuyến (tính riêng): đã thu ${num(s.reviewFees.collectedVnd)} đồng cho ${num(s.reviewFees.paidRequests)} đơn (${num(s.reviewFees.paidPapers)} bài thi); ${num(s.reviewFees.pendingOrders)} lượt đang chờ (${num(s.reviewFees.pendingVnd)} đồng).`,
          `Score review fees paid online (counted apart): ${num(s.reviewFees.collectedVnd)} VND collected for ${num(s.reviewFees.paidRequests)} request(s) (${num(s.reviewFees.paidPapers)} paper(s)); ${num(s.reviewFees.pendingOrders)} pending (${num(s.reviewFees.pendingVnd)} VND).`,
        )}
      </p>
      <h2 id="payment-groups">{t('Theo nhóm tỉnh', 'By province group')}</h2>
      <div className="table-wrap" role="region" aria-labelledby="payment-groups" tabIndex={0}>
        <table className="table" data-testid="payment-groups">
          <thead>
            <tr>
              <th>{t('Nhóm', 'Group')}</th>
              <th>{t('Thời gian', 'Window')}</th>
              <th>{t('Đã thu (đ)', 'Collected (VND)')}</th>
              <th>{t('Thí sinh', 'Candidates')}</th>
              <th>{t('Đang chờ', 'Pending')}</th>
              <th>{t('Chưa nộp khi đóng', 'Unpaid at close')}</th>
            </tr>
          </thead>
          <tbody>
            {s.groups.map((g) => (
              <tr key={g.code} data-group={g.code}>
                <td>{g.name}</td>
                <td>
                  {dateTime(g.opensAt)} – {dateTime(g.closesAt)} ({pick(WINDOW[g.windowState])})
                </td>
                <td data-testid={`collected-${g.code}`}>{num(g.collectedVnd)}</td>
                <td>{num(g.paidCandidates)}</td>
                <td>
                  {num(g.pendingOrders)} ({num(g.pendingVnd)} đ)
                </td>
                <td>{g.unpaidWishesAtClose === null ? '—' : num(g.unpaidWishesAtClose)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('Cần hoàn tiền', 'To refund')}</h2>
      {s.toRefund.length === 0 ? (
        <p>{t('Không có khoản nào.', 'None.')}</p>
      ) : (
        <ul className="list" data-testid="to-refund">
          {s.toRefund.map((x) => (
            <RefundRow
              key={x.txnId}
              x={x}
              onDone={(m) => {
                setDone(m);
                void load();
              }}
            />
          ))}
        </ul>
      )}
      <h2>{t('Đối soát với cổng thanh toán', 'Reconciliation with the gateway')}</h2>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void reconcile();
        }}
      >
        <div className="form-group">
          <label className="label" htmlFor="reconcile-date">
            {t('Ngày sao kê', 'Statement day')}
          </label>
          <input className="input input--w10" id="reconcile-date" type="date" value={day} onChange={(e) => setDay(e.target.value)} />
        </div>
        <Button type="submit" busy={busy} disabled={!s.configured}>
          {t('Đối soát', 'Reconcile')}
        </Button>
      </form>
      {s.reconciliations.map((r) => (
        <div key={r.id} className="summary-card" data-testid="reconciliation">
          <p>
            <strong>{r.statementDay}</strong> · {dateTime(r.runAt)} · {t(`${r.gatewayLines} dòng, ${r.fixed} đã bổ sung, ${r.flagged} cần kiểm tra`, `${r.gatewayLines} lines, ${r.fixed} fixed, ${r.flagged} flagged`)}
          </p>
          {r.differences.length > 0 && (
            <ul className="list">
              {r.differences.map((d, i) => (
                <li key={i}>
                  {d.transactionNo ?? d.orderId}: {pick(d)} {d.gatewayAmountVnd !== null && `(${t('cổng', 'gateway')} ${num(d.gatewayAmountVnd)} đ)`} {d.localAmountVnd !== null && `(${t('ở đây', 'here')} ${num(d.localAmountVnd)} đ)`}
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </>
  );
}
