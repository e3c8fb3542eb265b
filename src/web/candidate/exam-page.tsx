// The candidate's exam page: their candidate number, exam site and room for each session, once the
// department has numbered them, and their exam notice (giấy báo dự thi) to download and print.
import { useEffect, useState } from 'react';
import * as exam from '../../contracts/exam.ts';
import type { ResponseOf } from '../../contracts/operation.ts';
import { call, urlOf } from '../api/call.ts';
import { ApiError } from '../api/client.ts';
import { useI18n } from '../i18n.tsx';
import { usePageTitle } from '../router.tsx';
import { NotificationBanner, Spinner } from '../components/feedback.tsx';
import { SummaryList } from '../components/lists.tsx';
import { subjectName } from './reference.ts';

type Own = ResponseOf<typeof exam.getOwnSeating>;

const WEEKDAYS = {
  vi: ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};
/** "2026-06-11" → "Thứ Năm, 11/06/2026" (a local date, as the notice prints it) */
function localDay(iso: string, lang: 'vi' | 'en'): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return `${WEEKDAYS[lang][new Date(Date.UTC(y, m - 1, d)).getUTCDay()]}, ${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`;
}

export function ExamPage() {
  const { t, pick, lang } = useI18n();
  usePageTitle(t('Số báo danh và phòng thi', 'Candidate number and rooms'));
  const [own, setOwn] = useState<Own | null>(null);
  const [failed, setFailed] = useState<{ vi: string; en: string } | null>(null);
  useEffect(() => {
    call(exam.getOwnSeating, {}).then(setOwn, (e: unknown) => setFailed(e instanceof ApiError ? { vi: e.vi, en: e.en } : { vi: 'Đã có lỗi, xin thử lại.', en: 'Something went wrong; please try again.' }));
  }, []);
  if (failed) return <NotificationBanner kind="warning" title={t('Chưa tải được', 'Could not load')}>{pick(failed)}</NotificationBanner>;
  if (!own) return <Spinner label={{ vi: 'Đang tải', en: 'Loading' }} />;
  return (
    <>
      <h1>{t('Số báo danh và phòng thi', 'Candidate number and rooms')}</h1>
      {own.number === null ? (
        <p>{t('Sở GD&ĐT chưa đánh số báo danh cho bạn. Số báo danh có sau khi hết hạn đăng ký và hồ sơ đã được duyệt.', 'The department has not numbered you yet. Numbers come after registration closes, for verified dossiers.')}</p>
      ) : (
        <>
          <SummaryList
            rows={[
              { key: t('Số báo danh', 'Candidate number'), value: <strong data-testid="own-number">{own.number}</strong> },
              { key: t('Điểm thi', 'Exam site'), value: own.site ? `${own.site.name} (${own.site.code})` : '' },
              { key: t('Địa chỉ', 'Address'), value: own.site?.address ?? '' },
              ...(own.checkIn ? [{ key: t('Làm thủ tục dự thi', 'Check-in at the site'), value: <span data-testid="check-in">{`${own.checkIn.time}, ${localDay(own.checkIn.date, lang)}`}</span> }] : []),
            ]}
          />
          <p>
            <a className="button" href={urlOf(exam.ownNotice)} download data-testid="own-notice">
              {t('Tải giấy báo dự thi (PDF)', 'Download the exam notice (PDF)')}
            </a>
          </p>
          <p>
            <a href="/candidate/results" data-testid="results-link">
              {t('Xem kết quả thi (từ thời điểm Bộ công bố)', 'See your exam results (from the ministry’s release)')}
            </a>
          </p>
          <p>{t('In giấy báo dự thi và mang theo cùng Căn cước khi đi thi. Giờ thi là giờ tính giờ làm bài; có mặt tại phòng thi trước giờ đó.', 'Print the notice and bring it with your identity card to the exam. The times are when the paper starts; be in the room before then.')}</p>
          <div className="table-wrap" role="region" aria-labelledby="sessions-caption" tabIndex={0}>
            <table className="table" data-testid="own-sessions">
              <caption id="sessions-caption" className="visually-hidden">
                {t('Lịch thi, phòng thi của bạn', 'Your sessions, times and rooms')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('Môn / buổi thi', 'Session')}</th>
                  <th scope="col">{t('Ngày, giờ thi', 'Date and time')}</th>
                  <th scope="col">{t('Phòng thi', 'Room')}</th>
                  <th scope="col">{t('Số thứ tự', 'Seat')}</th>
                </tr>
              </thead>
              <tbody>
                {own.sessions.map((s) => (
                  <tr key={s.session}>
                    <td>{subjectName(s.session, lang)}</td>
                    <td>{s.date && s.start ? `${localDay(s.date, lang)}, ${s.start}–${s.end ?? ''}` : t('Theo thông báo của Hội đồng thi', 'As the exam council announces')}</td>
                    <td>{s.room}</td>
                    <td>{s.seat}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
