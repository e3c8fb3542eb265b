// A free candidate who signed in with VNeID chooses where to register before the dossier: first the
// province (the department), then one of its points for free candidates. One question per page section,
// an error summary linking to the field, the verified identity shown as it will be locked in the dossier.
import { useEffect, useState } from 'react';
import type { Finding } from '../../domain/messages.ts';
import { ApiError, NETWORK_ERROR } from '../api/client.ts';
import { vneidApi, type PointOptions } from '../api/vneid.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { navigate, usePageTitle } from '../router.tsx';
import { Radios, Select } from '../components/forms.tsx';
import { Button, ErrorSummary, Spinner } from '../components/feedback.tsx';

export function RegistrationPointPage() {
  const { t } = useI18n();
  usePageTitle(t('Chọn nơi đăng ký dự thi', 'Choose where to register'));
  const [options, setOptions] = useState<PointOptions | null>(null);
  const [department, setDepartment] = useState('');
  const [pointId, setPointId] = useState('');
  const [findings, setFindings] = useState<Finding[]>([]);
  const [message, setMessage] = useState<Bilingual | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    vneidApi
      .pointOptions()
      .then((o) => {
        if (!o.needed) navigate('/candidate', { replace: true });
        else setOptions(o);
      })
      .catch((e: unknown) => setMessage(e instanceof ApiError ? e : NETWORK_ERROR));
  }, []);

  if (!options) return message ? <ErrorSummary findings={[]} message={message} /> : <Spinner label={{ vi: 'Đang tải', en: 'Loading' }} />;
  const points = options.departments.find((d) => d.code === department)?.points ?? [];

  const submit = async () => {
    const local: Finding[] = [];
    if (!department) local.push({ code: 'REQUIRED', field: 'department', severity: 'error', vi: 'Chọn tỉnh, thành phố nơi bạn đăng ký dự thi.', en: 'Choose the province where you will register.' });
    else if (!pointId) local.push({ code: 'REQUIRED', field: 'pointId', severity: 'error', vi: 'Chọn một điểm tiếp nhận.', en: 'Choose a registration point.' });
    setFindings(local);
    setMessage(null);
    if (local.length) return;
    setBusy(true);
    try {
      await vneidApi.choosePoint(pointId);
      navigate('/candidate', { replace: true });
    } catch (e) {
      if (e instanceof ApiError) {
        setFindings(e.fields);
        setMessage(e.fields.length ? null : e);
      } else setMessage(NETWORK_ERROR);
    } finally {
      setBusy(false);
    }
  };

  const id = options.identity;
  return (
    <div className="grid grid--sidebar">
      <div>
        <ErrorSummary findings={findings} message={message} />
        <h1>{t('Chọn nơi đăng ký dự thi', 'Choose where to register')}</h1>
        {id && (
          <>
            <p>{t('Thông tin định danh từ VNeID (sẽ được dùng trong phiếu đăng ký, không sửa được):', 'Your identity from VNeID (used in the registration form; it cannot be changed):')}</p>
            <dl className="summary-list" data-testid="vneid-identity">
              <div className="summary-list__row">
                <dt className="summary-list__key">{t('Họ và tên', 'Full name')}</dt>
                <dd className="summary-list__value">{id.fullName}</dd>
              </div>
              <div className="summary-list__row">
                <dt className="summary-list__key">{t('Ngày sinh', 'Date of birth')}</dt>
                <dd className="summary-list__value">{id.dateOfBirth.split('-').reverse().join('/')}</dd>
              </div>
              <div className="summary-list__row">
                <dt className="summary-list__key">{t('Giới tính', 'Gender')}</dt>
                <dd className="summary-list__value">{id.gender === 'M' ? t('Nam', 'Male') : t('Nữ', 'Female')}</dd>
              </div>
            </dl>
          </>
        )}
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!busy) void submit();
          }}
        >
          <Select
            field="department"
            label={t('Tỉnh, thành phố', 'Province or city')}
            hint={t('Nơi bạn sẽ nộp và ký phiếu đăng ký dự thi.', 'Where you will hand in and sign your registration form.')}
            value={department}
            onChange={(v) => {
              setDepartment(v);
              const only = options.departments.find((d) => d.code === v)?.points;
              setPointId(only?.length === 1 ? only[0]!.id : '');
            }}
            placeholder={t('Chọn tỉnh, thành phố', 'Choose a province')}
            options={options.departments.map((d) => ({ value: d.code, label: d.name }))}
            findings={findings.filter((f) => f.field === 'department')}
          />
          {points.length > 0 && (
            <Radios
              field="pointId"
              label={t('Điểm tiếp nhận thí sinh tự do', 'Registration point for free candidates')}
              value={pointId}
              onChange={setPointId}
              options={points.map((p) => ({ value: p.id, label: `${p.name} (${p.code})`, hint: p.address ?? undefined }))}
              findings={findings.filter((f) => f.field === 'pointId')}
            />
          )}
          <Button type="submit" busy={busy}>
            {t('Tiếp tục', 'Continue')}
          </Button>
        </form>
      </div>
    </div>
  );
}
