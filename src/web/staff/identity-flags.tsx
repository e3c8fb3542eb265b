// The point's identity flags, above its verification queue: each dossier the population database
// disagrees with, the field and both values; the point corrects the dossier to the register's value, or
// confirms the card with a note (both audited on the server).
import { useCallback, useEffect, useState } from 'react';
import { call } from '../api/call.ts';
import { ApiError } from '../api/client.ts';
import type { ResponseOf } from '../../contracts/operation.ts';
import { listIdentityFlags, resolveIdentityFlag } from '../../contracts/links.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { Button, NotificationBanner } from '../components/feedback.tsx';
import { Textarea } from '../components/forms.tsx';

type Flag = ResponseOf<typeof listIdentityFlags>['items'][number];

const FIELDS: Record<Flag['mismatches'][number]['field'], Bilingual> = {
  fullName: { vi: 'Họ và tên', en: 'Full name' },
  dateOfBirth: { vi: 'Ngày sinh', en: 'Date of birth' },
};

function FlagCard({ flag, onDone }: { flag: Flag; onDone: (msg: Bilingual) => void }) {
  const { t, pick } = useI18n();
  const [note, setNote] = useState('');
  const [error, setError] = useState<Bilingual | null>(null);
  const [busy, setBusy] = useState(false);
  const resolve = async (action: 'confirm' | 'correct') => {
    if (!note.trim()) return setError({ vi: 'Nhập ghi chú trước khi xử lý.', en: 'Enter a note first.' });
    setBusy(true);
    setError(null);
    try {
      const personal = Object.fromEntries(flag.mismatches.map((m) => [m.field, m.registered]));
      const body = action === 'confirm' ? { action, note } : { action, note, ifMatch: flag.dossierVersion ?? 0, personal };
      await call(resolveIdentityFlag, { params: { flagId: flag.id }, body });
      onDone(action === 'confirm' ? { vi: 'Đã xác nhận theo thẻ CCCD.', en: 'Confirmed against the card.' } : { vi: 'Đã điều chỉnh hồ sơ theo CSDL dân cư.', en: 'The dossier was corrected to the register.' });
    } catch (e) {
      setError(e instanceof ApiError ? e : { vi: 'Không xử lý được, hãy thử lại.', en: 'Could not resolve it; try again.' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="summary-card flag-card" data-testid={`flag-${flag.id}`}>
      <h3>
        {flag.fullName} · {flag.dossierCode ?? t('chưa có hồ sơ', 'no dossier yet')}
      </h3>
      {flag.outcome === 'not_found' ? (
        <p>{t('CSDL dân cư không có số định danh này.', 'The population database does not know this personal number.')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('Trường', 'Field')}</th>
              <th scope="col">{t('Trong hồ sơ', 'In the dossier')}</th>
              <th scope="col">{t('Trong CSDL dân cư', 'In the register')}</th>
            </tr>
          </thead>
          <tbody>
            {flag.mismatches.map((m) => (
              <tr key={m.field}>
                <th scope="row">{pick(FIELDS[m.field])}</th>
                <td>{m.sent}</td>
                <td>{m.registered}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {error && <p className="error-message">{pick(error)}</p>}
      <Textarea field={`flag-note-${flag.id}`} label={t('Ghi chú (bắt buộc)', 'Note (required)')} value={note} onChange={setNote} rows={2} maxLength={1000} />
      <div className="button-group">
        <Button variant="secondary" busy={busy} onClick={() => void resolve('confirm')}>
          {t('Xác nhận theo thẻ CCCD', 'Confirm against the card')}
        </Button>
        {flag.outcome === 'mismatch' && flag.dossierId && (
          <Button busy={busy} onClick={() => void resolve('correct')}>
            {t('Sửa hồ sơ theo CSDL dân cư', 'Correct the dossier to the register')}
          </Button>
        )}
      </div>
    </li>
  );
}

export function IdentityFlagsPanel({ pointId }: { pointId: string }) {
  const { t, pick, num } = useI18n();
  const [flags, setFlags] = useState<Flag[] | null>(null);
  const [done, setDone] = useState<Bilingual | null>(null);
  const load = useCallback(async () => {
    if (!pointId) return;
    try {
      setFlags((await call(listIdentityFlags, { params: { pointId }, query: { status: 'open' } })).items);
    } catch {
      setFlags(null);
    }
  }, [pointId]);
  useEffect(() => void load(), [load]);
  if (!flags || (flags.length === 0 && !done)) return null;
  return (
    <section aria-labelledby="flags-title">
      <h2 id="flags-title">
        {t('Sai lệch với CSDL dân cư', 'Differences from the population database')} ({num(flags.length)})
      </h2>
      {done && (
        <NotificationBanner title={t('Kết quả', 'Result')} kind="success">
          <p>{pick(done)}</p>
        </NotificationBanner>
      )}
      <ul style={{ listStyle: 'none', paddingLeft: 0 }}>
        {flags.map((f) => (
          <FlagCard
            key={f.id}
            flag={f}
            onDone={(m) => {
              setDone(m);
              void load();
            }}
          />
        ))}
      </ul>
    </section>
  );
}
