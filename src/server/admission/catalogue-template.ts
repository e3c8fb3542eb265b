// The programme catalogue template an institution downloads: the columns in order with an example row,
// and a sheet explaining each column (drawn on a render thread, as every workbook).
import ExcelJS from 'exceljs';
import { safeCell } from '../accounts/xlsx-safe.ts';
import { CATALOGUE_COLUMNS } from './catalogue-sheet.ts';
import { rowsToFixXlsx, type FailedRowOut } from '../render/rows-to-fix-xlsx.ts';

/** The rows of an uploaded catalogue that were refused, in the template's columns, with what to fix. */
export async function catalogueRowsToFixXlsx(input: { fileName: string; rows: FailedRowOut[] }): Promise<Buffer> {
  return rowsToFixXlsx(
    {
      sheetName: 'Dòng cần sửa',
      columns: CATALOGUE_COLUMNS.map((c) => ({ field: c.field, header: c.header, width: c.width, text: c.field === 'code' || c.field === 'method' || c.field === 'combinations' || c.field === 'minScore' })),
      help: [
        'Sửa từng dòng theo cột "Cần sửa" trong tệp chương trình của trường, rồi tải lại cả tệp: chưa có chương trình nào của tệp này được nhập. Fix each row as the "To fix" column says in the institution\'s catalogue file, then upload the whole file again: nothing of this file has been imported.',
      ],
    },
    input,
  );
}

export async function catalogueTemplateXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'ghidanh';
  const ws = wb.addWorksheet('Chương trình đào tạo');
  ws.columns = CATALOGUE_COLUMNS.map((c) => ({ header: c.header, width: c.width }));
  ws.getRow(1).font = { bold: true };
  ws.addRow(CATALOGUE_COLUMNS.map((c) => safeCell(c.example)));
  // codes keep their leading digits and are never turned into numbers by the spreadsheet
  for (const i of [1, 3, 4, 6]) ws.getColumn(i).numFmt = '@';
  const help = wb.addWorksheet('Hướng dẫn');
  for (const line of [
    'Mỗi dòng một ngành theo một phương thức xét tuyển; xoá dòng ví dụ. Each row is one programme under one admission method; delete the example row.',
    'Mã ngành: 7 chữ số (ví dụ 7480201). Programme code: 7 digits (e.g. 7480201).',
    'Mã phương thức: 3 chữ số (100 = xét kết quả thi tốt nghiệp THPT). Method code: 3 digits (100 = exam results).',
    'Tổ hợp: các mã cách nhau bằng dấu chấm phẩy (A00;A01); hệ số môn nếu có: A00:TOAN=2. Combinations: codes separated by semicolons (A00;A01); subject weights if any: A00:TOAN=2.',
    'Chỉ tiêu: số nguyên dương. Quota: a positive whole number.',
    'Ngưỡng điểm: trên thang 30, để trống nếu không có. Minimum score: on 30, empty for none.',
    'Sư phạm: ghi x nếu là ngành đào tạo giáo viên. Teacher training: x for a teacher-training programme.',
    'Xét bằng điểm: admit-all-tied (nhận hết thí sinh bằng điểm) hoặc break-by-rule (xét tiêu chí phụ, mặc định thứ tự nguyện vọng), có thể kèm tiêu chí: break-by-rule: wish-order, math. Tie-break: admit-all-tied or break-by-rule (default: wish order), optionally with steps.',
    'Tải lên lại sẽ thay toàn bộ các chương trình chưa công bố; chương trình đã công bố không thay đổi. Uploading again replaces every unpublished programme; published ones do not change.',
    'Lưu tệp dạng .xlsx hoặc CSV UTF-8. Save as .xlsx or CSV UTF-8.',
  ]) help.addRow([line]);
  help.getColumn(1).width = 120;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
