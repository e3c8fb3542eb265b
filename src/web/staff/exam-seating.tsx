// The department's exam council page: map registration points to exam sites (the list's order is the
// serial order), then number and seat the verified candidates, and see the numbers. Running it again after
// a late correction numbers only the newcomers (the server keeps everyone else's number and seat).
import { useCallback, useEffect, useState } from 'react';
import type { Finding } from '../../domain/messages.ts';
import { ApiError } from '../api/client.ts';
import { examApi, type AssignResult, type NumbersPage, type SeatingOverview, type SiteInput } from '../api/staff-endpoints.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { usePageTitle } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Button, ErrorSummary, NotificationBanner, Spinner } from '../components/feedback.tsx';
import { Select, TextInput } from '../components/forms.tsx';
import { DownloadButton } from './download-button.tsx';

type Draft = SiteInput & { key: string };

export function ExamSeatingPage() {
  const { t, pick } = useI18n();
  usePageTitle(t('Số báo danh, điểm thi, phòng thi', 'Candidate numbers, sites and rooms'));
  const dept = useSession().user?.departmentCode ?? '';
  const [view, setView] = useState<SeatingOverview | null>(null);
  const [sites, setSites] = useState<Draft[]>([]);
  const [roomSize, setRoomSize] = useState('24');
  const [lastRoomMax, setLastRoomMax] = useState('28');
  const [findings, setFindings] = useState<Finding[]>([]);
  const [message, setMessage] = useState<Bilingual | null>(null);
  const [done, setDone] = useState<Bilingual | null>(null);
  const [result, setResult] = useState<AssignResult | null>(null);
  const [numbers, setNumbers] = useState<NumbersPage | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const v = await examApi.overview(dept);
    setView(v);
    setSites(v.sites.map((s) => ({ ...s, key: s.id })));
    if (v.council) {
      setRoomSize(String(v.council.roomSize));
      setLastRoomMax(String(v.council.lastRoomMax));
    }
    if (v.counts.numbered > 0) setNumbers(await examApi.numbers(dept));
  }, [dept]);
  useEffect(() => void load(), [load]);

  const fail = (e: unknown) => {
    if (e instanceof ApiError) {
      setFindings(e.fields);
      setMessage({ vi: e.vi, en: e.en });
    } else setMessage({ vi: 'Đã có lỗi, xin thử lại.', en: 'Something went wrong; please try again.' });
  };
  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    setFindings([]);
    setMessage(null);
    setDone(null);
    try {
      await f();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  if (!view) return <Spinner label={{ vi: 'Đang tải…', en: 'Loading…' }} />;
  const siteOfPoint = new Map(sites.flatMap((s) => s.pointIds.map((p) => [p, s.key] as const)));
  const setPoint = (pointId: string, key: string) =>
    setSites((list) => list.map((s) => ({ ...s, pointIds: s.key === key ? [...s.pointIds.filter((p) => p !== pointId), pointId] : s.pointIds.filter((p) => p !== pointId) })));
  const edit = (key: string, patch: Partial<Draft>) => setSites((list) => list.map((s) => (s.key === key ? { ...s, ...patch } : s)));

  return (
    <>
      <h1>{t('Số báo danh, điểm thi, phòng thi', 'Candidate numbers, sites and rooms')}</h1>
      <ErrorSummary findings={findings} message={message} />
      {done && <NotificationBanner kind="success" title={pick(done)}>{result && <p data-testid="assign-result">{t(`Đánh số mới: ${result.changes.numbered}; rút: ${result.changes.withdrawn}; trở lại: ${result.changes.reinstated}; chỗ ngồi thêm: ${result.changes.seatsAdded}.`, `Newly numbered: ${result.changes.numbered}; withdrawn: ${result.changes.withdrawn}; reinstated: ${result.changes.reinstated}; seats added: ${result.changes.seatsAdded}.`)}</p>}</NotificationBanner>}
      <p data-testid="counts">
        {t(`Đã đánh số: ${view.counts.numbered} thí sinh, ${view.counts.rooms} phòng thi (theo buổi thi).`, `Numbered: ${view.counts.numbered} candidates, ${view.counts.rooms} rooms (per session).`)}
      </p>

      <h2>{t('1. Điểm thi', '1. Exam sites')}</h2>
      {sites.map((s, i) => (
        <fieldset key={s.key} className="fieldset">
          <legend>{t(`Điểm thi ${i + 1}`, `Site ${i + 1}`)}</legend>
          <TextInput field={`sites[${i}].code`} label={t('Mã điểm thi', 'Site code')} width={4} value={s.code} onChange={(v) => edit(s.key, { code: v })} findings={findings} />
          <TextInput field={`sites[${i}].name`} label={t('Tên điểm thi', 'Site name')} value={s.name} onChange={(v) => edit(s.key, { name: v })} findings={findings} />
          <TextInput field={`sites[${i}].address`} label={t('Địa chỉ', 'Address')} value={s.address} onChange={(v) => edit(s.key, { address: v })} findings={findings} />
        </fieldset>
      ))}
      <Button variant="secondary" onClick={() => setSites((l) => [...l, { key: `new-${l.length}-${Date.now()}`, code: String(l.length + 1), name: '', address: '', pointIds: [] }])}>
        {t('Thêm điểm thi', 'Add a site')}
      </Button>
      <table className="table">
        <thead>
          <tr>
            <th>{t('Điểm tiếp nhận', 'Registration point')}</th>
            <th>{t('Điểm thi', 'Exam site')}</th>
          </tr>
        </thead>
        <tbody>
          {view.points.map((p) => (
            <tr key={p.id}>
              <td>{`${p.code} ${p.name}`}</td>
              <td>
                <Select
                  field={`point-${p.code}`}
                  label={<span className="visually-hidden">{t(`Điểm thi của ${p.name}`, `Site of ${p.name}`)}</span>}
                  value={siteOfPoint.get(p.id) ?? ''}
                  placeholder={t('Chưa xếp', 'Not mapped')}
                  options={sites.map((s, i) => ({ value: s.key, label: s.name || t(`Điểm thi ${i + 1}`, `Site ${i + 1}`) }))}
                  onChange={(v) => setPoint(p.id, v)}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Button
        busy={busy}
        onClick={() =>
          void run(async () => {
            await examApi.saveSites(dept, sites.map((s) => ({ ...(s.key.startsWith('new-') ? {} : { id: s.key }), code: s.code, name: s.name, address: s.address, pointIds: s.pointIds })));
            await load();
            setDone({ vi: 'Đã lưu các điểm thi.', en: 'The exam sites are saved.' });
          })
        }
      >
        {t('Lưu điểm thi', 'Save the sites')}
      </Button>

      <h2>{t('2. Đánh số báo danh và xếp phòng thi', '2. Number and seat the candidates')}</h2>
      <p>{t('Chỉ thí sinh có hồ sơ đã duyệt. Chạy lại sau khi điều chỉnh muộn: chỉ thí sinh mới được đánh số, không ai bị đổi số.', 'Verified dossiers only. Run again after a late correction: only newcomers are numbered; nobody is renumbered.')}</p>
      <TextInput field="roomSize" label={t('Số thí sinh mỗi phòng', 'Candidates per room')} width={2} inputMode="numeric" value={roomSize} onChange={setRoomSize} findings={findings} />
      <TextInput field="lastRoomMax" label={t('Phòng cuối tối đa', 'Last room at most')} width={2} inputMode="numeric" value={lastRoomMax} onChange={setLastRoomMax} findings={findings} />
      <Button
        busy={busy}
        onClick={() =>
          void run(async () => {
            const out = await examApi.assign(dept, { roomSize: Number(roomSize), lastRoomMax: Number(lastRoomMax) });
            setResult(out);
            setFindings(out.findings);
            await load();
            setDone({ vi: 'Đã đánh số báo danh và xếp phòng thi.', en: 'Candidates numbered and seated.' });
          })
        }
      >
        {t('Đánh số báo danh', 'Assign candidate numbers')}
      </Button>

      {numbers && numbers.items.length > 0 && (
        <>
          <h2>{t('Danh sách phòng thi', 'Room lists')}</h2>
          <p>{t('Mỗi buổi thi một trang tính; mỗi phòng: số thứ tự, số báo danh, họ tên, ngày sinh, cột ký tên.', 'A sheet per session; each room: seat, number, name, date of birth, a column to sign.')}</p>
          <DownloadButton url={() => examApi.departmentRoomsUrl(dept)} fileName="danh-sach-phong-thi.xlsx" onError={fail} onStart={() => setMessage(null)} testId="export-department-rooms">
            {t('Tải danh sách phòng thi (XLSX)', 'Download the room lists (XLSX)')}
          </DownloadButton>
          <h2>{t('Danh sách số báo danh', 'Candidate numbers')}</h2>
          <table className="table" data-testid="numbers">
            <thead>
              <tr>
                <th>{t('Số báo danh', 'Number')}</th>
                <th>{t('Họ và tên', 'Full name')}</th>
                <th>{t('Ngày sinh', 'Date of birth')}</th>
                <th>{t('Lớp', 'Class')}</th>
              </tr>
            </thead>
            <tbody>
              {numbers.items.map((n) => (
                <tr key={n.candidateId}>
                  <td>{n.number}</td>
                  <td>{n.fullName}</td>
                  <td>{n.dateOfBirth}</td>
                  <td>{n.className ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {numbers.nextAfter !== null && (
            <Button variant="secondary" onClick={() => void run(async () => setNumbers(await examApi.numbers(dept, numbers.nextAfter ?? undefined)))}>
              {t('Trang sau', 'Next page')}
            </Button>
          )}
        </>
      )}
    </>
  );
}
