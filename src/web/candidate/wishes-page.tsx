// The candidate's admission wishes (nguyện vọng): find published programmes by name or code (diacritics
// optional), add them, move them up and down (buttons: no drag-only control on a 360 px screen), remove
// them; each wish shows whether it is eligible and why not, computed here the moment the list changes by
// the same domain function the server answers with (wishEligibility), from the marks, rules and tables the
// list's answer carries. Saved as it changes, with If-Match on the list's version: changes made while a
// save is under way are saved next, on the version it returned; the server's answer then stands. Read-only
// once frozen (17:00 on the last day).
import { useCallback, useEffect, useRef, useState } from 'react';
import * as adm from '../../contracts/admission.ts';
import type { ResponseOf } from '../../contracts/operation.ts';
import { bestCombination, combinationOptions, wishEligibility, type WishEligibility } from '../../domain/admission-wishes.ts';
import { call } from '../api/call.ts';
import { ApiError } from '../api/client.ts';
import { useI18n } from '../i18n.tsx';
import { usePageTitle } from '../router.tsx';
import { Button, Spinner } from '../components/feedback.tsx';

type List = ResponseOf<typeof adm.getOwnWishes>;
type Programme = List['wishes'][number]['programme'];

interface Row extends WishEligibility {
  programme: Programme;
  combination: string;
  /** 'server': the saved list's own answer; 'browser': computed here for a change not saved yet */
  source: 'server' | 'browser';
}

/**
 * The rows shown for an order of programmes: the server's answer where the order and combinations are the
 * saved ones, the shared rule elsewhere. A programme's combination is the one chosen (or saved), else the
 * candidate's best (bestCombination: the default the server also takes).
 */
function rowsFor(list: List, order: readonly Programme[], chosen: ReadonlyMap<string, string>): Row[] {
  const saved = list.wishes.length === order.length && list.wishes.every((w, i) => w.programme.id === order[i]?.id && (chosen.get(w.programme.id) ?? w.combination) === w.combination);
  if (saved) return list.wishes.map((w) => ({ programme: w.programme, combination: w.combination, eligibility: w.eligibility, score: w.score, reasons: w.reasons, source: 'server' }));
  return order.map((p, i) => {
    const combination = chosen.get(p.id) ?? bestCombination(p, i + 1, list.eligibilityInput);
    return { programme: p, combination, ...wishEligibility(p, combination, i + 1, list.eligibilityInput), source: 'browser' };
  });
}

