// The candidate's pages around the sections: the task list (start page), the photo, check your answers
// and submit, the confirmation, and the status page (returned: what and why; the PDF form).
import { useEffect, useRef, useState } from 'react';
import { DOSSIER_SECTIONS, holdsClaim, sectionApplies, type Dossier, type SectionId } from '../../domain/dossier.ts';
import { STATUS_LABELS } from '../../domain/lifecycle.ts';
import type { Finding } from '../../domain/messages.ts';
import { ApiError, newIdempotencyKey } from '../api/client.ts';
import { dossierApi, type DossierView, type HistoryEntry } from '../api/endpoints.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { Link, navigate, useLocation, usePageTitle } from '../router.tsx';
import { Button, ErrorSummary, NotificationBanner, Panel, Spinner, StatusTag } from '../components/feedback.tsx';
import { SummaryCard, SummaryList, TaskList, type Task } from '../components/lists.tsx';
import { BackLink } from '../components/layout.tsx';
import { fieldId } from '../components/forms.tsx';
import { useDossier, sectionOf } from './dossier-store.tsx';
import { SECTION_DEFS } from './sections.tsx';
import { photoProblems } from '../../domain/photo.ts';
import { DossierCode, DeadlineWarning, useDeadline } from './common.tsx';

function ClosedBanner() {
  const { t } = useI18n();
  const { view } = useDossier();
  if (!view || view.mayEdit) return null;
  const before = view.phase === 'before' || view.phase === 'account_issuing' || view.phase === 'between';
  return (
    <NotificationBanner title={before ? t('Cổng đăng ký chưa mở', 'Registration is not open yet') : t('Cổng đăng ký đã đóng', 'Registration is closed')} kind="warning">
      <p>
        {before
          ? t('Bạn có thể xem hồ sơ; khi cổng mở bạn sẽ khai và nộp được.', 'You can look at your registration; you can fill it in and submit once it opens.')
          : t('Hồ sơ không sửa được nữa. Nếu cần điều chỉnh thông tin cá nhân, hãy liên hệ điểm tiếp nhận.', 'Your registration can no longer be changed. To correct personal details, contact your registration point.')}
      </p>
    </NotificationBanner>
  );
}

