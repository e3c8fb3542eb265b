// The national links on the operations page: each link's state (up, slow, down, breaker open), the jobs
// waiting for it and its last success, refreshed with the rest of the page (paused with it).
import { useEffect, useState } from 'react';
import { call } from '../api/call.ts';
import { ApiError } from '../api/client.ts';
import type { ResponseOf } from '../../contracts/operation.ts';
import { getLinkStatuses } from '../../contracts/links.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';

type Links = ResponseOf<typeof getLinkStatuses>['links'];

const NAMES: Record<Links[number]['link'], Bilingual> = {
  vneid: { vi: 'VNeID (đăng nhập)', en: 'VNeID (sign-in)' },
  population: { vi: 'CSDL quốc gia về dân cư', en: 'National population database' },
  portal: { vi: 'Cổng Dịch vụ công quốc gia', en: 'National Public Service Portal' },
};
const STATES: Record<Links[number]['state'], Bilingual> = {
  up: { vi: 'Hoạt động', en: 'Up' },
  slow: { vi: 'Chậm', en: 'Slow' },
  down: { vi: 'Mất kết nối', en: 'Down' },
  breaker_open: { vi: 'Tạm ngắt (cầu dao mở)', en: 'Breaker open' },
  unknown: { vi: 'Chưa có lần gọi nào', en: 'No call yet' },
};
const TAG: Record<Links[number]['state'], string> = { up: 'tag--green', slow: 'tag--yellow', down: 'tag--red', breaker_open: 'tag--red', unknown: 'tag--grey' };

export function LinksPanel({ paused, refreshMs = 5000 }: { paused: boolean; refreshMs?: number }) {
  const { t, pick, num, lang } = useI18n();
  const [links, setLinks] = useState<Links | null>(null);
  const [failed, setFailed] = useState<Bilingual | null>(null);
  useEffect(() => {
    if (paused) return;
    let stop = false;
    let timer: number | undefined;
    const load = async () => {
      if (!document.hidden) {
        try {
          setLinks((await call(getLinkStatuses, {}, { retries: 0 })).links);
          setFailed(null);
        } catch (e) {
          setFailed(e instanceof ApiError ? e : { vi: 'Không lấy được trạng thái kết nối.', en: 'Could not load the links’ state.' });
        }
      }
      if (!stop) timer = window.setTimeout(() => void load(), refreshMs);
    };
    void load();
    return () => {
      stop = true;
      window.clearTimeout(timer);
    };
  }, [paused, refreshMs]);
  const when = (iso: string | null) =>
    iso ? new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(iso)) : '—';
  return (
    <section aria-labelledby="links-title">
      <h2 id="links-title">{t('Kết nối quốc gia', 'National links')}</h2>
      {failed && <p className="error-message">{pick(failed)}</p>}
      {links && (
        <div className="table-wrap" role="region" aria-labelledby="links-caption" tabIndex={0}>
          <table className="table">
            <caption id="links-caption">{t('Trạng thái từng kết nối, việc đang chờ gửi và lần thành công gần nhất', 'Each link’s state, the jobs waiting for it and its last success')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('Kết nối', 'Link')}</th>
                <th scope="col">{t('Trạng thái', 'State')}</th>
                <th scope="col">{t('Việc chờ gửi', 'Backlog')}</th>
                <th scope="col">{t('Thành công gần nhất', 'Last success')}</th>
                <th scope="col">{t('Lỗi gần nhất', 'Last error')}</th>
              </tr>
            </thead>
            <tbody>
              {links.map((l) => (
                <tr key={l.link} data-testid={`link-${l.link}`}>
                  <th scope="row">{pick(NAMES[l.link])}</th>
                  <td>{l.configured ? <strong className={`tag ${TAG[l.state]}`}>{pick(STATES[l.state])}</strong> : t('Chưa cấu hình', 'Not configured')}</td>
                  <td>{l.backlog === null ? '—' : num(l.backlog)}</td>
                  <td>{when(l.lastSuccessAt)}</td>
                  <td>{l.lastError ? `${when(l.lastErrorAt)}: ${l.lastError}` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
