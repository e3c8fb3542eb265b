// The exam notice and the room lists through the whole app, on both databases: a candidate's own notice
// (only once numbered), staff in scope, a point's class and room lists, a refusal answered with the one
// 403 and recorded, staff downloads audited; the PDF's text and the XLSX's cells checked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import type { FastifyInstance } from 'fastify';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { testApp, testClock } from '../../../test/helpers/app.ts';
import { sessionHeaders, quietEnv } from '../accounts/test-support.ts';
import type { Config } from '../config.ts';
import type { UserActor } from '../policy/policy.ts';
import { P1, P2, P3, IN_CORRECTION, dept01, makeCandidates, makeDossier, officer1, officer2, officer3, seedStructure, type MadeCandidate } from '../verification/back-office.fixtures.ts';
import { newId } from '../ids.ts';
import { storeFile } from '../dossiers/upload-storage.ts';

const up = (s: string) => s.toLocaleUpperCase('vi');

describeEachDb('the exam notice and the room lists', (get) => {
  let app: FastifyInstance;
  let config: Config;
  let dataDir: string;
  const made = new Map<string, MadeCandidate>();

  before(async () => {
    const db = get().db;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-notice-'));
    await seedStructure(db);
    const p1 = await makeCandidates(db, P1, ['Trần Thị Bình', 'Nguyễn Văn An', 'Vũ Thu Hà'], { className: '12A1' });
    const p2 = await makeCandidates(db, P2, ['Đỗ Quang Minh'], { className: '12B1' });
    const p3 = await makeCandidates(db, P3, ['Ngô Phương Nhi']);
    for (const c of [...p1, ...p2, ...p3]) made.set(c.fullName, c);
    const dossierOfAn = await makeDossier(db, made.get('Nguyễn Văn An')!, 'verified', { filters: { subjectsCombo: 'NN+LI' } });
    for (const n of ['Trần Thị Bình', 'Đỗ Quang Minh', 'Ngô Phương Nhi']) await makeDossier(db, made.get(n)!, 'verified', { filters: { subjectsCombo: 'HOA+SINH' } });
    await makeDossier(db, made.get('Vũ Thu Hà')!, 'submitted');
    // candidates signed in with their own password
    await db.write((trx) => trx.updateTable('users').set({ must_change_password: 0, password_hash: 'x', status: 'active' }).where('role', '=', 'candidate').execute());
    // An's photo, as the dossier module stores it
    const photo = await sharp({ create: { width: 300, height: 400, channels: 3, background: '#7a9cc6' } }).jpeg().toBuffer();
    const storagePath = `2026/${dossierOfAn}/photo.jpg`;
    await storeFile(dataDir, storagePath, photo);
    await db.write((trx) =>
      trx
        .insertInto('uploads')
        .values({ id: newId(), dossier_id: dossierOfAn, kind: 'photo', purpose: null, storage_path: storagePath, mime: 'image/jpeg', bytes: photo.length, width: 300, height: 400, sha256: 'x', original_name: null, created_by: null, created_at: IN_CORRECTION.toISOString() })
        .execute(),
    );
    ({ app, config } = await testApp(db, { clock: testClock(IN_CORRECTION), env: quietEnv({ DATA_DIR: dataDir }) }));
  });
  after(async () => {
    await app?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const candidateActor = (name: string): UserActor => {
    const m = made.get(name)!;
    return { kind: 'user', userId: m.userId, role: 'candidate', orgUnitId: m.pointId, departmentCode: m.departmentCode, sessionId: 's', mustChangePassword: false };
  };
  const call = async (who: UserActor, url: string, method: 'GET' | 'POST' | 'PUT' = 'GET', payload?: object) =>
    app.inject({ method, url, headers: await sessionHeaders(get().db, config, who.userId, IN_CORRECTION), ...(payload ? { payload } : {}) });
  const pdfText = (name: string, pdf: Buffer) => {
    const file = path.join(dataDir, name);
    fs.writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', file, '-'], { encoding: 'utf8' }).normalize('NFC');
  };
  const ownUrl = '/api/exam/me/notice.pdf';
  const classUrl = `/api/exam/points/${P1}/notices.pdf?className=12A1`;
  const pointRooms = `/api/exam/points/${P1}/rooms.xlsx`;

  test('before the department numbers: a clear bilingual refusal, never an empty notice', async () => {
    for (const [who, url] of [
      [candidateActor('Nguyễn Văn An'), ownUrl],
      [officer1, `/api/exam/candidates/${made.get('Nguyễn Văn An')!.candidateId}/notice.pdf`],
      [officer1, classUrl],
      [officer1, pointRooms],
      [dept01, '/api/exam/departments/01/rooms.xlsx'],
    ] as const) {
      const r = await call(who, url);
      assert.equal(r.statusCode, 409, `${url}: ${r.body}`);
      const e = r.json().error;
      assert.equal(e.code, 'EXAM_NOT_NUMBERED');
      assert.match(e.vi, /số báo danh/);
      assert.match(e.en, /number/);
    }
    // the department maps its points and numbers its verified candidates
    const sites = await call(dept01, '/api/exam/departments/01/sites', 'PUT', {
      sites: [{ code: 'A', name: 'THPT Chu Văn An', address: '10 Thụy Khuê, Tây Hồ, Hà Nội', pointIds: [P1, P2] }],
    });
    assert.equal(sites.statusCode, 200, sites.body);
    const seated = await call(dept01, '/api/exam/departments/01/seating', 'POST', {});
    assert.equal(seated.statusCode, 200, seated.body);
    assert.equal(seated.json().changes.numbered, 3);
  });

  test('the candidate downloads their own notice: number, person, photo, site, rooms and times, rules', async () => {
    const r = await call(candidateActor('Nguyễn Văn An'), ownUrl);
    assert.equal(r.statusCode, 200, r.body.slice(0, 300));
    assert.equal(r.headers['content-type'], 'application/pdf');
    assert.equal(r.headers['cache-control'], 'no-store');
    // An sorts first in the site: the first serial
    assert.match(String(r.headers['content-disposition']), /^attachment; filename="giay-bao-du-thi-2026-01000001\.pdf"/);
    const text = pdfText('own.pdf', r.rawPayload);
    for (const s of [
      'GIẤY BÁO DỰ THI',
      'KỲ THI TỐT NGHIỆP TRUNG HỌC PHỔ THÔNG NĂM 2026',
      '01000001',
      up('Nguyễn Văn An'),
      '14/03/2008',
      made.get('Nguyễn Văn An')!.idNumber,
      'THPT Chu Văn An (mã A)',
      '10 Thụy Khuê, Tây Hồ, Hà Nội',
      'Làm thủ tục dự thi: 08:00 ngày 10/06/2026',
      'QUY ĐỊNH ĐỐI VỚI THÍ SINH',
      'đến muộn quá 15 phút',
    ]) {
      assert.ok(text.includes(s), `the notice shows ${s}`);
    }
    // each session on its line: subject, date, time, length, room, seat (Physics before the language)
    const lines = text.split('\n').map((l) => l.trim().replace(/\s+/g, ' '));
    const row = (subject: string) => lines.find((l) => l.startsWith(subject)) ?? '';
    assert.match(row('Ngữ văn'), /^Ngữ văn 11\/06\/2026 07:35 – 09:35 120 phút 1 1$/);
    assert.match(row('Toán'), /^Toán 11\/06\/2026 14:30 – 16:00 90 phút 1 1$/);
    assert.match(row('Vật lí'), /^Vật lí 12\/06\/2026 07:35 – 08:25 50 phút 1 1$/);
    assert.match(row('Ngoại ngữ'), /^Ngoại ngữ 12\/06\/2026 08:35 – 09:25 50 phút 1 1$/);
    assert.ok(lines.indexOf(row('Vật lí')) < lines.indexOf(row('Ngoại ngữ')));
    // the photo is printed
    const images = execFileSync('pdfimages', ['-list', path.join(dataDir, 'own.pdf')], { encoding: 'utf8' }).trim().split('\n').slice(2);
    assert.equal(images.length, 1, 'one image: the photo');
    // the embedded fonts carry the Vietnamese letters
    assert.match(execFileSync('pdffonts', [path.join(dataDir, 'own.pdf')], { encoding: 'utf8' }), /DejaVuSans/);
  });

  test('a candidate not numbered is told so; nobody reads another candidate’s notice', async () => {
    const ha = await call(candidateActor('Vũ Thu Hà'), ownUrl);
    assert.equal(ha.statusCode, 409);
    assert.equal(ha.json().error.code, 'EXAM_NOT_NUMBERED');
    const binh = made.get('Trần Thị Bình')!.candidateId;
    const mine = await call(candidateActor('Nguyễn Văn An'), `/api/exam/candidates/${binh}/notice.pdf`);
    assert.equal(mine.statusCode, 403);
    assert.equal(mine.json().error.code, 'FORBIDDEN');
    assert.equal((await call(officer1, ownUrl)).statusCode, 403, 'staff have no notice of their own');
  });

  test('staff: their own point’s or department’s candidates only; refusals recorded, downloads audited', async () => {
    const db = get().db;
    const binh = made.get('Trần Thị Bình')!.candidateId;
    const url = `/api/exam/candidates/${binh}/notice.pdf`;
    for (const who of [officer1, dept01]) {
      const r = await call(who, url);
      assert.equal(r.statusCode, 200, `${who.role}: ${r.body.slice(0, 200)}`);
      assert.equal(r.headers['cache-control'], 'no-store');
      assert.ok(pdfText('staff.pdf', r.rawPayload).includes(up('Trần Thị Bình')));
    }
    for (const who of [officer2, officer3]) {
      const r = await call(who, url);
      assert.equal(r.statusCode, 403, `${who.userId} is refused`);
      assert.deepEqual(Object.keys(r.json().error).sort(), ['code', 'en', 'fields', 'vi']);
    }
    const denied = await db.read.selectFrom('audit_log').select(['actor_id', 'target_id']).where('action', '=', 'access.denied').execute();
    for (const who of [officer2, officer3]) assert.ok(denied.some((d) => d.actor_id === who.userId && d.target_id === binh), `${who.userId}'s attempt recorded`);
    const reads = await db.read.selectFrom('audit_log').select(['actor_id', 'target_id', 'details']).where('action', '=', 'personal_data.read').execute();
    for (const who of [officer1, dept01]) assert.ok(reads.some((e) => e.actor_id === who.userId && e.target_id === binh && (e.details ?? '').includes('exam_notice_pdf')), `${who.userId}'s download audited`);
  });

  test('the point prints a class’s notices in one PDF; the class’s candidates without a number are listed', async () => {
    const r = await call(officer1, classUrl);
    assert.equal(r.statusCode, 200, r.body.slice(0, 300));
    assert.equal(r.headers['cache-control'], 'no-store');
    assert.match(String(r.headers['content-disposition']), /filename="giay-bao-du-thi-01001-12a1-2026\.pdf"/);
    const text = pdfText('class.pdf', r.rawPayload);
    assert.equal((text.match(/GIẤY BÁO DỰ THI/g) ?? []).length, 2, 'An and Bình');
    assert.ok(text.indexOf('01000001') < text.indexOf('01000002'), 'in number order');
    assert.match(text, /Thí sinh của lớp chưa có số báo danh \(1\)/);
    assert.ok(text.includes(up('Vũ Thu Hà')));
    assert.ok(!text.includes(up('Đỗ Quang Minh')), 'another point’s candidate is not in the class');
    for (const who of [officer2, candidateActor('Nguyễn Văn An')]) assert.equal((await call(who, classUrl)).statusCode, 403);
    const audit = await get().db.read.selectFrom('audit_log').select('details').where('action', '=', 'personal_data.read').execute();
    assert.ok(audit.some((a) => (a.details ?? '').includes('class_exam_notices_pdf')));
  });

  async function sheetsOf(body: Buffer): Promise<Map<string, string[][]>> {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ArrayBuffer);
    const out = new Map<string, string[][]>();
    wb.eachSheet((ws) => {
      const rows: string[][] = [];
      ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
      out.set(ws.name, rows);
    });
    return out;
  }

  test('room lists as XLSX: a point’s own candidates; the department’s every room; in scope only', async () => {
    const r = await call(officer1, pointRooms);
    assert.equal(r.statusCode, 200, r.body.slice(0, 300));
    assert.equal(r.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.equal(r.headers['cache-control'], 'no-store');
    assert.match(String(r.headers['content-disposition']), /filename="danh-sach-phong-thi-01001-2026\.xlsx"/);
    const point = await sheetsOf(r.rawPayload);
    // a sheet per session, in timetable order
    assert.deepEqual([...point.keys()], ['Ngữ văn', 'Toán', 'Vật lí', 'Hóa học', 'Sinh học', 'Ngoại ngữ']);
    const van = point.get('Ngữ văn')!;
    assert.ok(van.some((row) => row[0]!.startsWith('Điểm thi: A — THPT Chu Văn An')));
    assert.ok(van.some((row) => /^Môn thi: Ngữ văn — 07:35 ngày 11\/06\/2026 — Phòng thi số 1/.test(row[0]!)));
    assert.deepEqual(van.find((row) => row[0] === 'STT'), ['STT', 'Số báo danh', 'Họ và tên', 'Ngày sinh', 'Chữ ký', 'Ghi chú']);
    const people = van.filter((row) => /^\d+$/.test(row[0]!));
    // Minh (P2) sits in the same room (seat 3), but a point's list has only its own
    assert.deepEqual(people.map((row) => row.slice(0, 4)), [
      ['1', '01000001', up('Nguyễn Văn An'), '14/03/2008'],
      ['2', '01000002', up('Trần Thị Bình'), '14/03/2008'],
    ]);
    assert.ok(van.some((row) => row[0]!.startsWith('Chỉ gồm thí sinh của đơn vị')));
    assert.ok(point.get('Hóa học')!.some((row) => /ngày 12\/06\/2026 \(buổi thi môn tự chọn\)/.test(row[0] ?? '')));

    const d = await call(dept01, '/api/exam/departments/01/rooms.xlsx');
    assert.equal(d.statusCode, 200, d.body.slice(0, 300));
    const all = await sheetsOf(d.rawPayload);
    const dvan = all.get('Ngữ văn')!.filter((row) => /^\d+$/.test(row[0]!));
    assert.deepEqual(dvan.map((row) => [row[1], row[4]]), [['01000001', '01001'], ['01000002', '01001'], ['01000003', '01002']]);
    assert.deepEqual(all.get('Ngữ văn')!.find((row) => row[0] === 'STT'), ['STT', 'Số báo danh', 'Họ và tên', 'Ngày sinh', 'Đơn vị ĐKDT', 'Chữ ký', 'Ghi chú']);

    assert.equal((await call(officer2, pointRooms)).statusCode, 403, 'another point');
    assert.equal((await call(officer1, '/api/exam/departments/01/rooms.xlsx')).statusCode, 403, 'a point, the department’s lists');
    assert.equal((await call(officer3, '/api/exam/departments/01/rooms.xlsx')).statusCode, 403, 'another department');
  });
});
