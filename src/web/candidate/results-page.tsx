// The candidate's results page (issue 22, item 5): from the ministry's release instant (08:00 on the
// results morning) the scores of each paper, absences and disciplinary marks as printed, ĐXTN and the
// graduation result; before it, when the results come. One column, readable at 360 px.
import { useEffect, useState } from 'react';
import * as results from '../../contracts/results.ts';
import type { ResponseOf } from '../../contracts/operation.ts';
import { call } from '../api/call.ts';
import { ApiError } from '../api/client.ts';
import { useI18n } from '../i18n.tsx';
import { usePageTitle } from '../router.tsx';
import { NotificationBanner, Spinner } from '../components/feedback.tsx';
import { SummaryList } from '../components/lists.tsx';

type Own = ResponseOf<typeof results.ownResults>;

const fmt = (n: number | null, lang: 'vi' | 'en') => (n === null ? '—' : lang === 'vi' ? n.toFixed(2).replace('.', ',') : n.toFixed(2));

export function ResultsPage() {
  const { t, pick, lang } = useI18n();
  usePageTitle(t('Kết quả thi', 'Exam results'));
  const [own, setOwn] = useState<Own | null>(null);
  const [failed, setFailed] = useState<{ code: string; vi: string; en: string } | null>(null);
  useEffect(() => {
    call(results.ownResults, {}).then(setOwn, (e: unknown) =>
      setFailed(e instanceof ApiError ? { code: e.code, vi: e.vi, en: e.en } : { code: 'ERROR', vi: 'Đã có lỗi, xin thử lại.', en: 'Something went wrong; please try again.' }),
    );
  }, []);
  if (failed)
    return (
      <>
        <h1>{t('Kết quả thi', 'Exam results')}</h1>
        <NotificationBanner kind={failed.code === 'RESULTS_NOT_RELEASED' ? 'info' : 'warning'} title={failed.code === 'RESULTS_NOT_RELEASED' ? t('Chưa công bố', 'Not released yet') : t('Chưa tải được', 'Could not load')}>
          <p data-testid="results-message">{pick(failed)}</p>
        </NotificationBanner>
      </>
    );
  if (!own) return <Spinner label={{ vi: 'Đang tải', en: 'Loading' }} />;
  const passed = own.graduation.status === 'passed';
  return (
    <>
      <h1>{t('Kết quả thi', 'Exam results')}</h1>
      <NotificationBanner kind={passed ? 'success' : 'info'} title={pick(own.graduation)}>
        <p data-testid="results-graduation">
          {t('ĐXTN', 'Graduation score')}: <strong>{fmt(own.graduationScore, lang)}</strong>
        </p>
      </NotificationBanner>
      <SummaryList
        rows={[
          { key: t('Số báo danh', 'Candidate number'), value: <strong data-testid="results-number">{own.number}</strong> },
          { key: t('Điểm trung bình cả năm (ĐTB)', 'School-year average'), value: fmt(own.schoolAverage, lang) },
          { key: t('Điểm khuyến khích', 'Encouragement points'), value: fmt(own.encouragementPoints, lang) },
          { key: t('Điểm ưu tiên', 'Priority points'), value: fmt(own.priorityPoints, lang) },
        ]}
      />
      <h2>{t('Điểm từng bài thi', 'Score of each paper')}</h2>
      <table className="table" data-testid="results-papers">
        <thead>
          <tr>
            <th>{t('Bài thi', 'Paper')}</th>
            <th>{t('Điểm', 'Score')}</th>
          </tr>
        </thead>
        <tbody>
          {own.papers.map((p) => (
            <tr key={p.subject}>
              <td>{pick(p.name)}</td>
              <td>{pick(p)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {own.reasons.length > 0 && (
        <>
          <h2>{t('Lý do', 'Why')}</h2>
          <ul>
            {own.reasons.map((r, i) => (
              <li key={i}>{pick(r)}</li>
            ))}
          </ul>
        </>
      )}
      <p>{t('KT: khiển trách; CC: cảnh cáo (kỷ luật trong phòng thi).', 'KT: reprimand; CC: warning (disciplinary marks in the exam room).')}</p>
    </>
  );
}
