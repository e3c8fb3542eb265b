// Local civil time in Vietnam. Vietnam has kept UTC+7 without daylight saving since 1975, so a fixed
// offset is exact for every date this system will ever handle; it also keeps the domain free of any
// time-zone database (the browser and the server compute the same instant).
export const VIETNAM_TIME_ZONE = 'Asia/Ho_Chi_Minh';
const OFFSET_MS = 7 * 60 * 60 * 1000;

/** The UTC instant of a local wall-clock time in Vietnam. `date` is YYYY-MM-DD, `time` HH:MM[:SS]. */
export function vietnamLocalToInstant(date: string, time = '00:00:00'): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!m || !t) throw new RangeError(`not a local date/time: ${date} ${time}`);
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(t[1]), Number(t[2]), Number(t[3] ?? 0));
  return new Date(utc - OFFSET_MS);
}

/** The local date (YYYY-MM-DD) and time (HH:MM:SS) in Vietnam of an instant. */
export function instantToVietnamLocal(instant: Date): { date: string; time: string } {
  const iso = new Date(instant.getTime() + OFFSET_MS).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 19) };
}