export function TaskListPage() {
  const { t, pick } = useI18n();
  usePageTitle(t('Hồ sơ đăng ký dự thi', 'Your exam registration'));
  const { query } = useLocation();
  const { view, taskState, sectionFindings, drafts } = useDossier();
  const deadline = useDeadline();
  if (!view) return null;
  // every state comes from the server's stored verdict (view.tasks); an unsaved draft on this device is
  // only mentioned, so the list, the count and the check page always agree
  // a section whose questions do not apply to this candidate is not on the list (nor counted): it is not asked
  const tasks: Task[] = DOSSIER_SECTIONS.filter((s) => asked(s.id, view)).map((s) => {
    const state = taskState(s.id);
    const errs = sectionFindings(s.id).filter((f) => f.severity === 'error');
    const unsaved = drafts.includes(s.id);
    return {
      id: s.id,
      title: pick(s),
      href: `/candidate/section/${s.id}`,
      state,
      hint:
        state === 'has_errors' && errs[0] ? pick(errs[0]) : unsaved ? t('Có thay đổi chưa lưu trên máy này', 'Unsaved changes on this device') : undefined,
    };
  });
  tasks.push({ id: 'photo', title: t('Ảnh chân dung', 'Photo'), href: '/candidate/photo', state: view.photoUploaded ? 'complete' : 'not_started' });
  const done = tasks.filter((x) => x.state === 'complete').length;
  const allDone = done === tasks.length;
  const checkState: Task['state'] =
    view.status === 'draft' || view.status === 'returned' ? (allDone ? 'not_started' : 'cannot_start') : 'complete';
  return (
    <>
      {query.get('passwordChanged') && (
        <NotificationBanner title={t('Thành công', 'Success')} kind="success">
          <p>{t('Bạn đã đổi mật khẩu. Giờ hãy khai hồ sơ.', 'Your password is changed. Now fill in your registration.')}</p>
        </NotificationBanner>
      )}
      <ClosedBanner />
      {view.status === 'returned' && (
        <NotificationBanner title={t('Hồ sơ cần chỉnh sửa', 'Your registration needs correcting')} kind="error">
          <p>
            <strong>{t('Lý do', 'Reason')}:</strong> {view.returnReason}
          </p>
          <p>{t('Sửa các mục cần thiết rồi nộp lại.', 'Correct the sections concerned, then submit again.')}</p>
        </NotificationBanner>
      )}
      <span className="caption">
        {t('Kỳ thi', 'Exam')} {view.examYear}
        {view.isTrial ? ` · ${t('ĐĂNG KÝ THỬ: dữ liệu sẽ bị xoá', 'TRIAL: data will be deleted')}` : ''}
      </span>
      <h1>{t('Hồ sơ đăng ký dự thi', 'Your exam registration')}</h1>
      <DossierCode />
      <p>
        {t('Trạng thái', 'Status')}: <StatusTag status={view.status} label={STATUS_LABELS[view.status]} />
      </p>
      {deadline && view.mayEdit && (
        <p data-testid="deadline">
          {t(`Hạn khai và nộp hồ sơ: ${deadline}.`, `Deadline to fill in and submit: ${deadline}.`)}
        </p>
      )}
      <p data-testid="progress">
        {t(`Bạn đã khai xong ${done} trên ${tasks.length} mục.`, `You have completed ${done} of ${tasks.length} sections.`)}{' '}
        {t('Mỗi mục được lưu ngay khi bạn bấm “Lưu và tiếp tục”; bạn có thể dừng và quay lại bất cứ lúc nào.', 'Each section is saved when you choose “Save and continue”; you can stop and come back at any time.')}
      </p>
      <h2>{t('Khai hồ sơ', 'Fill in your registration')}</h2>
      <TaskList tasks={tasks} />
      <h2>{t('Kiểm tra và nộp', 'Check and submit')}</h2>
      <TaskList
        tasks={[
          {
            id: 'check',
            title: view.status === 'returned' ? t('Kiểm tra lại và nộp lại hồ sơ', 'Check your answers and submit again') : t('Kiểm tra lại và nộp hồ sơ', 'Check your answers and submit'),
            href: allDone || (view.status !== 'draft' && view.status !== 'returned') ? '/candidate/check' : null,
            state: checkState,
            hint: checkState === 'cannot_start' ? t('Hãy hoàn thành các mục trên trước', 'Complete the sections above first') : undefined,
          },
        ]}
      />
      <p>
        <Link to="/candidate/status">{t('Xem trạng thái hồ sơ và tải phiếu đăng ký', 'See the status and download the form')}</Link>
      </p>
    </>
  );
}

/**
 * Whether a section is asked of this candidate: the domain's rule, the server's too (a section that does
 * not apply is not required, and a claim in it is refused). One already holding a claim stays shown, so it
 * can be seen and cleared.
 */
export function asked(id: SectionId, view: DossierView): boolean {
  const sections = view.sections as Partial<Dossier>;
  return sectionApplies(id, sections, view.candidate.candidateType) || holdsClaim(sections[id]);
}

const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
const MIN_W = 400;
const MIN_H = 600;

