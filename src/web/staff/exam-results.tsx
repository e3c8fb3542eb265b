// The department's results page: upload a file of the council's marks, read its row-by-row report and what
// publishing it would change (added, changed old → new, removed), and, as a second officer, publish a
// staged version; the uploader is never offered the button (the server refuses it too).
import { useCallback, useEffect, useState } from 'react';
import type { Finding } from '../../domain/messages.ts';
import { ApiError } from '../api/client.ts';
import { resultsApi, type ImportsList, type MarksReport, type PublishOutcome } from '../api/staff-endpoints.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { usePageTitle } from '../router.tsx';
import { subjectName } from '../candidate/reference.ts';
import { useSession } from '../session.tsx';
import { Button, ErrorSummary, NotificationBanner, Spinner } from '../components/feedback.tsx';
import { SummaryList } from '../components/lists.tsx';

const FIELDS: Record<string, Bilingual> = {
  number: { vi: 'Số báo danh', en: 'Candidate number' },
  subject: { vi: 'Mã môn', en: 'Subject' },
  mark: { vi: 'Điểm', en: 'Mark' },
  sanction: { vi: 'Kỷ luật', en: 'Sanction' },
};
const CHANGE: Record<string, Bilingual> = { added: { vi: 'Thêm', en: 'Added' }, changed: { vi: 'Sửa', en: 'Changed' }, removed: { vi: 'Bỏ', en: 'Removed' } };
const STATUS: Record<string, Bilingual> = { staged: { vi: 'Chờ công bố', en: 'Awaiting publication' }, published: { vi: 'Đã công bố', en: 'Published' }, superseded: { vi: 'Đã bị thay thế', en: 'Superseded' } };

