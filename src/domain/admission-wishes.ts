// A candidate's list of admission wishes (nguyện vọng) as a whole: when it may change (the year's window,
// closing 17:00 local), and what makes a list invalid before any programme is looked at (the same
// programme twice, more wishes than the year's cap). Each wish's own eligibility is checkWish
// (admission-score.ts). Pure: the browser runs the same checks while the candidate edits the list.
import { error, type Finding } from './messages.ts';
import { checkWishCount, type AdmissionRules } from './admission-score.ts';
import { foldDiacritics } from './names.ts';

export type AdmissionWindowState = 'not_open' | 'open' | 'closed';

/** Where `now` is against the window (ISO instants; the close itself is already closed). */
export function admissionWindowState(window: { opensAt: string; closesAt: string } | null | undefined, now: Date): AdmissionWindowState {
  if (!window) return 'not_open';
  const t = now.getTime();
  if (t < Date.parse(window.opensAt)) return 'not_open';
  return t < Date.parse(window.closesAt) ? 'open' : 'closed';
}

/** The key a programme's name or code is searched by: lower case, diacritics folded (đ → d), spaces single. */
export function searchKey(text: string): string {
  return foldDiacritics(text.normalize('NFC')).toLowerCase().trim();
}

/** Duplicates and the cap, naming the position (wishes.N, 1-based) of each repeated programme. */
export function checkWishList(programmeIds: readonly string[], rules: Pick<AdmissionRules, 'wishCap'>): Finding[] {
  const out: Finding[] = [...checkWishCount(programmeIds.length, rules)];
  const seen = new Map<string, number>();
  programmeIds.forEach((id, i) => {
    const first = seen.get(id);
    if (first !== undefined) {
      out.push(
        error('WISH_DUPLICATE', `wishes.${i + 1}`, `Nguyện vọng ${i + 1} trùng với nguyện vọng ${first}.`, `Wish ${i + 1} repeats wish ${first}.`, { position: i + 1, first }),
      );
    } else seen.set(id, i + 1);
  });
  return out;
}
