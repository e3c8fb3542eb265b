import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { testApp } from '../../../test/helpers/app.ts';
import { buildRegWorld, goodDossier, headersFor, AT } from '../dossiers/test-fixtures.ts';

describeEachDb('all forms of a class in one PDF', (get) => {
  test('the point prints its class; another point and a candidate cannot', async () => {
    const { db } = get();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-forms-'));
    const { app, config, clock } = await testApp(db, { env: { DATA_DIR: dataDir } });
    clock.set(AT.official);
    const w = await buildRegWorld(db);
    await db.writer.updateTable('candidates').set({ class_name: '12A1' }).where('point_id', '=', 'org-01001').execute();
    // candidates A and B fill in their dossiers; the third (a free candidate elsewhere) does not
    for (const [who, cccd] of [
      [w.users.candA, w.cccd.candA],
      [w.users.candB, w.cccd.candB],
    ] as const) {
      const h = await headersFor(db, config, who, AT.official);
      const d = goodDossier(cccd, who === w.users.candB ? { personal: { ...goodDossier(cccd).personal, fullName: 'Trần Thị Bình', gender: 'female', dateOfBirth: '2008-07-02' } } : {});
      const r = await app.inject({ method: 'PATCH', url: '/api/dossier', headers: { ...h, 'if-match': '"0"' }, payload: d });
      assert.equal(r.statusCode, 200, r.body.slice(0, 300));
    }
    const url = '/api/exports/points/org-01001/forms.pdf?className=12A1';
    const officer = await headersFor(db, config, w.users.pointA, AT.official);
    const res = await app.inject({ method: 'GET', url, headers: officer });
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.equal(res.headers['content-type'], 'application/pdf');
    const file = path.join(dataDir, 'class.pdf');
    fs.writeFileSync(file, res.rawPayload);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).normalize('NFC');
    assert.equal((text.match(/PHIẾU ĐĂNG KÝ DỰ THI/g) ?? []).length, 2, 'one form per candidate with a dossier');
    // Vietnamese name order: by given name, An before Bình
    assert.ok(text.indexOf('NGUYỄN VĂN AN') < text.indexOf('TRẦN THỊ BÌNH'), 'forms in Vietnamese name order');
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
    assert.ok(pages >= 2);

    for (const who of [w.users.pointOther, w.users.candA]) {
      const denied = await app.inject({ method: 'GET', url, headers: await headersFor(db, config, who, AT.official) });
      assert.ok([403, 404].includes(denied.statusCode), `${who.role}: ${denied.statusCode}`);
    }
    const noClass = await app.inject({ method: 'GET', url: '/api/exports/points/org-01001/forms.pdf', headers: officer });
    assert.equal(noClass.statusCode, 400);
    const audit = await db.read.selectFrom('audit_log').select('details').where('action', '=', 'personal_data.read').execute();
    assert.ok(audit.some((a) => (a.details ?? '').includes('class_forms_pdf')), 'the export is audited');
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
