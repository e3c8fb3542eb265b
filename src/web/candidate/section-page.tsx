// One dossier section on its own page: the fields, checks with the shared validator on "Save"
// (kept until the next save), the draft kept on the device at every keystroke, and every way a save can fail
// explained: another tab saved first (the current saved data shown, with a choice), the window closed,
// the service busy (the draft stays; the client already waited and retried), the session ended.
import { useEffect, useMemo, useRef, useState } from 'react';
import { DOSSIER_SECTIONS, validateSection, type Dossier, type SectionId } from '../../domain/dossier.ts';
import type { Finding } from '../../domain/messages.ts';
import { ApiError } from '../api/client.ts';
import { dossierApi, type SavedDossier } from '../api/endpoints.ts';
import { clearDraft, loadDraft, saveDraft } from '../api/drafts.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { Link, navigate, useLocation, usePageTitle } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Button, ErrorSummary, NotificationBanner } from '../components/feedback.tsx';
import { SummaryList } from '../components/lists.tsx';
import { BackLink } from '../components/layout.tsx';
import { nextSection, useDossier, sectionOf } from './dossier-store.tsx';
import { SECTION_DEFS } from './sections.tsx';
import { DossierCode } from './common.tsx';

interface Conflict {
  version: number;
  current: Partial<Dossier> | null;
}

function conflictOf(e: ApiError): Conflict {
  const d = e.details as { version?: number; current?: unknown };
  const cur = d.current as Record<string, unknown> | undefined;
  // the server may send the whole view ({sections: …}) or the sections themselves
  const sections = (cur && typeof cur === 'object' && 'sections' in cur ? cur['sections'] : cur) as Partial<Dossier> | undefined;
  return { version: typeof d.version === 'number' ? d.version : -1, current: sections ?? null };
}