export function ExamResultsPage() {
  const { t, pick, num, dateTime, lang } = useI18n();
  usePageTitle(t('Điểm bài thi và kết quả tốt nghiệp', 'Exam marks and graduation results'));
  const dept = useSession().user?.departmentCode ?? '';
  const [file, setFile] = useState<File | null>(null);
  const [list, setList] = useState<ImportsList | null>(null);
  const [report, setReport] = useState<MarksReport | null>(null);
  const [published, setPublished] = useState<PublishOutcome | null>(null);
  const [findings, setFindings] = useState<Finding[]>([]);
  const [message, setMessage] = useState<Bilingual | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => setList(await resultsApi.list(dept)), [dept]);
  useEffect(() => void load(), [load]);
  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    setFindings([]);
    setMessage(null);
    try {
      await f();
    } catch (e) {
      if (e instanceof ApiError) {
        setFindings(e.fields);
        setMessage({ vi: e.vi, en: e.en });
      } else setMessage({ vi: 'Đã có lỗi, xin thử lại.', en: 'Something went wrong; please try again.' });
    } finally {
      setBusy(false);
    }
  };
  const upload = () => {
    if (!file) {
      setFindings([{ code: 'REQUIRED', field: 'marks-file', severity: 'error', vi: 'Hãy chọn tệp điểm (XLSX hoặc CSV).', en: 'Choose the marks file (XLSX or CSV).' }]);
      return;
    }
    void run(async () => {
      setPublished(null);
      setReport(await resultsApi.upload(dept, file));
      await load();
    });
  };
  const open = (id: string) => void run(async () => setReport(await resultsApi.report(dept, id)));
  const publish = () =>
    report &&
    void run(async () => {
      setPublished(await resultsApi.publish(dept, report.import.id));
      setReport(await resultsApi.report(dept, report.import.id));
      await load();
    });

  if (!list) return <Spinner label={{ vi: 'Đang tải…', en: 'Loading…' }} />;
  return (
    <>
      <h1>{t('Điểm bài thi và kết quả tốt nghiệp', 'Exam marks and graduation results')}</h1>
      <ErrorSummary findings={findings} message={message} />
      {published && (
        <NotificationBanner kind="success" title={t(`Đã công bố phiên bản ${published.version}`, `Version ${published.version} published`)}>
          <p data-testid="publish-result">
            {t(
              `Thêm ${num(published.added)}, sửa ${num(published.changed)}, bỏ ${num(published.removed)} điểm; tính lại kết quả của ${num(published.results.computed)} thí sinh (đỗ ${num(published.results.passed)}, trượt ${num(published.results.failed)}, chưa đủ dữ liệu ${num(published.results.incomplete)}).`,
              `${num(published.added)} added, ${num(published.changed)} changed, ${num(published.removed)} removed; results computed for ${num(published.results.computed)} candidates (${num(published.results.passed)} graduate, ${num(published.results.failed)} do not, ${num(published.results.incomplete)} incomplete).`,
            )}
          </p>
        </NotificationBanner>
      )}
      <p>
        {t(
          'Mỗi dòng một điểm: số báo danh, mã môn, điểm (V: vắng thi, ĐC: đình chỉ thi), kỷ luật (KT, CC) nếu có. Tệp thay điểm của các môn có trong tệp; một cán bộ khác của sở kiểm tra rồi công bố.',
          'One mark per row: candidate number, subject code, mark (V: absent, ĐC: suspended), sanction (KT, CC) if any. A file replaces the marks of the papers it contains; another officer of the department checks and publishes it.',
        )}
      </p>
      <p data-testid="published-version">{t(`Phiên bản đang công bố: ${list.publishedVersion}`, `Published version: ${list.publishedVersion}`)}</p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) upload();
        }}
      >
        <div className="form-group">
          <label className="label" htmlFor="marks-file">
            {t('Tệp điểm', 'Marks file')}
          </label>
          <span className="hint">{t('XLSX hoặc CSV, tối đa 20 MB.', 'XLSX or CSV, at most 20 MB.')}</span>
          <input id="marks-file" name="file" type="file" accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </div>
        <Button type="submit" busy={busy}>
          {t('Kiểm tra và lưu tạm', 'Check and stage')}
        </Button>
      </form>

      {report && (
        <section aria-labelledby="report-title">
          <h2 id="report-title">{t(`Phiên bản ${report.import.version}: ${pick(STATUS[report.import.status]!)}`, `Version ${report.import.version}: ${pick(STATUS[report.import.status]!)}`)}</h2>
          <SummaryList
            rows={[
              { key: t('Tệp', 'File'), value: report.import.fileName },
              { key: t('Môn', 'Papers'), value: report.import.subjects.join(', ') },
              { key: t('Dòng hợp lệ / có lỗi', 'Valid rows / with errors'), value: `${num(report.import.validRows)} / ${num(report.import.errorRows)}` },
              {
                key: t('Thay đổi so với bản đang công bố', 'Changes against the published version'),
                value: t(`thêm ${num(report.import.added)}, sửa ${num(report.import.changed)}, bỏ ${num(report.import.removed)}, giữ nguyên ${num(report.import.unchanged)}`, `${num(report.import.added)} added, ${num(report.import.changed)} changed, ${num(report.import.removed)} removed, ${num(report.import.unchanged)} unchanged`),
              },
            ]}
          />
          {report.findings.length > 0 && (
            <div className="table-wrap" role="region" aria-labelledby="findings-caption" tabIndex={0}>
              <table className="table" data-testid="marks-findings">
                <caption id="findings-caption">{t('Các dòng có lỗi (không được lưu)', 'Rows with errors (not staged)')}</caption>
                <thead>
                  <tr>
                    <th scope="col" className="num">{t('Dòng', 'Row')}</th>
                    <th scope="col">{t('Cột', 'Column')}</th>
                    <th scope="col">{t('Vấn đề', 'Problem')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.findings.map((f, i) => (
                    <tr key={i}>
                      <td className="num">{f.row}</td>
                      <td>{FIELDS[f.field] ? pick(FIELDS[f.field]!) : f.field}</td>
                      <td>{pick(f)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {report.changes.length > 0 && (
            <div className="table-wrap" role="region" aria-labelledby="changes-caption" tabIndex={0}>
              <table className="table" data-testid="marks-changes">
                <caption id="changes-caption">{t('Những gì thay đổi khi công bố', 'What publishing changes')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('Số báo danh', 'Number')}</th>
                    <th scope="col">{t('Môn', 'Paper')}</th>
                    <th scope="col">{t('Thay đổi', 'Change')}</th>
                    <th scope="col">{t('Điểm cũ', 'Old')}</th>
                    <th scope="col">{t('Điểm mới', 'New')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.changes.map((c, i) => (
                    <tr key={i}>
                      <td>{c.number}</td>
                      <td>{subjectName(c.subject, lang)}</td>
                      <td>{pick(CHANGE[c.change]!)}</td>
                      <td>{c.old ? pick(c.old) : '—'}</td>
                      <td>{c.new ? pick(c.new) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {report.import.status === 'staged' &&
            (report.publishableByMe ? (
              <Button busy={busy} onClick={publish}>
                {t(`Công bố phiên bản ${report.import.version}`, `Publish version ${report.import.version}`)}
              </Button>
            ) : (
              <p data-testid="four-eyes">{t('Bạn đã tải tệp này lên: một cán bộ khác của sở cần kiểm tra và công bố.', 'You uploaded this file: another officer of the department must check and publish it.')}</p>
            ))}
        </section>
      )}

      <h2>{t('Các phiên bản', 'Versions')}</h2>
      {list.items.length === 0 ? (
        <p>{t('Chưa có tệp điểm nào.', 'No marks uploaded yet.')}</p>
      ) : (
        <table className="table" data-testid="marks-versions">
          <thead>
            <tr>
              <th scope="col" className="num">{t('Phiên bản', 'Version')}</th>
              <th scope="col">{t('Trạng thái', 'Status')}</th>
              <th scope="col">{t('Tải lên', 'Uploaded')}</th>
              <th scope="col">{t('Thay đổi', 'Changes')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {list.items.map((i) => (
              <tr key={i.id}>
                <td className="num">{i.version}</td>
                <td>
                  {pick(STATUS[i.status]!)}
                  {i.kind === 'review' ? t(' · phúc khảo', ' · score review') : ''}
                </td>
                <td>{dateTime(i.uploadedAt)}</td>
                <td>{`+${num(i.added)} ~${num(i.changed)} −${num(i.removed)}`}</td>
                <td>
                  <Button variant="secondary" onClick={() => open(i.id)}>
                    {t(`Xem phiên bản ${i.version}`, `View version ${i.version}`)}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
