// Places searched by name as people type them: without diacritics, any case, words in any order
// ("phuong ba dinh", "Ba Dinh", "ba đình" all find "Phường Ba Đình"). Pure, shared by the server and the
// pickers in the browser.

/** Lower case, diacritics and đ removed, spaces collapsed: the form names are compared in. */
export function foldName(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Whether every word typed is the start of a word of the name (or of its code), in any order. The unit's
 * kind ("xã", "phường", "trường THPT") may be typed or left out.
 */
export function matchesName(query: string, name: string, code = ''): boolean {
  const q = foldName(query);
  if (q === '') return true;
  const words = `${foldName(name)} ${code.toLowerCase()}`.split(' ');
  return q.split(' ').every((w) => words.some((x) => x.startsWith(w)));
}

/** Items matching the query, those whose name starts with it first, then by name. */
export function searchByName<T extends { name: string; code: string }>(items: readonly T[], query: string, limit = 50): T[] {
  const q = foldName(query);
  const hits = items.filter((i) => matchesName(query, i.name, i.code));
  const starts = (i: T) => {
    const n = foldName(i.name).replace(/^(xa|phuong|dac khu|truong|thpt) /, '');
    return n.startsWith(q) ? 0 : 1;
  };
  return hits.sort((a, b) => starts(a) - starts(b) || a.name.localeCompare(b.name, 'vi')).slice(0, limit);
}
