// What the candidate types is kept on the device until the server has it: a 503, an expired session, a
// closed tab or a server restart never loses a keystroke. Keyed by user and section; cleared once the
// server confirms the save.
export interface Draft<T> {
  values: T;
  /** the dossier version the draft was typed against */
  baseVersion: number;
  savedAt: string;
}

const key = (userId: string, sectionId: string) => `ghidanh:draft:${userId}:${sectionId}`;

export function loadDraft<T>(userId: string, sectionId: string): Draft<T> | null {
  try {
    const raw = localStorage.getItem(key(userId, sectionId));
    return raw ? (JSON.parse(raw) as Draft<T>) : null;
  } catch {
    return null;
  }
}

export function saveDraft<T>(userId: string, sectionId: string, values: T, baseVersion: number): void {
  try {
    localStorage.setItem(key(userId, sectionId), JSON.stringify({ values, baseVersion, savedAt: new Date().toISOString() } satisfies Draft<T>));
  } catch {}
}

export function clearDraft(userId: string, sectionId: string): void {
  try {
    localStorage.removeItem(key(userId, sectionId));
  } catch {}
}

export function hasDrafts(userId: string): string[] {
  const out: string[] = [];
  try {
    const prefix = `ghidanh:draft:${userId}:`;
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k?.startsWith(prefix)) out.push(k.slice(prefix.length));
    }
  } catch {}
  return out;
}