/** Decode an image file on the device: its size, and a smaller JPEG when it is larger than needed. */
async function prepare(file: File): Promise<{ blob: Blob; width: number; height: number }> {
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const width = img.naturalWidth;
    const height = img.naturalHeight;
    // A 20 MB camera photo is shrunk on the phone before it crosses a weak connection.
    if (file.size <= MAX_UPLOAD_BYTES && width <= 2400 && height <= 3600) return { blob: file, width, height };
    const scale = Math.min(1, 1200 / width, 1800 / height);
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(MIN_W, Math.round(width * scale));
    canvas.height = Math.max(MIN_H, Math.round(height * scale));
    canvas.getContext('2d')?.drawImage(img, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/jpeg', 0.9));
    if (!blob) throw new Error('encode');
    return { blob, width, height };
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function PhotoPage() {
  const { t } = useI18n();
  usePageTitle(t('Ảnh chân dung', 'Photo'));
  const { view, setView } = useDossier();
  const [preview, setPreview] = useState<string | null>(null);
  const [blob, setBlob] = useState<Blob | null>(null);
  const [error, setError] = useState<Bilingual | null>(null);
  const [busy, setBusy] = useState(false);
  const [stamp, setStamp] = useState(Date.now());
  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);
  const field = [{ code: 'PHOTO', field: 'photo', severity: 'error' as const, vi: error?.vi ?? '', en: error?.en ?? '' }];

  const choose = async (file: File | undefined) => {
    setError(null);
    setBlob(null);
    if (!file) return;
    if (!/^image\/(jpeg|png)$/.test(file.type)) {
      setError({ vi: 'Ảnh phải là tệp JPG hoặc PNG.', en: 'The photo must be a JPG or PNG file.' });
      return;
    }
    if (file.size > 40 * 1024 * 1024) {
      setError({ vi: 'Tệp quá lớn (trên 40 MB). Hãy chọn ảnh khác.', en: 'The file is too large (over 40 MB). Choose another photo.' });
      return;
    }
    try {
      const p = await prepare(file);
      // the server's rule, run here first: a landscape or small photo is refused with its real reason
      const problem = photoProblems(p.width, p.height)[0];
      if (problem) {
        setError(problem);
        return;
      }
      setBlob(p.blob);
      setPreview(URL.createObjectURL(p.blob));
    } catch {
      setError({ vi: 'Không đọc được ảnh này. Hãy chọn ảnh khác.', en: 'This photo cannot be read. Choose another one.' });
    }
  };

  const upload = async () => {
    if (!blob) {
      // keep the reason the chosen file was refused; only with no file at all ask for one
      if (!error) setError({ vi: 'Hãy chọn một ảnh chân dung để tải lên.', en: 'Choose a photo to upload.' });
      return;
    }
    setBusy(true);
    try {
      await dossierApi.uploadPhoto(blob);
      const fresh = await dossierApi.get().catch(() => null);
      if (fresh) setView(fresh.data);
      else if (view) setView({ ...view, photoUploaded: true });
      setStamp(Date.now());
      navigate('/candidate/check');
    } catch (e) {
      if (e instanceof ApiError && e.code === 'FILE_TOO_LARGE') {
        // the server's message is about "a file"; on this page it is the photo, so say so
        const mb = Math.round(Number(e.details['maxBytes'] ?? MAX_UPLOAD_BYTES) / (1024 * 1024));
        setError({
          vi: `Ảnh chân dung quá lớn: tối đa ${mb} MB. Hãy chọn ảnh khác, hoặc chụp lại với độ phân giải thấp hơn.`,
          en: `The photo is too large: at most ${mb} MB. Choose another photo, or take it again at a lower resolution.`,
        });
      } else setError(e instanceof ApiError ? e : { vi: 'Tải ảnh lên không thành công.', en: 'The upload failed.' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <BackLink to="/candidate">{t('Về danh sách mục', 'Back to the task list')}</BackLink>
      <ErrorSummary findings={error ? field : []} />
      <h1>{t('Ảnh chân dung', 'Your photo')}</h1>
      <DossierCode />
      <div className="photo-preview">
        <div>
          <div className="photo-frame" aria-hidden={!preview && !view?.photoUploaded}>
            {preview ? (
              <img src={preview} alt={t('Ảnh bạn vừa chọn', 'The photo you chose')} />
            ) : view?.photoUploaded ? (
              <img src={`${dossierApi.photoUrl}?v=${stamp}`} alt={t('Ảnh đã tải lên', 'Your uploaded photo')} />
            ) : null}
            <div className="photo-frame__guide" />
          </div>
          <p className="hint">{t('Khung vàng: khuôn mặt nên nằm gọn trong đó.', 'Yellow outline: your face should fit inside it.')}</p>
        </div>
        <ul>
          <li>{t('Ảnh kiểu thẻ, chụp trong 6 tháng gần đây, nhìn thẳng, nền sáng, không đeo kính râm.', 'ID style, taken in the last 6 months, facing the camera, plain light background, no sunglasses.')}</li>
          <li>{t(`Ảnh dọc, tỉ lệ 3×4 hoặc 4×6 (không dùng ảnh nằm ngang), ít nhất ${MIN_W}×${MIN_H} điểm ảnh, tệp JPG hoặc PNG.`, `Upright, 3×4 or 4×6 (not landscape), at least ${MIN_W}×${MIN_H} pixels, JPG or PNG.`)}</li>
          <li>{t('Ảnh lớn sẽ được thu nhỏ ngay trên máy bạn trước khi gửi.', 'A large photo is made smaller on your device before it is sent.')}</li>
        </ul>
      </div>
      <div className={`form-group${error ? ' form-group--error' : ''}`}>
        <label className="label" htmlFor="photo">
          {t('Chọn ảnh', 'Choose a photo')}
        </label>
        {error && (
          <span className="error-message" id="photo-error">
            <span className="visually-hidden">{t('Lỗi:', 'Error:')} </span>
            {t(error.vi, error.en)}
          </span>
        )}
        <input id="photo" type="file" accept="image/jpeg,image/png" aria-describedby={error ? 'photo-error' : undefined} onChange={(e) => void choose(e.target.files?.[0])} disabled={view ? !view.mayEdit : false} />
      </div>
      <div className="button-group">
        <Button busy={busy} onClick={() => void upload()} disabled={view ? !view.mayEdit : false}>
          {t('Tải ảnh lên và tiếp tục', 'Upload and continue')}
        </Button>
        {view?.photoUploaded && <Link to="/candidate/check">{t('Giữ ảnh đã tải lên', 'Keep the uploaded photo')}</Link>}
      </div>
    </>
  );
}

export function CheckAnswersPage() {
  const { t, pick, lang } = useI18n();
  usePageTitle(t('Kiểm tra lại hồ sơ', 'Check your answers'));
  const { view, findings, setView } = useDossier();
  const { query } = useLocation();
  const [message, setMessage] = useState<Bilingual | null>(null);
  const [serverFindings, setServerFindings] = useState<Finding[]>([]);
  const [busy, setBusy] = useState(false);
  // One key per intent to submit: a retry (503, lost connection) repeats the same key, so the server
  // answers with the first result instead of submitting twice.
  const key = useRef(newIdempotencyKey());
  if (!view) return null;
  // the photo is a task of the list like the sections: the list does not offer "check and submit" without
  // it, so neither does this page (a dossier the point registers at its desk may still come without one)
  const photo: Finding[] = view.photoUploaded
    ? []
    : [{ code: 'PHOTO_MISSING', field: 'photo', severity: 'error', vi: 'Chưa có ảnh chân dung: hãy tải ảnh lên trước khi nộp.', en: 'No photo yet: upload your photo before you submit.' }];
  const errors = [...findings, ...serverFindings, ...photo].filter((f) => f.severity === 'error');
  const warnings = findings.filter((f) => f.severity === 'warning');
  const linkOf = (field: string) => (field === 'photo' ? '/candidate/photo' : `/candidate/section/${sectionOf(field)}?return=check#${fieldId(field)}`);

  const submit = async () => {
    setMessage(null);
    if (errors.length) return;
    setBusy(true);
    try {
      await dossierApi.submit(view.version, key.current);
      key.current = newIdempotencyKey();
      // the submit answers little; the confirmation shows the dossier as it now is
      const fresh = await dossierApi.get().catch(() => null);
      if (fresh) setView(fresh.data);
      navigate('/candidate/submitted', { replace: true });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      setServerFindings(e.fields);
      setMessage(e);
      if (e.status === 412) {
        setMessage({
          vi: 'Hồ sơ vừa được thay đổi ở cửa sổ hoặc thiết bị khác. Trang đã tải lại bản mới nhất; hãy kiểm tra rồi nộp.',
          en: 'The registration was just changed in another window or device. The latest version is now shown; check it, then submit.',
        });
        const fresh = await dossierApi.get().catch(() => null);
        if (fresh) setView(fresh.data);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <BackLink to="/candidate">{t('Về danh sách mục', 'Back to the task list')}</BackLink>
      {errors.length > 0 && (
        <div className="error-summary" role="alert" tabIndex={-1}>
          <h2 className="error-summary__title">{t('Hồ sơ còn lỗi cần sửa trước khi nộp', 'Fix these before you submit')}</h2>
          <ul className="error-summary__list">
            {errors.map((f, i) => (
              <li key={i}>
                <Link to={linkOf(f.field)}>{pick(f)}</Link>
              </li>
            ))}
          </ul>
        </div>
      )}
      {message && <ErrorSummary findings={[]} message={message} />}
      {query.get('reverted') && (
        <NotificationBanner title={t('Hồ sơ đã trở về trạng thái “Đã nộp”', 'Your registration is back to “Submitted”')} kind="warning">
          <p data-testid="reverted-notice">
            {t('Bạn đã lưu thay đổi trên hồ sơ đã được xác nhận. Điểm tiếp nhận sẽ kiểm tra và xác nhận lại; bạn không cần nộp lại.', 'You saved a change to a verified registration. Your registration point will check and verify it again; you need not submit again.')}
          </p>
        </NotificationBanner>
      )}
      {query.get('saved') && !query.get('reverted') && (
        <NotificationBanner title={t('Đã lưu', 'Saved')} kind="success">
          <p>{t('Thay đổi của bạn đã được lưu.', 'Your change is saved.')}</p>
        </NotificationBanner>
      )}
      {warnings.length > 0 && (
        <NotificationBanner title={t('Cần bạn xác nhận', 'Please confirm')} kind="warning">
          <ul data-testid="check-warnings">
            {warnings.map((w, i) => (
              <li key={i}>
                <Link to={linkOf(w.field)}>{pick(w)}</Link>
              </li>
            ))}
          </ul>
          <p>{t('Nếu thông tin trên là đúng, bạn vẫn có thể nộp.', 'If the information is right, you can still submit.')}</p>
        </NotificationBanner>
      )}
      {view.status === 'submitted' && (
        <NotificationBanner title={t('Bạn đã nộp hồ sơ', 'You have submitted')}>
          <p>{t('Mọi thay đổi bạn lưu trước khi cổng đóng sẽ được cập nhật vào hồ sơ đã nộp.', 'Changes you save before registration closes update the submitted registration.')}</p>
        </NotificationBanner>
      )}
      <h1>{t('Kiểm tra lại hồ sơ trước khi nộp', 'Check your answers before submitting')}</h1>
      <DossierCode />
      {DOSSIER_SECTIONS.filter((s) => asked(s.id, view)).map((s) => {
        const def = SECTION_DEFS[s.id];
        const value = (view.sections as Partial<Dossier>)[s.id];
        return (
          <SummaryCard key={s.id} title={pick(s)} action={view.mayEdit ? <Link to={`/candidate/section/${s.id}?return=check`}>{t('Thay đổi', 'Change')}<span className="visually-hidden"> {pick(s)}</span></Link> : undefined}>
            <SummaryList rows={value === undefined ? [{ key: t('Chưa khai', 'Not filled in'), value: '' }] : def.summary(value, lang, t)} />
          </SummaryCard>
        );
      })}
      <SummaryCard title={t('Ảnh chân dung', 'Photo')} action={view.mayEdit ? <Link to="/candidate/photo">{t('Thay đổi', 'Change')}<span className="visually-hidden"> {t('ảnh', 'photo')}</span></Link> : undefined}>
        <SummaryList
          rows={[
            {
              key: t('Ảnh', 'Photo'),
              value: view.photoUploaded ? <img className="summary-photo" src={dossierApi.photoUrl} alt={t('Ảnh chân dung đã tải lên', 'Your uploaded photo')} width={120} height={160} /> : t('Chưa có', 'Missing'),
            },
          ]}
        />
      </SummaryCard>
      {view.mayEdit && (
        <>
          <h2>{t('Nộp hồ sơ', 'Submit your registration')}</h2>
          <p>{t('Bằng việc nộp hồ sơ, tôi cam đoan những thông tin trên là đúng sự thật.', 'By submitting, I declare that the information above is true.')}</p>
          <DeadlineWarning />
          <Button busy={busy} onClick={() => void submit()} disabled={errors.length > 0}>
            {view.status === 'returned' ? t('Nộp lại hồ sơ', 'Submit again') : t('Nộp hồ sơ', 'Submit registration')}
          </Button>
        </>
      )}
    </>
  );
}

export function ConfirmationPage() {
  const { t } = useI18n();
  usePageTitle(t('Đã nộp hồ sơ', 'Registration submitted'));
  const { view } = useDossier();
  const deadline = useDeadline();
  if (!view) return null;
  return (
    <>
      <Panel title={t('Đã nộp hồ sơ', 'Registration submitted')}>
        {t('Mã hồ sơ của bạn', 'Your registration code')}
        <strong data-testid="dossier-reference">{view.code ?? ''}</strong>
      </Panel>
      <p>{t('Hãy ghi lại mã hồ sơ: điểm tiếp nhận và tổng đài hỗ trợ tìm hồ sơ của bạn bằng mã này.', 'Write the code down: your registration point and the support line find your registration with it.')}</p>
      <p>{t('Chúng tôi đã gửi thông báo tới số điện thoại và email của bạn.', 'We have sent a message to your phone and email.')}</p>
      <h2>{t('Tiếp theo', 'What happens next')}</h2>
      <p data-testid="deadline">
        {deadline
          ? t(`Điểm tiếp nhận sẽ kiểm tra hồ sơ. Nếu cần sửa, bạn sẽ thấy lý do ở trang trạng thái và có thể sửa cho tới ${deadline}.`, `Your registration point will check it. If something needs correcting, you will see why on the status page and can fix it until ${deadline}.`)
          : t('Điểm tiếp nhận sẽ kiểm tra hồ sơ. Nếu cần sửa, bạn sẽ thấy lý do ở trang trạng thái.', 'Your registration point will check it. If something needs correcting, you will see why on the status page.')}
      </p>
      <p>
        <Link to="/candidate/status">{t('Xem trạng thái hồ sơ', 'See the status of your registration')}</Link>
      </p>
    </>
  );
}

export function StatusPage() {
  const { t, pick, dateTime } = useI18n();
  usePageTitle(t('Trạng thái hồ sơ', 'Registration status'));
  const { view, reload } = useDossier();
  const deadline = useDeadline();
  const [history, setHistory] = useState<HistoryEntry[] | null>(null);
  const [historyError, setHistoryError] = useState<Bilingual | null>(null);
  useEffect(() => {
    void reload();
    dossierApi
      .status()
      .then((h) => setHistory(h.history))
      .catch((e: unknown) => setHistoryError(e instanceof ApiError ? e : null));
  }, [reload]);
  if (!view) return <Spinner label={{ vi: 'Đang tải', en: 'Loading' }} />;
  const canDownload = view.status !== 'draft';
  return (
    <>
      <BackLink to="/candidate">{t('Về hồ sơ', 'Back to your registration')}</BackLink>
      <h1>{t('Trạng thái hồ sơ', 'Registration status')}</h1>
      <p className="lead" data-testid="dossier-status">
        <StatusTag status={view.status} label={STATUS_LABELS[view.status]} />
      </p>
      {view.status === 'returned' && (
        <NotificationBanner title={t('Điểm tiếp nhận yêu cầu chỉnh sửa', 'Your registration point asks for a correction')} kind="error">
          <p>
            <strong>{t('Lý do', 'Reason')}:</strong> <span data-testid="return-reason">{view.returnReason}</span>
          </p>
          {view.returnedAt && <p className="hint">{dateTime(view.returnedAt)}</p>}
          <p>
            <Link to="/candidate">{t('Sửa hồ sơ', 'Correct your registration')}</Link>
          </p>
        </NotificationBanner>
      )}
      {view.status === 'verified' && (
        <NotificationBanner title={t('Hồ sơ đã được xác nhận', 'Your registration is verified')} kind="success">
          <p>{t('Hãy tải phiếu đăng ký, in ra và ký theo hướng dẫn của điểm tiếp nhận.', 'Download the form, print it and sign it as your registration point tells you.')}</p>
        </NotificationBanner>
      )}
      <SummaryList
        rows={[
          { key: t('Mã hồ sơ', 'Registration code'), value: view.code ?? t('có sau lần lưu đầu tiên', 'given at the first save') },
          ...(view.formNumber ? [{ key: t('Số phiếu', 'Form number'), value: view.formNumber }] : []),
          ...(deadline && view.mayEdit ? [{ key: t('Hạn sửa hồ sơ', 'Changes possible until'), value: deadline }] : []),
          { key: t('Họ và tên', 'Name'), value: view.candidate.fullName },
          { key: t('Số định danh', 'ID number'), value: view.candidate.idNumberMasked },
          { key: t('Nộp lúc', 'Submitted'), value: dateTime(view.submittedAt) },
          { key: t('Xác nhận lúc', 'Verified'), value: dateTime(view.verifiedAt) },
        ]}
      />
      {canDownload && (
        <p>
          <a className="button button--secondary" href={dossierApi.formPdfUrl} download>
            {t('Tải phiếu đăng ký dự thi (PDF)', 'Download the registration form (PDF)')}
          </a>
        </p>
      )}
      <h2>{t('Lịch sử hồ sơ', 'History')}</h2>
      {historyError && <p className="hint">{pick(historyError)}</p>}
      {history && history.length === 0 && <p>{t('Chưa có thay đổi nào.', 'No changes yet.')}</p>}
      {history && history.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('Thời gian', 'When')}</th>
                <th scope="col">{t('Việc', 'What')}</th>
                <th scope="col">{t('Người thực hiện', 'Who')}</th>
              </tr>
            </thead>
            <tbody>
              {history.map((h, i) => (
                <tr key={i}>
                  <td>{dateTime(h.at)}</td>
                  <td>
                    {pick(h.label)}
                    {h.sections.length > 0 ? ` (${h.sections.map((x) => pick(x)).join(', ')})` : ''}
                    {h.reason ? `: ${h.reason}` : ''}
                  </td>
                  <td>{h.by.roleLabel ? pick(h.by.roleLabel) : roleLabel(h.by.role, t)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function roleLabel(role: string | null, t: (vi: string, en: string) => string): string {
  switch (role) {
    case 'candidate':
      return t('Bạn', 'You');
    case 'point_officer':
      return t('Điểm tiếp nhận', 'Registration point');
    case 'department_officer':
      return t('Sở GD&ĐT', 'Department');
    case null:
      return t('Hệ thống', 'System');
    default:
      return role;
  }
}
