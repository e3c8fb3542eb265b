// Evidence beside the claim it supports. The candidate's uploader (a plain file input and a button: no
// drag-only control) lists what is already sent for that purpose; the point's view shows each file as a
// thumbnail (images) or a link (PDF), served through the dossier's access checks.
import { useEffect, useState } from 'react';
import { evidenceApi, type EvidencePurpose, type UploadInfo } from '../api/evidence.ts';
import { useI18n } from '../i18n.tsx';

const ACCEPT = 'application/pdf,image/jpeg,image/png';
const kb = (n: number) => `${Math.max(1, Math.round(n / 1024))} KB`;

function FileLine({ u, href }: { u: UploadInfo; href: string }) {
  const { t } = useI18n();
  const when = new Date(u.createdAt).toLocaleDateString('vi-VN');
  return (
    <li className="evidence__item">
      {u.mime.startsWith('image/') && <img src={href} alt="" width={96} className="evidence__thumb" />}
      <a href={href} target="_blank" rel="noopener">
        {u.mime === 'application/pdf' ? t('Tệp PDF', 'PDF file') : t('Ảnh', 'Image')} ({kb(u.bytes)}, {when})
        <span className="visually-hidden"> {t('(mở ở thẻ mới)', '(opens in a new tab)')}</span>
      </a>
    </li>
  );
}

export function EvidenceUpload({ purpose, label }: { purpose: EvidencePurpose; label: string }) {
  const { t, pick } = useI18n();
  const id = `evidence-${purpose}`;
  const [files, setFiles] = useState<UploadInfo[]>([]);
  const [chosen, setChosen] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ vi: string; en: string; error: boolean } | null>(null);
  useEffect(() => {
    let live = true;
    evidenceApi.own().then((l) => live && setFiles(l), () => {});
    return () => {
      live = false;
    };
  }, []);
  const mine = files.filter((f) => f.purpose === purpose);
  const send = async () => {
    if (!chosen) {
      setMessage({ vi: 'Hãy chọn tệp trước khi tải lên.', en: 'Choose a file before uploading.', error: true });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const u = await evidenceApi.upload(purpose, chosen);
      setFiles((l) => [...l, u]);
      setChosen(null);
      setMessage({ vi: 'Đã tải lên minh chứng.', en: 'Evidence uploaded.', error: false });
    } catch (e) {
      const err = e as { vi?: string; en?: string; body?: { error?: { vi?: string; en?: string } } };
      const m = err.body?.error ?? err;
      setMessage({ vi: m.vi ?? 'Không tải lên được tệp. Hãy thử lại.', en: m.en ?? 'The file could not be uploaded. Try again.', error: true });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="form-group evidence">
      <label className="label" htmlFor={id}>
        {label}
      </label>
      <span className="hint" id={`${id}-hint`}>
        {t('Ảnh chụp rõ nét hoặc tệp PDF, tối đa 10 MB. Điểm tiếp nhận sẽ xem khi xác nhận hồ sơ.', 'A clear photo or a PDF, at most 10 MB. Your registration point looks at it when verifying.')}
      </span>
      {message && (
        <span className={message.error ? 'error-message' : 'success-message'} role={message.error ? 'alert' : 'status'}>
          {pick(message)}
        </span>
      )}
      <input id={id} className="file-upload" type="file" accept={ACCEPT} aria-describedby={`${id}-hint`} onChange={(e) => setChosen(e.target.files?.[0] ?? null)} />
      <p>
        <button type="button" className="button button--secondary" disabled={busy} onClick={() => void send()}>
          {busy ? t('Đang tải lên…', 'Uploading…') : t('Tải minh chứng lên', 'Upload evidence')}
        </button>
      </p>
      {mine.length > 0 && (
        <>
          <p className="body">{t('Đã gửi:', 'Sent:')}</p>
          <ul className="evidence__list" data-testid={`evidence-${purpose}-list`}>
            {mine.map((u) => (
              <FileLine key={u.id} u={u} href={evidenceApi.ownUrl(u.id)} />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

const PURPOSE_NAMES: Record<EvidencePurpose, { vi: string; en: string }> = {
  language_certificate: { vi: 'Chứng chỉ ngoại ngữ', en: 'Language certificate' },
  vietnamese_certificate: { vi: 'Chứng chỉ tiếng Việt', en: 'Vietnamese certificate' },
  priority: { vi: 'Giấy tờ ưu tiên', en: 'Priority evidence' },
  retained_scores: { vi: 'Giấy chứng nhận điểm bảo lưu', en: 'Retained scores' },
  other: { vi: 'Minh chứng khác', en: 'Other evidence' },
};

/** The point's view: the files of the given purposes, beside the claim. */
export function EvidenceFiles({ dossierId, files, purposes }: { dossierId: string; files: UploadInfo[]; purposes: readonly EvidencePurpose[] }) {
  const { t, pick } = useI18n();
  const these = files.filter((f) => purposes.includes((f.purpose ?? 'other') as EvidencePurpose));
  if (these.length === 0) return null;
  return (
    <div className="evidence" data-testid={`evidence-${purposes.join('-')}`}>
      <p className="body">
        <strong>{t('Minh chứng thí sinh gửi', 'Evidence sent by the candidate')}</strong>
      </p>
      <ul className="evidence__list">
        {these.map((u) => (
          <li key={u.id}>
            {pick(PURPOSE_NAMES[(u.purpose ?? 'other') as EvidencePurpose] ?? PURPOSE_NAMES.other)}:
            <ul className="evidence__list">
              <FileLine u={u} href={evidenceApi.url(dossierId, u.id)} />
            </ul>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Loads a dossier's evidence for the point's page (nothing shown until it arrives). */
export function useDossierEvidence(dossierId: string, version: number | undefined): UploadInfo[] {
  const [files, setFiles] = useState<UploadInfo[]>([]);
  useEffect(() => {
    let live = true;
    evidenceApi.ofDossier(dossierId).then((l) => live && setFiles(l), () => {});
    return () => {
      live = false;
    };
  }, [dossierId, version]);
  return files;
}
