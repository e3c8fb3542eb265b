// Pieces every candidate page shows: the readable dossier code (given at the first save, kept for life),
// and the real closing time of the year's registration window.
import { useI18n } from '../i18n.tsx';
import { WarningText } from '../components/feedback.tsx';
import { useDossier } from './dossier-store.tsx';
import { deadlineText } from './format.ts';

/** "Mã hồ sơ 01-26-004213-5" above the page title (or "not given yet" before the first save). */
export function DossierCode() {
  const { t } = useI18n();
  const { view } = useDossier();
  if (!view) return null;
  return (
    <p className="dossier-code" data-testid="dossier-code">
      {t('Mã hồ sơ', 'Registration code')}:{' '}
      {view.code ? <strong className="code">{view.code}</strong> : <span className="hint-inline">{t('có sau lần lưu đầu tiên', 'given at the first save')}</span>}
    </p>
  );
}

/** The closing time, from the year's configuration: "17:00 ngày 28/04/2026". */
export function useDeadline(): string | null {
  const { lang } = useI18n();
  const { window } = useDossier();
  return deadlineText(window?.officialClosesAt, lang);
}

export function DeadlineWarning() {
  const { t } = useI18n();
  const when = useDeadline();
  const { view } = useDossier();
  if (!when || !view?.mayEdit) return null;
  return (
    <div data-testid="deadline">
      <WarningText>{t(`Hạn cuối: ${when}. Sau đó không sửa hồ sơ được nữa.`, `Deadline: ${when}. After that your registration cannot be changed.`)}</WarningText>
    </div>
  );
}