export function WishesPage() {
  const { t, pick } = useI18n();
  usePageTitle(t('Nguyện vọng xét tuyển', 'Admission wishes'));
  const [list, setList] = useState<List | null>(null);
  const [order, setOrder] = useState<Programme[]>([]);
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Programme[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const latest = useRef<List | null>(null);
  const pending = useRef<Programme[] | null>(null);
  const running = useRef(false);
  /** each programme's combination: saved, or chosen here; absent: the best, decided by the server as here */
  const chosen = useRef(new Map<string, string>());

  const accept = useCallback((l: List) => {
    latest.current = l;
    for (const w of l.wishes) chosen.current.set(w.programme.id, w.combination);
    setList(l);
    if (!pending.current) setOrder(l.wishes.map((w) => w.programme));
  }, []);

  const load = useCallback(async () => {
    try {
      accept(await call(adm.getOwnWishes, {}));
    } catch (e) {
      setProblem(e instanceof ApiError ? pick(e) : t('Không tải được danh sách.', 'The list could not be loaded.'));
    }
  }, [accept, pick, t]);
  useEffect(() => void load(), [load]);

  /** Shows the new order at once, then saves it (after the save under way, if any). */
  const change = (next: Programme[]) => {
    setOrder(next);
    setProblem(null);
    pending.current = next;
    if (running.current) return;
    running.current = true;
    setSaving(true);
    void (async () => {
      try {
        while (pending.current && latest.current) {
          const ids = pending.current.map((p) => p.id);
          const combos = new Map(ids.flatMap((id) => (chosen.current.has(id) ? [[id, chosen.current.get(id)!] as const] : [])));
          const version = latest.current.version;
          pending.current = null;
          try {
            accept(await call(adm.saveOwnWishes, { body: { wishes: ids.map((programmeId) => ({ programmeId, ...(combos.has(programmeId) ? { combination: combos.get(programmeId)! } : {}) })) } }, { ifMatch: `"${version}"` }));
          } catch (e) {
            pending.current = null;
            setProblem(e instanceof ApiError ? pick(e) : t('Chưa lưu được.', 'Not saved.'));
            // the saved list stands: show it again (a 412 means another device changed it)
            await load();
            if (latest.current) setOrder(latest.current.wishes.map((w) => w.programme));
          }
        }
      } finally {
        running.current = false;
        setSaving(false);
      }
    })();
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
  const rows = rowsFor(list, order, chosen.current);
  const ids = order.map((p) => p.id);
  const move = (i: number, d: -1 | 1) => {
    const next = [...order];
    [next[i], next[i + d]] = [next[i + d]!, next[i]!];
    change(next);
  };
  const readOnly = list.frozen || list.window.state !== 'open';
  const full = list.wishCap !== null && ids.length >= list.wishCap;
  return (
    <>
      <h1>{t('Nguyện vọng xét tuyển', 'Admission wishes')}</h1>
      {list.frozen && <p>{t('Đã hết hạn đăng ký (17:00); danh sách đã được chốt.', 'Registration has closed (17:00); your list is final.')}</p>}
      {!readOnly && (
        <p className="hint">
          {list.wishCap !== null ? t(`Tối đa ${list.wishCap} nguyện vọng. `, `At most ${list.wishCap} wishes. `) : ''}
          {list.teacherTrainingMaxPosition !== null
            ? t(`Ngành đào tạo giáo viên chỉ xét nguyện vọng 1–${list.teacherTrainingMaxPosition}.`, `Teacher-training programmes consider only wishes 1–${list.teacherTrainingMaxPosition}.`)
            : ''}
        </p>
      )}
      {problem && <p role="alert">{problem}</p>}
      <p className="hint" role="status" data-testid="wishes-saved" data-state={saving ? 'saving' : 'saved'}>
        {saving ? t('Đang lưu…', 'Saving…') : list.version > 0 ? t('Đã lưu.', 'Saved.') : ''}
      </p>
      {rows.length === 0 && <p>{t('Bạn chưa có nguyện vọng nào.', 'You have no wishes yet.')}</p>}
      <ol className="wish-list" data-testid="wishes">
        {rows.map((w, i) => (
          <li key={w.programme.id} data-testid="wish" data-programme={w.programme.id} data-eligibility={w.eligibility} data-source={w.source}>
            <strong>{w.programme.name}</strong> ({w.programme.id}
            {readOnly || w.programme.combinations.length < 2 ? `, ${w.combination}` : ''})
            {!readOnly && w.programme.combinations.length > 1 && <CombinationChoice row={w} position={i + 1} list={list} onChoose={(code) => {
              chosen.current.set(w.programme.id, code);
              change([...order]);
            }} />}
            <div data-testid="wish-eligibility">
              {w.eligibility === 'eligible'
                ? t(`Đủ điều kiện${w.score !== null ? `: ${w.score.toFixed(2)} điểm` : ''}`, `Eligible${w.score !== null ? `: ${w.score.toFixed(2)} points` : ''}`)
                : w.eligibility === 'no_results'
                  ? t('Chưa có điểm', 'No results yet')
                  : t('Chưa đủ điều kiện', 'Not eligible')}
            </div>
            {w.reasons.map((r) => (
              <div key={r.code + r.field} className="error-message" data-code={r.code}>
                {t(r.vi, r.en)}
              </div>
            ))}
            {!readOnly && (
              // one row of three thumb-sized buttons with words (not a column of full-width bars per wish):
              // fifteen wishes stay a list a phone can scroll
              <div className="wish-actions">
                <Button variant="secondary" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t(`Đưa nguyện vọng ${i + 1} lên`, `Move wish ${i + 1} up`)}>
                  <span aria-hidden="true">↑ </span>
                  {t('Lên', 'Up')}
                </Button>
                <Button variant="secondary" disabled={i === rows.length - 1} onClick={() => move(i, 1)} aria-label={t(`Đưa nguyện vọng ${i + 1} xuống`, `Move wish ${i + 1} down`)}>
                  <span aria-hidden="true">↓ </span>
                  {t('Xuống', 'Down')}
                </Button>
                <Button variant="secondary" onClick={() => change(order.filter((p) => p.id !== w.programme.id))} aria-label={t(`Xoá nguyện vọng ${i + 1}`, `Remove wish ${i + 1}`)}>
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
          <form
            role="search"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void search();
            }}
          >
            <label className="label" htmlFor="wish-q">
              {t('Tên hoặc mã ngành (gõ không dấu được)', 'Programme name or code (diacritics optional)')}
            </label>
            <input id="wish-q" className="input" type="search" value={q} onChange={(e) => setQ(e.target.value)} />{' '}
            <Button type="submit">{t('Tìm', 'Search')}</Button>
          </form>
          {found && found.length === 0 && <p>{t('Không tìm thấy ngành nào.', 'No programme found.')}</p>}
          <ul className="list" data-testid="found">
            {(found ?? []).map((p) => (
              <li key={p.id} data-programme={p.id}>
                {p.name} ({p.id}){p.teacherTraining ? t(' · đào tạo giáo viên', ' · teacher training') : ''}{' '}
                <Button variant="secondary" disabled={ids.includes(p.id) || full} onClick={() => change([...order, p])} aria-label={t(`Thêm ${p.name}`, `Add ${p.name}`)}>
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

/**
 * The subject combination of a wish whose programme admits several: each with the candidate's score on it
 * (the same rule as the eligibility), the best marked and chosen by default. A plain select: keyboard and
 * phone friendly.
 */
function CombinationChoice({ row, position, list, onChoose }: { row: Row; position: number; list: List; onChoose: (code: string) => void }) {
  const { t } = useI18n();
  const options = combinationOptions(row.programme, position, list.eligibilityInput);
  const best = bestCombination(row.programme, position, list.eligibilityInput);
  const id = `wish-combination-${position}`;
  return (
    <div className="form-group">
      <label className="label" htmlFor={id}>
        {t(`Tổ hợp xét tuyển của nguyện vọng ${position}`, `Subject combination of wish ${position}`)}
      </label>
      <select id={id} className="select" data-testid="wish-combination" value={row.combination} onChange={(e) => onChoose(e.target.value)}>
        {options.map((o) => (
          <option key={o.code} value={o.code} data-score={o.score ?? ''}>
            {o.code}
            {o.score !== null ? t(` — ${o.score.toFixed(2)} điểm`, ` — ${o.score.toFixed(2)} points`) : ''}
            {o.code === best && o.score !== null ? t(' (cao nhất)', ' (best)') : ''}
            {o.eligibility === 'ineligible' ? t(' — chưa đủ điều kiện', ' — not eligible') : ''}
          </option>
        ))}
      </select>
    </div>
  );
}
