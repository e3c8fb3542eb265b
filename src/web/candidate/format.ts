// How the candidate's pages say a moment and a code: the closing time as Vietnamese documents write it
// ("17:00 ngày 28/04/2026", in Vietnam's time whatever the device's zone), and in English.
import type { Lang } from '../i18n.tsx';

const TZ = 'Asia/Ho_Chi_Minh';

function parts(iso: string): { day: string; month: string; year: string; hour: string; minute: string } | null {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  const f = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  return { day: p['day'] ?? '', month: p['month'] ?? '', year: p['year'] ?? '', hour: p['hour'] ?? '', minute: p['minute'] ?? '' };
}

/** "17:00 ngày 28/04/2026" / "17:00 on 28 April 2026" (Vietnam time). */
export function deadlineText(iso: string | null | undefined, lang: Lang): string | null {
  if (!iso) return null;
  const p = parts(iso);
  if (!p) return null;
  if (lang === 'vi') return `${p.hour}:${p.minute} ngày ${p.day}/${p.month}/${p.year}`;
  const month = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, month: 'long' }).format(new Date(iso));
  return `${p.hour}:${p.minute} on ${Number(p.day)} ${month} ${p.year} (Viet Nam time)`;
}

/** dd/mm/yyyy of a calendar date (YYYY-MM-DD), as typed; anything else as it is. */
export function calendarDate(iso: string | null | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  return m ? `${m[3]}/${m[2]}/${m[1]}` : (iso ?? '');
}
