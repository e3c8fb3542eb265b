// Uploaded spreadsheets (class lists, a council's marks, a school's averages, a department's schools) are
// read on a render thread: unzipping and walking a workbook of 100,000 rows takes seconds of CPU that would
// otherwise hold every other request of the process.
import type { Services } from '../context.ts';
import { AppError, type ErrorKind } from '../http/errors.ts';
import { MAX_ROWS, type SheetReader, type SheetRows } from '../accounts/class-list-file.ts';
import { renderPool } from './pool.ts';

type Answer = { sheet: SheetRows } | { refused: { kind: ErrorKind; vi: string; en: string; code: string; details?: Record<string, unknown> } };

export function sheetReader(s: Services): SheetReader {
  return async (buf, fileName, maxRows = MAX_ROWS) => {
    const bytes = await renderPool(s).run('read-sheet', { data: buf, fileName, maxRows });
    const answer = JSON.parse(bytes.toString('utf8')) as Answer;
    if ('refused' in answer) {
      const r = answer.refused;
      throw new AppError(r.kind, r.vi, r.en, { code: r.code, ...(r.details ? { details: r.details } : {}) });
    }
    return answer.sheet;
  };
}
