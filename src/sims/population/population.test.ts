// The population database simulator as a real process: verification by field, the planted mismatches
// (reproducible by seed), the give-back records it keeps across a restart, and its faults.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSim, type TestSim } from '../../../test/helpers/sims.ts';
import { demoPersonalNumber } from '../../server/demo/demo-class.ts';
import { changeAccent, type Citizen } from '../shared/citizens.ts';
import { POPULATION_PATHS } from '../../server/integrations/population/messages.ts';

const post = (sim: TestSim, p: string, body: unknown, key = 'k') =>
  fetch(`${sim.url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });

describe('population database simulator', () => {
  let sim: TestSim;
  before(async () => {
    sim = await startSim('population', { seed: 7, args: ['--candidates', '3000', '--year', '2025', '--mismatch-share', '0.09', '--api-key', 'k'] });
  });
  after(async () => sim?.stop());

  test('a demo citizen as the school holds them: match, with the permanent residence', async () => {
    const res = await post(sim, POPULATION_PATHS.verify, { SoDinhDanh: demoPersonalNumber(0), HoVaTen: 'NGUYỄN VĂN AN', NgayThangNamSinh: '20080314' });
    const body = await res.json();
    assert.equal(body.KetQua, 'KHOP');
    assert.deepEqual(body.SaiLech, []);
    assert.equal(body.ThuongTru.MaTinh, '01');
    assert.match(body.ThuongTru.MaXa, /^\d{5}$/);
    assert.match(body.ThoiDiem, /^\d{14}$/);
  });

  test('the year alone is enough when that is all the sender knows', async () => {
    const body = await (await post(sim, POPULATION_PATHS.verify, { SoDinhDanh: demoPersonalNumber(0), HoVaTen: 'Nguyễn Văn An', NgayThangNamSinh: '2008' })).json();
    assert.equal(body.KetQua, 'KHOP');
  });

  test('the planted demo cases: a birth date a day off, a changed accent, an unknown number', async () => {
    const dob = await (await post(sim, POPULATION_PATHS.verify, { SoDinhDanh: demoPersonalNumber(1), HoVaTen: 'Trần Thị Bình', NgayThangNamSinh: '20080702' })).json();
    assert.equal(dob.KetQua, 'KHONG_KHOP');
    assert.equal(dob.SaiLech.length, 1);
    assert.equal(dob.SaiLech[0].TruongDuLieu, 'NgayThangNamSinh');
    assert.equal(dob.SaiLech[0].GiaTriYeuCau, '20080702');
    assert.ok(['20080701', '20080703'].includes(dob.SaiLech[0].GiaTriCSDL));

    const name = await (await post(sim, POPULATION_PATHS.verify, { SoDinhDanh: demoPersonalNumber(2), HoVaTen: 'Lê Hoàng Cường', NgayThangNamSinh: '20081123' })).json();
    assert.equal(name.KetQua, 'KHONG_KHOP');
    assert.deepEqual(name.SaiLech, [{ TruongDuLieu: 'HoVaTen', GiaTriYeuCau: 'Lê Hoàng Cường', GiaTriCSDL: changeAccent('Lê Hoàng Cường') }]);

    const none = await (await post(sim, POPULATION_PATHS.verify, { SoDinhDanh: demoPersonalNumber(3), HoVaTen: 'Phạm Ngọc Diệp', NgayThangNamSinh: '20080130' })).json();
    assert.equal(none.KetQua, 'KHONG_TIM_THAY');
    assert.equal(none.ThuongTru, null);
  });

  test('the seeded country: the planted share shows up as mismatches of the planted kind, the same for the same seed', async () => {
    const all = await sim.inspect<{ total: number; citizens: Citizen[] }>('/__citizens?origin=country&limit=100000');
    assert.ok(all.citizens.length >= 2900, `seeded ${all.citizens.length}`);
    const planted = all.citizens.filter((c) => c.planted !== 'none');
    const share = planted.length / all.citizens.length;
    assert.ok(share > 0.06 && share < 0.12, `planted share ${share}`);
    const kinds = new Set(planted.map((c) => c.planted));
    assert.deepEqual([...kinds].sort(), ['birth_date', 'name_accent', 'unknown']);
    for (const c of planted.slice(0, 30)) {
      const body = await (await post(sim, POPULATION_PATHS.verify, { SoDinhDanh: c.personalNumber, HoVaTen: c.schoolRecord!.fullName, NgayThangNamSinh: c.schoolRecord!.dateOfBirth.replaceAll('-', '') })).json();
      const expected = c.planted === 'unknown' ? 'KHONG_TIM_THAY' : 'KHONG_KHOP';
      assert.equal(body.KetQua, expected, `${c.planted}`);
      if (c.planted === 'name_accent') assert.equal(body.SaiLech[0].TruongDuLieu, 'HoVaTen');
      if (c.planted === 'birth_date') assert.equal(body.SaiLech[0].TruongDuLieu, 'NgayThangNamSinh');
    }
    const again = await startSim('population', { seed: 7, args: ['--candidates', '3000', '--year', '2025', '--mismatch-share', '0.09'] });
    try {
      const second = await again.inspect<{ citizens: Citizen[] }>('/__citizens?origin=country&limit=100000');
      assert.deepEqual(
        second.citizens.filter((c) => c.planted !== 'none').map((c) => [c.personalNumber, c.planted]),
        planted.map((c) => [c.personalNumber, c.planted]),
      );
    } finally {
      await again.stop();
    }
  });

  test('without the API key the link is refused; a malformed request is a 400', async () => {
    assert.equal((await post(sim, POPULATION_PATHS.verify, { SoDinhDanh: demoPersonalNumber(0), HoVaTen: 'A', NgayThangNamSinh: '2008' }, 'wrong')).status, 401);
    assert.equal((await post(sim, POPULATION_PATHS.verify, { SoDinhDanh: '12', HoVaTen: 'A', NgayThangNamSinh: '2008' })).status, 400);
  });

  test('give-back records: kept once per version, an older version changes nothing, and they survive a restart', async () => {
    const record = {
      SoDinhDanh: demoPersonalNumber(0),
      NamHoc: '2025-2026',
      KyThi: { Nam: 2026, MaHoSo: '2026-01001-000001', MaDiemDangKy: '01001', TenDiemDangKy: 'Trường THPT Chu Văn An', DoiTuong: 'DANG_HOC_LOP_12' },
      TruongHoc: { MaTinh: '01', MaTruong: '001', TenTruong: 'Trường THPT Chu Văn An', Lop: '12A1' },
      PhienBan: 2,
    };
    assert.equal((await (await post(sim, POPULATION_PATHS.giveBack, record)).json()).KetQua, 'DA_CAP_NHAT');
    assert.deepEqual(await (await post(sim, POPULATION_PATHS.giveBack, record)).json(), { KetQua: 'TRUNG_LAP', PhienBanHienTai: 2 });
    assert.deepEqual(await (await post(sim, POPULATION_PATHS.giveBack, { ...record, PhienBan: 1 })).json(), { KetQua: 'PHIEN_BAN_CU', PhienBanHienTai: 2 });
    const kept = await sim.inspect<{ count: number; records: Array<{ record: typeof record }> }>(`/__give-backs?personalNumber=${demoPersonalNumber(0)}`);
    assert.equal(kept.count, 1);
    assert.equal(kept.records[0]!.record.KyThi.MaHoSo, '2026-01001-000001');

    const restarted = await startSim('population', { seed: 7, dataDir: sim.dataDir, args: ['--api-key', 'k'] });
    try {
      const after = await restarted.inspect<{ count: number }>(`/__give-backs?personalNumber=${demoPersonalNumber(0)}`);
      assert.equal(after.count, 1);
      assert.equal((await (await post(restarted, POPULATION_PATHS.giveBack, record)).json()).KetQua, 'TRUNG_LAP');
    } finally {
      await restarted.stop();
    }
  });

  test('slowed down, it still answers, after the delay; failing, it answers 503 until the time is up', async () => {
    const st = await sim.control({ mode: 'slow', delayMs: 300, forMs: 60_000 });
    assert.equal(st.mode, 'slow');
    const started = Date.now();
    const res = await post(sim, POPULATION_PATHS.verify, { SoDinhDanh: demoPersonalNumber(0), HoVaTen: 'Nguyễn Văn An', NgayThangNamSinh: '20080314' });
    assert.equal(res.status, 200);
    assert.ok(Date.now() - started >= 290, 'the answer waited for the delay');
    await sim.control({ mode: 'fail', forMs: 200 });
    assert.equal((await post(sim, POPULATION_PATHS.verify, { SoDinhDanh: demoPersonalNumber(0), HoVaTen: 'A', NgayThangNamSinh: '2008' })).status, 503);
    await new Promise((r) => setTimeout(r, 250));
    assert.equal((await sim.inspect<{ mode: string }>('/__control')).mode, 'ok');
  });
});
