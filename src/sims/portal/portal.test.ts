// The portal simulator as a real process: idempotent upserts and progress by dossier code + version, the
// history it keeps across a restart, the citizen's look-up page, and its faults.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSim, type TestSim } from '../../../test/helpers/sims.ts';
import { PORTAL_PATHS, type DossierUpsert, type ProgressUpdate } from '../../server/integrations/portal/messages.ts';

const post = (sim: TestSim, p: string, body: unknown) => fetch(`${sim.url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const DOSSIER: DossierUpsert = {
  MaHoSo: '2026-01001-000042',
  PhienBan: 3,
  MaTTHC: '1.005142',
  ChuHoSo: 'Nguyễn Văn An',
  Email: 'an@example.vn',
  SoDienThoai: '0912345678',
  TrichYeuHoSo: 'Đăng ký dự thi tốt nghiệp THPT năm 2026',
  NgayTiepNhan: '20260421093000',
  NgayHenTra: '20260509170000',
  TrangThaiHoSo: 1,
  NgayTra: null,
  DonViXuLy: 'Trường THPT Chu Văn An',
};
const PROGRESS: ProgressUpdate = { MaHoSo: DOSSIER.MaHoSo, PhienBan: 3, NguoiXuLy: 'Thí sinh', ThoiDiemXuLy: '20260421093000', NoiDungXuLy: 'Nộp hồ sơ đăng ký dự thi', TrangThai: 1 };

describe('portal simulator', () => {
  let sim: TestSim;
  before(async () => {
    sim = await startSim('portal');
  });
  after(async () => sim?.stop());

  test('an upsert is applied once per version; a repeat or an older version changes nothing and says so', async () => {
    assert.deepEqual(await (await post(sim, PORTAL_PATHS.upsert, DOSSIER)).json(), { KetQua: 'DA_CAP_NHAT', PhienBanHienTai: 3 });
    assert.deepEqual(await (await post(sim, PORTAL_PATHS.upsert, DOSSIER)).json(), { KetQua: 'TRUNG_LAP', PhienBanHienTai: 3 });
    assert.deepEqual(await (await post(sim, PORTAL_PATHS.upsert, { ...DOSSIER, PhienBan: 2, TrangThaiHoSo: 5 })).json(), { KetQua: 'PHIEN_BAN_CU', PhienBanHienTai: 3 });
    const got = await (await fetch(`${sim.url}${PORTAL_PATHS.lookUp(DOSSIER.MaHoSo)}`)).json();
    assert.equal(got.HoSo.TrangThaiHoSo, 1);
  });

  test('progress updates are kept in order; the dossier takes the latest status; an unknown dossier is a 404', async () => {
    assert.equal((await (await post(sim, PORTAL_PATHS.progress, PROGRESS)).json()).KetQua, 'DA_CAP_NHAT');
    const verified = { ...PROGRESS, PhienBan: 4, NguoiXuLy: 'Trường THPT Chu Văn An', ThoiDiemXuLy: '20260422100000', NoiDungXuLy: 'Hồ sơ hợp lệ', TrangThai: 2 };
    assert.equal((await (await post(sim, PORTAL_PATHS.progress, verified)).json()).KetQua, 'DA_CAP_NHAT');
    assert.equal((await (await post(sim, PORTAL_PATHS.progress, PROGRESS)).json()).KetQua, 'PHIEN_BAN_CU');
    const got = await (await fetch(`${sim.url}${PORTAL_PATHS.lookUp(DOSSIER.MaHoSo)}`)).json();
    assert.deepEqual(got.TienDo.map((p: ProgressUpdate) => p.TrangThai), [1, 2]);
    assert.equal(got.HoSo.TrangThaiHoSo, 2);
    assert.equal((await post(sim, PORTAL_PATHS.progress, { ...PROGRESS, MaHoSo: 'KHONG-CO' })).status, 404);
    assert.equal((await post(sim, PORTAL_PATHS.upsert, { ...DOSSIER, NgayTiepNhan: '2026-04-21' })).status, 400);
  });

  test('the citizen page finds the dossier by its code, in Vietnamese, and says plainly when there is none', async () => {
    const page = await (await fetch(`${sim.url}/tra-cuu?ma=${encodeURIComponent(DOSSIER.MaHoSo)}`)).text();
    assert.match(page, /<html lang="vi">/);
    assert.match(page, /<label for="ma">Mã hồ sơ<\/label>/);
    assert.match(page, /2 – Được tiếp nhận/);
    assert.match(page, /Hồ sơ hợp lệ/);
    assert.match(page, /21\/04\/2026 09:30/);
    const none = await fetch(`${sim.url}/tra-cuu?ma=KHONG-CO`);
    assert.equal(none.status, 404);
    assert.match(await none.text(), /Không tìm thấy hồ sơ/);
  });

  test('what it applied survives a restart', async () => {
    await sim.stopProcess();
    const again = await startSim('portal', { dataDir: sim.dataDir });
    try {
      const got = await (await fetch(`${again.url}${PORTAL_PATHS.lookUp(DOSSIER.MaHoSo)}`)).json();
      assert.equal(got.HoSo.PhienBan, 3);
      assert.equal(got.TienDo.length, 2);
      assert.equal((await (await post(again, PORTAL_PATHS.upsert, DOSSIER)).json()).KetQua, 'TRUNG_LAP');
    } finally {
      await again.stopProcess();
    }
  });
});
