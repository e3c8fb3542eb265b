// The candidate's score reviews (phúc khảo): choose papers with a published score inside the review window,
// see the fee before sending (owed, paid at the registration point: there is no payment link yet), follow
// each paper's status and outcome, and withdraw a request the department has not started.
import { useCallback, useEffect, useState } from 'react';
import * as reviews from '../../contracts/reviews.ts';
import type { ResponseOf } from '../../contracts/operation.ts';
import type { Finding } from '../../domain/messages.ts';
import { call } from '../api/call.ts';
import { ApiError } from '../api/client.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { usePageTitle } from '../router.tsx';
import { Button, ErrorSummary, NotificationBanner, Spinner, StatusTag } from '../components/feedback.tsx';
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
      setDone({ vi: `Đã nộp đơn phúc khảo ${r.items.length} bài thi. Lệ phí ${num(r.feeTotalVnd)} đồng nộp tại điểm tiếp nhận.`, en: `Review requested for ${r.items.length} paper(s). The fee of ${num(r.feeTotalVnd)} VND is paid at your registration point.` });
      await load();
    });
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
      <p>
        {t(
          `Lệ phí ${num(own.feePerPaperVnd)} đồng một bài thi, nộp tại điểm tiếp nhận hồ sơ. Bài tự luận (Ngữ văn) được điều chỉnh khi điểm phúc khảo lệch từ 0,25 điểm trở lên; bài trắc nghiệm được chấm lại theo phiếu trả lời.`,
          `The fee is ${num(own.feePerPaperVnd)} VND a paper, paid at your registration point. An essay (Literature) mark changes when the review differs by 0.25 or more; multiple-choice answers are re-marked against the answer sheet.`,
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
      {own.requests.map((r) => (
        <SummaryCard
          key={r.id}
          title={
            <>
              {dateTime(r.requestedAt)} <StatusTag status={r.status} label={STATUS[r.status]} />
            </>
          }
          action={
            r.status === 'requested' ? (
              <Button variant="secondary" busy={busy} onClick={() => withdraw(r.id)} data-testid={`withdraw-${r.id}`}>
                {t('Rút đơn', 'Withdraw')}
              </Button>
            ) : undefined
          }
        >
          <SummaryList
            rows={[
              ...r.items.map((i) => ({ key: subjectName(i.subject, lang), value: <span data-testid={`review-item-${i.subject}`}>{pick(itemState(i))}</span> })),
              { key: t('Lệ phí', 'Fee'), value: t(`${num(r.feeTotalVnd)} đồng, nộp tại điểm tiếp nhận`, `${num(r.feeTotalVnd)} VND, paid at the registration point`) },
            ]}
          />
        </SummaryCard>
      ))}
    </>
  );
}
