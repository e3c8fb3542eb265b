// The printed registration form answers every question the candidate was asked, and a question not asked
// of them (no foreign language sat: no exemption; a 12th-grader: no retained scores) as "Không", never as
// "—", which on paper reads as left blank.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { drawRegistrationForm, newFormDocument, type FormSubject } from './form-pdf.ts';
import { goodDossier } from './test-fixtures.ts';

async function formText(data: Record<string, unknown>): Promise<string> {
  const doc = newFormDocument('test');
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const subject = {
    year: { year: 2026 },
    candidate: { departmentCode: '01', fullName: 'NGUYỄN VĂN AN' },
    dossier: { data, status: 'draft', channel: 'online', formNumber: null, isTrial: false },
  } as unknown as FormSubject;
  drawRegistrationForm(doc, subject, { provinceNames: new Map(), ethnicityNames: new Map(), subjectNames: new Map(), languageNames: new Map() }, undefined, new Date('2026-04-20T03:00:00Z'));
  doc.end();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-form-'));
  try {
    fs.writeFileSync(path.join(dir, 'f.pdf'), await done);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', path.join(dir, 'f.pdf'), '-'], { encoding: 'utf8' }).normalize('NFC');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('a section not asked of the candidate prints "Không"; one asked and not filled in prints "—"', async () => {
  const { exemption: _e, retainedScores: _r, ...rest } = goodDossier();
  const notAsked = await formText({ ...rest, subjects: { electives: ['LI', 'HOA'] } });
  assert.match(notAsked, /Miễn thi Ngoại ngữ: Không/);
  assert.match(notAsked, /Bảo lưu điểm thi: Không/);
  // sitting a foreign language, the exemption was asked: not yet answered is a blank to fill
  const asked = await formText(rest);
  assert.match(asked, /Miễn thi Ngoại ngữ: —/);
});
