import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { layoutSlip, SLIP_CONTENT_HEIGHT, slipsPdf, type Credential } from './documents.ts';
import { overlappingWords, pdfWords } from '../../../test/helpers/pdf-words.ts';

const require = createRequire(import.meta.url);
const doc = new PDFDocument({ size: 'A4', margin: 0 });
doc.registerFont('R', fs.readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')));
doc.registerFont('B', fs.readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')));
const WIDTH = 595.28 / 2 - 2 * 18;

const cred: Credential = { username: '001208012345', fullName: 'NGUYỄN THỊ PHƯƠNG THẢO', className: '12A1', dateOfBirth: '2008-02-29', oneTimePassword: 'acdefghjkm' };

for (const [label, ctx] of [
  ['a short address', { pointName: 'THPT Chu Văn An', url: 'http://localhost:3000' }],
  ['a real address and a long point name', { pointName: 'Trường Trung học phổ thông chuyên Lê Hồng Phong, thành phố Hồ Chí Minh', url: 'https://thisinh.ghidanh.example.gov.vn' }],
  ['a very long name and address', { pointName: 'Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên quận Hoàn Kiếm', url: 'https://dangky-thi-tot-nghiep-thpt.so-giao-duc-dao-tao.example.gov.vn/dang-nhap' }],
] as const) {
  test(`slip layout (${label}): every block sits under the one before at its measured height, inside the slip`, () => {
    const blocks = layoutSlip(doc, { ...cred, fullName: label.startsWith('a very') ? 'TÔN NỮ HOÀNG THỊ MINH NGUYỆT THANH TÂM KHÁNH' : cred.fullName }, ctx, WIDTH);
    assert.equal(blocks.length, 10);
    for (let i = 1; i < blocks.length; i++) {
      const prev = blocks[i - 1]!;
      assert.ok(blocks[i]!.y >= prev.y + prev.height - 0.01, `"${blocks[i]!.text}" starts at ${blocks[i]!.y.toFixed(1)} over "${prev.text}" ending at ${(prev.y + prev.height).toFixed(1)}`);
    }
    const last = blocks[blocks.length - 1]!;
    assert.ok(last.y + last.height <= SLIP_CONTENT_HEIGHT, `the slip's content ends at ${(last.y + last.height).toFixed(1)} pt, beyond ${SLIP_CONTENT_HEIGHT.toFixed(1)}`);
    // the Vietnamese warning and the English line are both there, in full
    assert.ok(blocks.some((b) => b.text.includes('không đưa phiếu cho người khác')));
    assert.ok(blocks.some((b) => b.text.includes('keep this slip private')));
  });
}

test('a page of slips with a long address is one page per ten slips (nothing spills onto extra pages)', async () => {
  const list = Array.from({ length: 20 }, (_, i) => ({ ...cred, username: `0012080123${String(i).padStart(2, '0')}` }));
  const pdf = await slipsPdf(list, { pointName: 'Trường Trung học phổ thông chuyên Lê Hồng Phong', url: 'https://thisinh.ghidanh.example.gov.vn' });
  assert.equal((pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length, 2);
});

test('printed slips, as poppler reads them: no word prints over another, and both warnings are whole on every slip', async () => {
  const names = ['NGUYỄN THỊ PHƯƠNG THẢO', 'TÔN NỮ HOÀNG THỊ MINH NGUYỆT THANH TÂM KHÁNH', 'LÊ A'];
  for (const ctx of [
    { pointName: 'THPT Chu Văn An', url: 'http://127.0.0.1:41234' },
    { pointName: 'Trường Trung học phổ thông chuyên Lê Hồng Phong, thành phố Hồ Chí Minh', url: 'https://thisinh.ghidanh.example.gov.vn' },
    { pointName: 'Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên quận Hoàn Kiếm', url: 'https://dangky-thi-tot-nghiep-thpt.so-giao-duc-dao-tao.example.gov.vn/dang-nhap' },
  ]) {
    const list = Array.from({ length: 12 }, (_, i) => ({ ...cred, fullName: names[i % names.length]!, username: `0012080123${String(i).padStart(2, '0')}` }));
    const words = pdfWords(await slipsPdf(list, ctx));
    assert.deepEqual(overlappingWords(words), [], ctx.url);
    const text = words.map((w) => w.text).join(' ').normalize('NFC');
    assert.equal(text.split('không đưa phiếu cho người khác.').length - 1, 12, 'the Vietnamese warning on each slip');
    assert.equal(text.split('keep this slip private.').length - 1, 12, 'the English line on each slip');
  }
});
