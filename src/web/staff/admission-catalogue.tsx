// The admission catalogue's pages (issue 23, deliverable 1). The ministry's "Cơ sở đào tạo": institutions
// with their draft and published programmes, creating an institution and its admissions officer (the
// one-time password shown once), and reviewing an institution's drafts (publish, or return with a reason).
// The officer's "Chương trình đào tạo": the template, the upload with its row-by-row report, the import,
// and the institution's programmes with their status and the ministry's latest return.
import { useCallback, useEffect, useState } from 'react';
import * as cat from '../../contracts/admission-catalogue.ts';
import * as accounts from '../../contracts/accounts.ts';
import type { ResponseOf } from '../../contracts/operation.ts';
import { call, urlOf } from '../api/call.ts';
import { ApiError } from '../api/client.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { Link, usePageTitle } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Button, ErrorSummary, NotificationBanner, Spinner } from '../components/feedback.tsx';
import { TextInput, Textarea, fieldId , SheetFileField } from '../components/forms.tsx';
import { SummaryList } from '../components/lists.tsx';
import { DownloadButton } from './download-button.tsx';
import { checkInstitutionCode } from '../../domain/admission-catalogue.ts';
import type { Finding } from '../../domain/messages.ts';

type Institution = ResponseOf<typeof cat.listInstitutions>['items'][number];
type Catalogue = ResponseOf<typeof cat.getCatalogue>;
type Report = ResponseOf<typeof cat.uploadCatalogue>;

const UNEXPECTED: Bilingual = { vi: 'Đã có lỗi, xin thử lại.', en: 'Something went wrong; please try again.' };

/** A refusal as the page's error summary: the fields the server named, else its message. */
function useProblems() {
  const [findings, setFindings] = useState<Finding[]>([]);
  const [message, setMessage] = useState<Bilingual | null>(null);
  return {
    findings,
    message,
    clear: () => {
      setFindings([]);
      setMessage(null);
    },
    fields: (f: Finding[]) => {
      setFindings(f);
      setMessage(null);
    },
    fail: (e: unknown) => {
      if (e instanceof ApiError && e.fields.length > 0) {
        setFindings(e.fields);
        setMessage(null);
      } else {
        setFindings([]);
        setMessage(e instanceof ApiError ? e : UNEXPECTED);
      }
    },
  };
}
type Problems = ReturnType<typeof useProblems>;
const of = (p: Problems, prefix: string, field: string) => p.findings.filter((f) => f.field === field || f.field === `${prefix}.${field}`);

const FIELDS: Readonly<Record<string, Bilingual>> = {
  code: { vi: 'Mã ngành', en: 'Programme code' },
  name: { vi: 'Tên ngành', en: 'Programme name' },
  method: { vi: 'Mã phương thức', en: 'Method code' },
  combinations: { vi: 'Tổ hợp', en: 'Combinations' },
  quota: { vi: 'Chỉ tiêu', en: 'Quota' },
  minScore: { vi: 'Ngưỡng điểm', en: 'Minimum score' },
  teacherTraining: { vi: 'Sư phạm', en: 'Teacher training' },
  tieBreak: { vi: 'Xét bằng điểm', en: 'Tie-break' },
};

