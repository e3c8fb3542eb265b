// Spreadsheet formula injection: a cell that starts with = + - @ (or a tab / carriage return, which some
// programs strip before reading the formula) is run as a formula when a teacher opens the file. Every text
// the server writes into a workbook goes through safeCell, which prefixes such text with an apostrophe.
export function safeCell(v: string | null | undefined): string {
  const s = v ?? '';
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}
