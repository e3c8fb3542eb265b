// The candidate's admission wishes (nguyện vọng): find published programmes by name or code (diacritics
// optional), add them, move them up and down (buttons: no drag-only control on a 360 px screen), remove
// them; each wish shows whether it is eligible and why not. Saved as it changes, with If-Match on the
// list's version; read-only once frozen (17:00 on the last day).
import { useCallback, useEffect, useState } from 'react';
import * as adm from '../../contracts/admission.ts';
import type { ResponseOf } from '../../contracts/operation.ts';
import { call } from '../api/call.ts';
import { ApiError } from '../api/client.ts';
import { useI18n } from '../i18n.tsx';
import { usePageTitle } from '../router.tsx';
import { Button, Spinner } from '../components/feedback.tsx';

type List = ResponseOf<typeof adm.getOwnWishes>;
type Found = ResponseOf<typeof adm.searchProgrammes>['items'][number];

export function WishesPage() {
  const { t, pick } = useI18n();
  usePageTitle(t('Nguyện vọng xét tuyển', 'Admission wishes'));
  const [list, setList] = useState<List | null>(null);
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Found[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setList(await call(adm.getOwnWishes, {}));
    } catch (e) {
      setProblem(e instanceof ApiError ? pick(e) : t('Không tải được danh sách.', 'The list could not be loaded.'));
    }
  }, [pick, t]);
  useEffect(() => void load(), [load]);

  const save = async (ids: string[]) => {
    if (!list) return;
    setBusy(true);
    setProblem(null);
    try {
      setList(await call(adm.saveOwnWishes, { body: { wishes: ids.map((programmeId) => ({ programmeId })) } }, { ifMatch: `"${list.version}"` }));
    } catch (e) {
      setProblem(e instanceof ApiError ? pick(e) : t('Chưa lưu được.', 'Not saved.'));
      if (e instanceof ApiError && e.status === 412) await load();
    } finally {
      setBusy(false);
    }
  };

  const search = async () => {
    if (q.trim().length < 2) return;
    try {
      setFound((await call(adm.searchProgrammes, { query: { q, limit: 20 } })).items);
    } catch (e) {
      setProblem(e instanceof ApiError ? pick(e) : t('Không tìm được.', 'The search failed.'));
    }
  };

  if (!list) return problem ? <p role="alert">{problem}</p> : <Spinner label={{ vi: 'Đang tải', en: 'Loading' }} />;
  const ids = list.wishes.map((w) => w.programme.id);
  const move = (i: number, d: -1 | 1) => {
    const next = [...ids];
    [next[i], next[i + d]] = [next[i + d]!, next[i]!];
    void save(next);
  };
  const readOnly = list.frozen || list.window.state !== 'open' || busy;
  return (
    <>
      <h1>{t('Nguyện vọng xét tuyển', 'Admission wishes')}</h1>
      {list.frozen && <p>{t('Đã hết hạn đăng ký (17:00); danh sách đã được chốt.', 'Registration has closed (17:00); your list is final.')}</p>}
      {problem && <p role="alert">{problem}</p>}
      <ol className="wish-list">
        {list.wishes.map((w, i) => (
          <li key={w.programme.id}>
            <strong>{w.programme.name}</strong> ({w.programme.id}, {w.combination})
            <div>
              {w.eligibility === 'eligible'
                ? t(`Đủ điều kiện${w.score !== null ? `: ${w.score.toFixed(2)} điểm` : ''}`, `Eligible${w.score !== null ? `: ${w.score.toFixed(2)} points` : ''}`)
                : w.eligibility === 'no_results'
                  ? t('Chưa có điểm', 'No results yet')
                  : t('Chưa đủ điều kiện', 'Not eligible')}
            </div>
            {w.reasons.map((r) => (
              <div key={r.code + r.field}>{t(r.vi, r.en)}</div>
            ))}
            {!readOnly && (
              <div>
                <Button variant="secondary" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t(`Đưa nguyện vọng ${i + 1} lên`, `Move wish ${i + 1} up`)}>
                  ↑
                </Button>{' '}
                <Button variant="secondary" disabled={i === ids.length - 1} onClick={() => move(i, 1)} aria-label={t(`Đưa nguyện vọng ${i + 1} xuống`, `Move wish ${i + 1} down`)}>
                  ↓
                </Button>{' '}
                <Button variant="warning" onClick={() => void save(ids.filter((x) => x !== w.programme.id))}>
                  {t('Xoá', 'Remove')}
                </Button>
              </div>
            )}
          </li>
        ))}
      </ol>
      {!readOnly && (
        <section>
          <h2>{t('Tìm ngành', 'Find a programme')}</h2>
          <label htmlFor="wish-q">{t('Tên hoặc mã ngành (gõ không dấu được)', 'Programme name or code (diacritics optional)')}</label>
          <input id="wish-q" className="input" value={q} onChange={(e) => setQ(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void search()} />{' '}
          <Button onClick={() => void search()}>{t('Tìm', 'Search')}</Button>
          <ul>
            {found.map((p) => (
              <li key={p.id}>
                {p.name} ({p.id}){' '}
                <Button variant="secondary" disabled={ids.includes(p.id) || (list.wishCap !== null && ids.length >= list.wishCap)} onClick={() => void save([...ids, p.id])}>
                  {t('Thêm', 'Add')}
                </Button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