export function SectionPage({ id }: { id: SectionId }) {
  const { t, pick, lang } = useI18n();
  const meta = DOSSIER_SECTIONS.find((x) => x.id === id);
  usePageTitle(meta ? pick(meta) : id);
  const { user } = useSession();
  const { query } = useLocation();
  // "Thay đổi" on check your answers comes here with ?return=check and goes back there after the save
  const fromCheck = query.get('return') === 'check';
  const { view, ctx, applySaved, reload, refreshDrafts } = useDossier();
  const def = SECTION_DEFS[id];
  const saved = (view?.sections as Record<string, unknown> | undefined)?.[id];
  const prefill = (view?.prefill as Record<string, Record<string, unknown>> | undefined)?.[id];
  const draft = useMemo(() => (user ? loadDraft<unknown>(user.id, id) : null), [user, id]);
  const [state, setState] = useState<unknown>(() => (draft ? draft.values : def.initial(saved, prefill)));
  const [restored] = useState(Boolean(draft));
  // what the last "Save" found: the summary and the fields keep it until the next save (the GOV.UK
  // pattern: errors do not vanish or appear while the candidate types, only when they press the button)
  const [checked, setChecked] = useState<Finding[] | null>(null);
  const [serverFindings, setServerFindings] = useState<Finding[]>([]);
  const [message, setMessage] = useState<Bilingual | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [keptOffline, setKeptOffline] = useState(false);
  const [busy, setBusy] = useState(false);
  const version = useRef(view?.version ?? 0);
  useEffect(() => {
    version.current = view?.version ?? 0;
  }, [view?.version]);

  const rest = (view?.sections ?? {}) as Partial<Dossier>;
  const local = useMemo(() => validateSection(id, def.toValue(state), ctx, rest), [id, def, state, ctx, rest]);
  const findings = checked ? [...checked, ...serverFindings.filter((f) => !checked.some((l) => l.field === f.field && l.code === f.code))] : [];
  const at = (...fields: string[]) => findings.filter((f) => fields.includes(f.field));

  // every change goes through here, applied to the latest state (a change made as a function of it, such as
  // a pre-fill arriving after a fetch, never writes an older state back), and the draft is written at once,
  // keystroke by keystroke: a tab closed or a server gone right after typing keeps what was typed
  const latest = useRef(state);
  const update = (next: unknown) => {
    const value = typeof next === 'function' ? (next as (prev: unknown) => unknown)(latest.current) : next;
    latest.current = value;
    setState(value);
    setServerFindings([]);
    if (user) {
      saveDraft(user.id, id, value, version.current);
      refreshDrafts();
    }
  };

  const after = async (v: SavedDossier, overConflict: boolean, saved: readonly string[]) => {
    const wasVerified = view?.status === 'verified';
    // the answer holds only what the save changed; after a conflict the view held is older than the
    // dossier (another tab saved other sections), so it is read again; so it is when the save removed a
    // section no longer asked (saved, but not in the answer's sections), which a merge cannot remove
    const removed = saved.filter((s) => !(s in v.sections));
    if (!applySaved(v) || overConflict || removed.length > 0) await reload();
    if (user) clearDraft(user.id, id);
    refreshDrafts();
    // a verified dossier changed goes back to "submitted": say so where the candidate lands
    const reverted = wasVerified && v.status !== 'verified' ? 'reverted=1' : '';
    if (fromCheck || reverted) {
      navigate(`/candidate/check?${['saved=' + id, reverted].filter(Boolean).join('&')}`);
      return;
    }
    const sections: Record<string, unknown> = { ...(view?.sections ?? {}), ...v.sections };
    for (const s of removed) delete sections[s];
    const n = nextSection(id, sections as Partial<Dossier>, view?.candidate.candidateType);
    navigate(n ? `/candidate/section/${n}` : '/candidate/photo');
  };

  /** `overConflict`: the candidate chose to keep what they typed over a version saved elsewhere */
  const save = async (overVersion?: number, overConflict = false) => {
    setChecked(local);
    setMessage(null);
    if (local.some((f) => f.severity === 'error')) return;
    setBusy(true);
    try {
      const r = await dossierApi.saveSection(id, def.toValue(state), overVersion ?? version.current);
      setConflict(null);
      await after(r.data, overConflict, r.saved);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.code === 'VERSION_CONFLICT' || e.status === 412) {
        setConflict(conflictOf(e));
      } else if (e.status === 503 || e.status === 0) {
        setKeptOffline(true);
        setMessage(e);
      } else if (e.status === 401) {
        setMessage({ vi: 'Phiên làm việc đã hết hạn. Những gì bạn nhập vẫn được giữ; hãy đăng nhập lại rồi bấm Lưu.', en: 'Your session has ended. What you typed is kept; sign in again, then save.' });
      } else {
        setServerFindings(e.fields);
        setMessage(e.fields.length ? null : e);
      }
    } finally {
      setBusy(false);
    }
  };

  if (!def || !meta) return null;
  const closed = view ? !view.mayEdit : false;
  const Form = def.Form;
  return (
    <>
      {fromCheck ? <BackLink to="/candidate/check">{t('Về trang kiểm tra hồ sơ', 'Back to check your answers')}</BackLink> : <BackLink to="/candidate">{t('Về danh sách mục', 'Back to the task list')}</BackLink>}
      <ErrorSummary findings={findings} message={message} />
      {keptOffline && (
        <NotificationBanner title={t('Đã giữ trên máy này', 'Kept on this device')} kind="warning">
          <p>{t('Hệ thống đang bận nên chưa lưu được lên máy chủ. Dữ liệu của bạn vẫn nằm trên máy này; hãy bấm “Lưu và tiếp tục” lại sau ít phút.', 'The service is busy, so this was not saved to the server yet. Your data is still on this device; choose “Save and continue” again in a few minutes.')}</p>
        </NotificationBanner>
      )}
      {restored && !conflict && (
        <NotificationBanner title={t('Đã khôi phục dữ liệu chưa lưu', 'Unsaved answers restored')}>
          <p>{t('Chúng tôi đã giữ lại những gì bạn nhập lần trước nhưng chưa gửi. Kiểm tra rồi bấm “Lưu và tiếp tục”.', 'We kept what you typed last time but had not sent. Check it, then choose “Save and continue”.')}</p>
        </NotificationBanner>
      )}
      {conflict && (
        <NotificationBanner title={t('Hồ sơ đã được thay đổi ở nơi khác', 'Your registration was changed elsewhere')} kind="warning" focus>
          <p>
            {t(
              'Trong lúc bạn sửa trang này, hồ sơ đã được lưu từ một cửa sổ hoặc thiết bị khác. Đây là dữ liệu đang được lưu của mục này:',
              'While you were editing this page, the registration was saved from another window or device. This is what is saved now for this section:',
            )}
          </p>
          <SummaryList rows={def.summary(conflict.current?.[id], lang, t)} />
          <p>{t('Bạn muốn giữ bản nào?', 'Which version do you want to keep?')}</p>
          <div className="button-group">
            <Button busy={busy} onClick={() => void save(conflict.version >= 0 ? conflict.version : undefined, true)}>
              {t('Giữ bản tôi đang nhập', 'Keep what I typed')}
            </Button>
            <Button
              variant="secondary"
              onClick={() => {
                const cur = conflict.current?.[id];
                latest.current = def.initial(cur, prefill); // the server's copy, not an edit: no draft of it
                setState(latest.current);
                if (user) clearDraft(user.id, id);
                refreshDrafts();
                setConflict(null);
                setChecked(null);
                version.current = conflict.version;
              }}
            >
              {t('Dùng bản đang lưu', 'Use the saved version')}
            </Button>
          </div>
        </NotificationBanner>
      )}
      {closed && (
        <NotificationBanner title={t('Cổng đăng ký đã đóng', 'Registration is closed')} kind="warning">
          <p>{t('Bạn không thể sửa hồ sơ nữa. Nếu cần điều chỉnh thông tin cá nhân, hãy liên hệ điểm tiếp nhận.', 'You can no longer change your registration. To correct personal details, contact your registration point.')}</p>
        </NotificationBanner>
      )}
      {view?.status === 'verified' && !closed && (
        <NotificationBanner title={t('Hồ sơ của bạn đã được xác nhận', 'Your registration is verified')} kind="warning">
          <p data-testid="verified-warning">
            {t(
              'Nếu bạn lưu thay đổi ở mục này, hồ sơ sẽ trở về trạng thái “Đã nộp” và điểm tiếp nhận phải xác nhận lại. Nếu không cần sửa, hãy quay lại mà không lưu.',
              'If you save a change here, your registration goes back to “Submitted” and your registration point must verify it again. If nothing needs changing, go back without saving.',
            )}
          </p>
        </NotificationBanner>
      )}
      <span className="caption">{t('Hồ sơ đăng ký dự thi', 'Exam registration')}</span>
      <h1>{pick(meta)}</h1>
      <DossierCode />
      {def.hint && <p>{pick(def.hint)}</p>}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy && !closed) void save();
        }}
      >
        <fieldset className="fieldset" disabled={closed}>
          <Form state={state} set={update} at={at} rest={rest} examYear={view?.examYear ?? new Date().getFullYear()} />
        </fieldset>
        {!closed && (
          <div className="button-group">
            <Button type="submit" busy={busy}>
              {fromCheck ? t('Lưu và quay lại trang kiểm tra', 'Save and return to check your answers') : t('Lưu và tiếp tục', 'Save and continue')}
            </Button>
            <Link to={fromCheck ? '/candidate/check' : '/candidate'}>{fromCheck ? t('Quay lại trang kiểm tra, không lưu', 'Back to check your answers without saving') : t('Để sau, về danh sách mục', 'Come back later')}</Link>
          </div>
        )}
      </form>
      {findings.some((f) => f.severity === 'error' && sectionOf(f.field) !== id) && (
        <p className="hint">{t('Một số lỗi liên quan đến mục khác.', 'Some problems concern another section.')}</p>
      )}
    </>
  );
}