function ProgrammeTable({ programmes, caption }: { programmes: Catalogue['programmes']; caption: string }) {
  const { t, num } = useI18n();
  if (programmes.length === 0) return <p>{t('Chưa có chương trình nào.', 'No programmes yet.')}</p>;
  const score = (n: number | null) => (n === null ? '—' : String(n).replace('.', ','));
  return (
    <div className="table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table className="table" data-testid="catalogue-programmes">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('Ngành', 'Programme')}</th>
            <th scope="col">{t('Phương thức, tổ hợp', 'Method, combinations')}</th>
            <th scope="col" className="num">
              {t('Chỉ tiêu', 'Quota')}
            </th>
            <th scope="col" className="num">
              {t('Ngưỡng', 'Floor')}
            </th>
            <th scope="col">{t('Trạng thái', 'Status')}</th>
          </tr>
        </thead>
        <tbody>
          {programmes.map((p) => (
            <tr key={p.id}>
              <td>
                {p.code} · {p.name}
                {p.teacherTraining && ` (${t('sư phạm', 'teacher training')})`}
              </td>
              <td>
                {p.method}: {p.combinations.map((c) => (c.weights ? `${c.code} (${Object.entries(c.weights).map(([s, w]) => `${s}×${w}`).join(', ')})` : c.code)).join('; ')}
              </td>
              <td className="num">{num(p.quota)}</td>
              <td className="num">{score(p.minScore)}</td>
              <td>{p.status === 'published' ? <strong className="tag tag--green">{t('Đã công bố', 'Published')}</strong> : <strong className="tag tag--yellow">{t('Chờ duyệt', 'Draft')}</strong>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ReportView({ report, institutionId, onError }: { report: Report; institutionId: string; onError: (e: unknown) => void }) {
  const { t, pick, num } = useI18n();
  return (
    <section aria-labelledby="catalogue-report-title" data-testid="catalogue-report">
      <h2 id="catalogue-report-title">{t('Báo cáo kiểm tra', 'Validation report')}</h2>
      <SummaryList
        rows={[
          { key: t('Tệp', 'File'), value: report.fileName },
          { key: t('Số dòng chương trình', 'Programme rows'), value: num(report.totalRows) },
          { key: t('Dòng hợp lệ', 'Valid rows'), value: num(report.validRows) },
          { key: t('Dòng có lỗi', 'Rows with errors'), value: num(report.errorRows) },
          ...(report.unchangedRows > 0 ? [{ key: t('Đã công bố, giữ nguyên', 'Already published, unchanged'), value: num(report.unchangedRows) }] : []),
        ]}
      />
      {report.errorRows > 0 && (
        <p>
          <DownloadButton
            url={() => urlOf(cat.catalogueImportRowsToFix, { params: { institutionId, importId: report.importId } })}
            fileName="dong-can-sua-chuong-trinh.xlsx"
            testId="catalogue-rows-to-fix"
            onError={onError}
          >
            {t(`Tải ${num(report.errorRows)} dòng cần sửa (XLSX)`, `Download the ${num(report.errorRows)} rows to fix (XLSX)`)}
          </DownloadButton>
        </p>
      )}
      {report.findings.length === 0 ? (
        <p>{t('Không có vấn đề nào: mọi dòng đều hợp lệ.', 'No problems: every row is valid.')}</p>
      ) : (
        <div className="table-wrap" role="region" aria-labelledby="catalogue-findings-caption" tabIndex={0}>
          <table className="table" data-testid="catalogue-findings">
            <caption id="catalogue-findings-caption">{t(`${num(report.findings.length)} vấn đề, theo dòng của tệp`, `${num(report.findings.length)} problems, by row of the file`)}</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  {t('Dòng', 'Row')}
                </th>
                <th scope="col">{t('Mã ngành', 'Code')}</th>
                <th scope="col">{t('Cột', 'Column')}</th>
                <th scope="col">{t('Vấn đề', 'Problem')}</th>
              </tr>
            </thead>
            <tbody>
              {report.findings.map((f, i) => (
                <tr key={i}>
                  <td className="num">{f.row}</td>
                  <td>{f.programme ?? '—'}</td>
                  <td>{FIELDS[f.field] ? pick(FIELDS[f.field]) : f.field}</td>
                  <td>{pick(f)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

// ---- the officer's page ----

export function CataloguePage() {
  const { t, pick, num, dateTime } = useI18n();
  usePageTitle(t('Chương trình đào tạo', 'Programmes'));
  const { user } = useSession();
  const institutionId = user?.orgUnitId ?? '';
  const [catalogue, setCatalogue] = useState<Catalogue | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [done, setDone] = useState<Bilingual | null>(null);
  const [busy, setBusy] = useState(false);
  const problems = useProblems();
  const fileErrors = problems.findings.filter((f) => f.field === 'file');
  const load = useCallback(
    () =>
      call(cat.getCatalogue, { params: { institutionId } }).then(
        (c) => setCatalogue(c),
        (e: unknown) => problems.fail(e),
      ),
    [institutionId],
  );
  useEffect(() => {
    if (institutionId) void load();
  }, [institutionId]);

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    problems.clear();
    try {
      await fn();
    } catch (e) {
      problems.fail(e);
    } finally {
      setBusy(false);
    }
  };
  const check = () => {
    if (!file) {
      problems.fields([{ code: 'REQUIRED', field: 'file', severity: 'error', vi: 'Hãy chọn tệp chương trình đào tạo (XLSX hoặc CSV).', en: 'Choose the programme file (XLSX or CSV).' }]);
      return;
    }
    void run(async () => {
      setDone(null);
      setReport(null);
      const form = new FormData();
      form.append('file', file, file.name);
      setReport(await call(cat.uploadCatalogue, { params: { institutionId } }, { form, retries: 1 }));
    });
  };
  const commit = () => {
    if (!report) return;
    void run(async () => {
      const r = await call(cat.commitCatalogueImport, { params: { institutionId, importId: report.importId } }, { noNetworkRetry: true });
      setDone({ vi: `Đã nhập ${num(r.imported)} chương trình; chúng chờ Bộ duyệt và công bố.`, en: `${num(r.imported)} programmes imported; they wait for the ministry to review and publish them.` });
      setReport({ ...report, status: 'committed', canImport: false });
      await load();
    });
  };

  return (
    <>
      <h1>{t('Chương trình đào tạo', 'Programmes')}</h1>
      <ErrorSummary findings={problems.findings} message={problems.message} fieldIdOf={(f) => (f === 'file' ? 'catalogue-file' : fieldId(f))} />
      {done && (
        <NotificationBanner title={t('Đã nhập', 'Imported')} kind="success">
          <p data-testid="catalogue-imported">{pick(done)}</p>
        </NotificationBanner>
      )}
      {catalogue?.institution.returned && (
        <NotificationBanner title={t('Bộ đã trả lại danh sách chờ duyệt', 'The ministry returned the drafts')} kind="warning">
          <p data-testid="catalogue-returned">
            {t('Lý do', 'Reason')}: {catalogue.institution.returned.reason} ({dateTime(catalogue.institution.returned.returnedAt)})
          </p>
          <p>{t('Sửa tệp rồi tải lên lại: các chương trình chờ duyệt sẽ được thay.', 'Correct the file and upload it again: the drafts will be replaced.')}</p>
        </NotificationBanner>
      )}
      <p>
        {t(
          'Mỗi dòng một ngành theo một phương thức: mã ngành, tên, mã phương thức, tổ hợp, chỉ tiêu, ngưỡng điểm, sư phạm, quy tắc xét bằng điểm. Hệ thống kiểm tra từng dòng trước; chưa có gì được lưu cho đến khi bạn chọn nhập, và chỉ nhập khi không còn dòng lỗi. Nhập lại sẽ thay các chương trình chờ duyệt; chương trình đã công bố không thay đổi.',
          'One programme per method in each row: code, name, method code, combinations, quota, minimum score, teacher training, tie-break rule. Every row is checked first; nothing is saved until you choose to import, and only when no row is wrong. Importing again replaces the drafts; published programmes do not change.',
        )}
      </p>
      <p>
        <DownloadButton url={() => urlOf(cat.catalogueTemplate, { params: { institutionId } })} fileName="mau-chuong-trinh-dao-tao.xlsx" onError={problems.fail}>
          {t('Tải tệp mẫu (XLSX)', 'Download the template (XLSX)')}
        </DownloadButton>
      </p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) check();
        }}
      >
        <SheetFileField id="catalogue-file" label={t('Tệp chương trình đào tạo', 'Programme file')} hint={t('XLSX hoặc CSV, tối đa 2 MB và 2.000 dòng.', 'XLSX or CSV, at most 2 MB and 2,000 rows.')} errors={fileErrors} onChange={setFile} />
        <Button type="submit" variant={report ? 'secondary' : undefined} busy={busy}>
          {t('Kiểm tra tệp', 'Check the file')}
        </Button>
      </form>
      {report && <ReportView report={report} institutionId={institutionId} onError={problems.fail} />}
      {report?.canImport && (
        <Button busy={busy} onClick={commit} data-testid="catalogue-commit">
          {t(`Nhập ${num(report.validRows)} chương trình`, `Import ${num(report.validRows)} programmes`)}
        </Button>
      )}
      {report && report.errorRows > 0 && <p>{t('Sửa các dòng lỗi trong tệp rồi kiểm tra lại; chưa có chương trình nào được nhập.', 'Fix the rows with errors and check the file again; nothing has been imported.')}</p>}
      <h2>{t('Chương trình của trường', "The institution's programmes")}</h2>
      {!catalogue ? <Spinner label={{ vi: 'Đang tải…', en: 'Loading…' }} /> : <ProgrammeTable programmes={catalogue.programmes} caption={t(`Năm ${catalogue.examYear}: ${num(catalogue.institution.published)} đã công bố, ${num(catalogue.institution.drafts)} chờ duyệt`, `${catalogue.examYear}: ${num(catalogue.institution.published)} published, ${num(catalogue.institution.drafts)} drafts`)} />}
      {/* the institution sees its revisions as the ministry will: each beside the published programme */}
      {catalogue && <Revisions programmes={catalogue.programmes} />}
    </>
  );
}

// ---- the ministry's page ----

function CreateInstitution({ onCreated }: { onCreated: (i: Institution) => void }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [provinceCode, setProvinceCode] = useState('');
  const [busy, setBusy] = useState(false);
  const problems = useProblems();
  const submit = async () => {
    const local = checkInstitutionCode(code.trim().toUpperCase(), 'institution.code');
    if (local.length > 0) return problems.fields(local);
    setBusy(true);
    problems.clear();
    try {
      const created = await call(cat.createInstitution, { body: { code: code.trim().toUpperCase(), name, provinceCode: provinceCode.trim() } }, { noNetworkRetry: true });
      setCode('');
      setName('');
      setProvinceCode('');
      onCreated(created);
    } catch (e) {
      if (e instanceof ApiError) problems.fields(e.fields.map((f) => ({ ...f, field: `institution.${f.field}` })));
      if (!(e instanceof ApiError) || e.fields.length === 0) problems.fail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="create-institution-title">
      <h2 id="create-institution-title">{t('Thêm cơ sở đào tạo', 'Add an institution')}</h2>
      <ErrorSummary findings={problems.findings} message={problems.message} />
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void submit();
        }}
      >
        <TextInput field="institution.code" label={t('Mã trường', 'Institution code')} hint={t('2–6 chữ in hoa hoặc chữ số, ví dụ QHI, BKA.', '2–6 upper-case letters or digits, e.g. QHI, BKA.')} findings={of(problems, 'institution', 'code')} value={code} onChange={setCode} width={10} maxLength={6} autoComplete="off" spellCheck={false} />
        <TextInput field="institution.name" label={t('Tên trường', 'Name')} findings={of(problems, 'institution', 'name')} value={name} onChange={setName} maxLength={200} />
        <TextInput field="institution.provinceCode" label={t('Mã tỉnh (Sở) nơi trường đặt trụ sở', 'Province (department) code of its seat')} hint={t('2 chữ số, ví dụ 01 (Hà Nội).', '2 digits, e.g. 01 (Hà Nội).')} findings={of(problems, 'institution', 'provinceCode')} value={provinceCode} onChange={setProvinceCode} width={4} inputMode="numeric" maxLength={2} />
        <Button type="submit" busy={busy} data-testid="create-institution">
          {t('Thêm cơ sở đào tạo', 'Add the institution')}
        </Button>
      </form>
    </section>
  );
}

function CreateOfficer({ institution }: { institution: Institution }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [created, setCreated] = useState<{ username: string; password: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [officers, setOfficers] = useState<ResponseOf<typeof accounts.listStaff>['staff'] | null>(null);
  const problems = useProblems();
  const loadOfficers = () =>
    call(accounts.listStaff, { query: { orgUnitId: institution.id } }).then(
      (r) => setOfficers(r.staff.filter((m) => m.role === 'admissions_officer')),
      () => setOfficers(null),
    );
  useEffect(() => {
    void loadOfficers();
  }, [institution.id]);
  const submit = async () => {
    setBusy(true);
    problems.clear();
    setCreated(null);
    try {
      const r = await call(accounts.createStaff, { body: { username, displayName, role: 'admissions_officer', orgUnitId: institution.id } }, { noNetworkRetry: true });
      setCreated({ username: r.staff.username, password: r.oneTimePassword });
      setUsername('');
      setDisplayName('');
      void loadOfficers();
    } catch (e) {
      if (e instanceof ApiError) problems.fields(e.fields.map((f) => ({ ...f, field: `officer.${f.field}` })));
      if (!(e instanceof ApiError) || e.fields.length === 0) problems.fail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="create-officer-title">
      <h3 id="create-officer-title">{t(`Tạo tài khoản cán bộ tuyển sinh của ${institution.code}`, `Create an admissions officer account for ${institution.code}`)}</h3>
      {officers && (
        <p data-testid="institution-officers">
          {officers.length === 0
            ? t('Trường chưa có cán bộ tuyển sinh nào.', 'The institution has no admissions officer yet.')
            : `${t('Cán bộ tuyển sinh', 'Admissions officers')}: ${officers.map((o) => `${o.displayName} (${o.username})`).join(', ')}`}
        </p>
      )}
      <ErrorSummary findings={problems.findings} message={problems.message} />
      {created && (
        <NotificationBanner title={t('Đã tạo tài khoản', 'Account created')} kind="success" focus>
          <p>
            {t('Tên đăng nhập', 'Username')}: <strong data-testid="officer-username">{created.username}</strong>
          </p>
          <p>
            {t('Mật khẩu dùng một lần', 'One-time password')}: <strong data-testid="officer-password">{created.password}</strong>
          </p>
          <p>{t('Mật khẩu chỉ hiện một lần: hãy trao cho cán bộ qua kênh an toàn; họ phải đổi mật khẩu khi đăng nhập lần đầu.', 'The password is shown only once: hand it over safely; it must be changed at first sign-in.')}</p>
        </NotificationBanner>
      )}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void submit();
        }}
      >
        <TextInput field="officer.username" label={t('Tên đăng nhập', 'Username')} hint={t('Chữ thường không dấu, chữ số, nối bằng dấu chấm, ví dụ qhi.tuyensinh.', 'Lower-case letters and digits joined by dots, e.g. qhi.tuyensinh.')} findings={of(problems, 'officer', 'username')} value={username} onChange={setUsername} autoComplete="off" spellCheck={false} maxLength={64} />
        <TextInput field="officer.displayName" label={t('Họ tên cán bộ', "Officer's name")} findings={of(problems, 'officer', 'displayName')} value={displayName} onChange={setDisplayName} maxLength={100} />
        <Button type="submit" variant="secondary" busy={busy} data-testid="create-officer">
          {t('Tạo tài khoản', 'Create the account')}
        </Button>
      </form>
    </section>
  );
}

type CatalogueProgramme = Catalogue['programmes'][number];

/** A programme's values as the comparison shows them, one line per field the catalogue holds. */
function comparable(p: CatalogueProgramme, t: (vi: string, en: string) => string): Array<[field: string, label: string, value: string]> {
  const score = (n: number | null) => (n === null ? '—' : String(n).replace('.', ','));
  const tie = p.tiePolicy.kind + (p.tiePolicy.criteria?.length ? `: ${p.tiePolicy.criteria.map((c) => (c.by === 'value' ? c.key : c.by)).join(', ')}` : '');
  return [
    ['name', t('Tên ngành', 'Name'), p.name],
    ['combinations', t('Tổ hợp', 'Combinations'), p.combinations.map((c) => (c.weights ? `${c.code} (${Object.entries(c.weights).map(([k, w]) => `${k}×${w}`).join(', ')})` : c.code)).join('; ')],
    ['quota', t('Chỉ tiêu', 'Quota'), String(p.quota)],
    ['minScore', t('Ngưỡng', 'Floor'), score(p.minScore)],
    ['teacherTraining', t('Sư phạm', 'Teacher training'), p.teacherTraining ? t('có', 'yes') : t('không', 'no')],
    ['tieBreak', t('Xét bằng điểm', 'Tie-break'), tie],
  ];
}

/**
 * Each draft that revises a published programme (re-imported before the wish window opened), beside the
 * published version, field by field, the changed ones marked: what candidates see now and after publishing.
 */
function Revisions({ programmes }: { programmes: Catalogue['programmes'] }) {
  const { t } = useI18n();
  const revisions = programmes.filter((p) => p.status === 'draft' && p.revises !== null);
  if (revisions.length === 0) return null;
  return (
    <section aria-labelledby="revisions-title" data-testid="catalogue-revisions">
      <h3 id="revisions-title">{t('Chương trình đã công bố được sửa', 'Published programmes revised')}</h3>
      {revisions.map((d) => {
        const pub = programmes.find((p) => p.id === d.revises);
        if (!pub) return null;
        const now = comparable(pub, t);
        const next = comparable(d, t);
        return (
          <div className="table-wrap" role="region" aria-labelledby={`rev-${d.id}`} tabIndex={0} key={d.id}>
            <table className="table" data-testid="revision" data-programme={pub.id}>
              <caption id={`rev-${d.id}`}>
                {d.code} · {d.method}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('Mục', 'Field')}</th>
                  <th scope="col">{t('Đã công bố', 'Published')}</th>
                  <th scope="col">{t('Bản sửa', 'Revision')}</th>
                </tr>
              </thead>
              <tbody>
                {now.map(([field, label, value], i) => {
                  const changed = value !== next[i]![2];
                  return (
                    <tr key={field} data-field={field} data-changed={changed ? 'yes' : 'no'}>
                      <th scope="row">{label}</th>
                      <td>{value}</td>
                      <td>{changed ? <strong className="tag tag--yellow">{next[i]![2]}</strong> : next[i]![2]}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        );
      })}
    </section>
  );
}

// ---- the ministry's page ----
function Review({ institution, onChanged }: { institution: Institution; onChanged: () => void }) {
  const { t, num, pick } = useI18n();
  const [catalogue, setCatalogue] = useState<Catalogue | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<Bilingual | null>(null);
  const problems = useProblems();
  const load = () => call(cat.getCatalogue, { params: { institutionId: institution.id } }).then(setCatalogue, problems.fail);
  useEffect(() => {
    setCatalogue(null);
    setDone(null);
  }, [institution.id]);
  // read again when the list's counts move (after a publication or a return), keeping the confirmation
  useEffect(() => {
    void load();
  }, [institution.id, institution.drafts, institution.published]);
  const act = async (what: 'publish' | 'return') => {
    setBusy(what);
    problems.clear();
    setDone(null);
    try {
      if (what === 'publish') {
        const r = await call(cat.publishCatalogue, { params: { institutionId: institution.id } }, { noNetworkRetry: true });
        setDone({ vi: `Đã công bố ${num(r.published)} chương trình; thí sinh tìm thấy chúng từ bây giờ.`, en: `${num(r.published)} programmes published; candidates find them from now on.` });
      } else {
        const r = await call(cat.returnCatalogue, { params: { institutionId: institution.id }, body: { reason } }, { noNetworkRetry: true });
        setDone({ vi: `Đã trả lại ${num(r.returned)} chương trình cho trường.`, en: `${num(r.returned)} programmes returned to the institution.` });
        setReason('');
      }
      onChanged();
      // read the catalogue again now: a revision published onto its programme leaves the counts as they were
      void load();
    } catch (e) {
      if (e instanceof ApiError) problems.fields(e.fields.map((f) => ({ ...f, field: `review.${f.field}` })));
      if (!(e instanceof ApiError) || e.fields.length === 0) problems.fail(e);
    } finally {
      setBusy(null);
    }
  };
  const drafts = catalogue?.programmes.filter((p) => p.status === 'draft') ?? [];
  return (
    <section aria-labelledby="review-title" data-testid="institution-review">
      <h2 id="review-title">
        {institution.code} · {institution.name}
      </h2>
      <ErrorSummary findings={problems.findings} message={problems.message} />
      {done && (
        <NotificationBanner title={t('Đã xong', 'Done')} kind="success">
          <p data-testid="review-done">{pick(done)}</p>
        </NotificationBanner>
      )}
      {institution.returned && (
        <p>
          {t('Lần trả lại gần nhất', 'Last returned')}: {institution.returned.reason}
        </p>
      )}
      {!catalogue ? (
        <Spinner label={{ vi: 'Đang tải…', en: 'Loading…' }} />
      ) : (
        <>
          <ProgrammeTable programmes={drafts} caption={t(`${num(drafts.length)} chương trình chờ duyệt`, `${num(drafts.length)} draft programmes`)} />
          <Revisions programmes={catalogue.programmes} />
          {drafts.length > 0 && (
            <>
              <Button busy={busy === 'publish'} onClick={() => void act('publish')} data-testid="publish-catalogue">
                {t(`Công bố ${num(drafts.length)} chương trình`, `Publish ${num(drafts.length)} programmes`)}
              </Button>
              <Textarea field="review.reason" label={t('Lý do trả lại (trường sẽ đọc được)', 'Reason for returning (the institution reads it)')} findings={of(problems, 'review', 'reason')} value={reason} onChange={setReason} maxLength={1000} rows={3} />
              <Button variant="warning" busy={busy === 'return'} onClick={() => void act('return')} data-testid="return-catalogue">
                {t('Trả lại cho trường', 'Return to the institution')}
              </Button>
            </>
          )}
          <h3>{t('Đã công bố', 'Published')}</h3>
          <ProgrammeTable programmes={catalogue.programmes.filter((p) => p.status === 'published')} caption={t('Chương trình đã công bố', 'Published programmes')} />
        </>
      )}
      <CreateOfficer institution={institution} />
    </section>
  );
}

export function InstitutionsPage() {
  const { t, num, dateTime } = useI18n();
  usePageTitle(t('Cơ sở đào tạo', 'Institutions'));
  const [list, setList] = useState<ResponseOf<typeof cat.listInstitutions> | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const problems = useProblems();
  const load = () => call(cat.listInstitutions, {}).then(setList, problems.fail);
  useEffect(() => {
    void load();
  }, []);
  const current = list?.items.find((i) => i.id === selected) ?? null;
  return (
    <>
      <h1>{t('Cơ sở đào tạo', 'Institutions')}</h1>
      <ErrorSummary findings={problems.findings} message={problems.message} />
      {!list ? (
        <Spinner label={{ vi: 'Đang tải…', en: 'Loading…' }} />
      ) : (
        <div className="table-wrap" role="region" aria-labelledby="institutions-caption" tabIndex={0}>
          <table className="table" data-testid="institutions">
            <caption id="institutions-caption">{t(`Năm ${list.examYear}: ${num(list.items.length)} cơ sở đào tạo`, `${list.examYear}: ${num(list.items.length)} institutions`)}</caption>
            <thead>
              <tr>
                <th scope="col">{t('Cơ sở đào tạo', 'Institution')}</th>
                <th scope="col" className="num">
                  {t('Chờ duyệt', 'Drafts')}
                </th>
                <th scope="col" className="num">
                  {t('Đã công bố', 'Published')}
                </th>
                <th scope="col">
                  <span className="visually-hidden">{t('Thao tác', 'Actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((i) => (
                <tr key={i.id} data-testid={`institution-${i.code}`}>
                  <td>
                    <strong>{i.code}</strong> · {i.name}
                    <br />
                    <span className="hint">
                      {t('Tải lên gần nhất', 'Last upload')}: {i.lastImportAt ? dateTime(i.lastImportAt) : '—'}
                      {i.returned && ` · ${t('đã trả lại', 'returned')}`}
                    </span>
                  </td>
                  <td className="num">{num(i.drafts)}</td>
                  <td className="num">{num(i.published)}</td>
                  <td>
                    <Button variant="secondary" onClick={() => setSelected(i.id)} data-testid={`review-${i.code}`}>
                      {t('Xem, duyệt', 'Review')}
                      <span className="visually-hidden"> {i.code}</span>
                    </Button>{' '}
                    <Link to={`/admission/institutions/${encodeURIComponent(i.id)}/counts`} data-testid={`counts-${i.code}`}>
                      {t('Nguyện vọng', 'Wishes')}
                      <span className="visually-hidden"> {i.code}</span>
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {current && <Review institution={current} onChanged={() => void load()} />}
      <CreateInstitution
        onCreated={(i) => {
          setSelected(i.id);
          void load();
        }}
      />
    </>
  );
}
