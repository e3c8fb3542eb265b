// The "rows to fix" workbook of an import (class lists, programme catalogues): the rows that were not
// imported, as typed, in the template's columns (so the corrected file uploads as it is: the extra columns
// are ignored), with the row of the original file and what to fix in each; a second sheet says how.
import ExcelJS from 'exceljs';
import { safeCell } from '../accounts/xlsx-safe.ts';

/** A failed row handed back: its cells as typed and what is wrong with it (one line per problem). */
export interface FailedRowOut {
  row: number;
  cells: Record<string, string>;
  problems: string[];
}

export interface RowsToFixSheet {
  sheetName: string;
  /** the template's columns; `numbered` is filled 1, 2, 3 … rather than from the cells */
  columns: ReadonlyArray<{ field: string; header: string; width: number; numbered?: boolean; text?: boolean }>;
  /** the lines of the help sheet, after the one naming the file */
  help: readonly string[];
}

export async function rowsToFixXlsx(sheet: RowsToFixSheet, input: { fileName: string; rows: FailedRowOut[] }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'ghidanh';
  const ws = wb.addWorksheet(sheet.sheetName);
  const extra = [
    { header: 'Dòng trong tệp gốc / Row in the original file', width: 14 },
    { header: 'Cần sửa / To fix', width: 80 },
  ];
  ws.columns = [...sheet.columns.map((c) => ({ header: c.header, width: c.width })), ...extra];
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  input.rows.forEach((r, i) => {
    const row = ws.addRow([...sheet.columns.map((c) => (c.numbered ? i + 1 : safeCell(r.cells[c.field] ?? ''))), r.row, safeCell(r.problems.join('\n'))]);
    row.getCell(sheet.columns.length + 2).alignment = { wrapText: true, vertical: 'top' };
  });
  // codes and identity numbers stay text: never let the spreadsheet turn them into numbers
  sheet.columns.forEach((c, i) => {
    if (c.text) ws.getColumn(i + 1).numFmt = '@';
  });
  const help = wb.addWorksheet('Hướng dẫn');
  for (const line of [`Các dòng chưa nhập được từ tệp "${input.fileName}". Rows of "${input.fileName}" that were not imported.`, ...sheet.help]) help.addRow([safeCell(line)]);
  help.getColumn(1).width = 120;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
