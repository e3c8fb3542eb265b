// yyyyMMddHHmmss in Vietnam's local time (UTC+7, no daylight saving): how the national platforms write dates;
// shared by the adapters and the simulators.
export function compactLocal(instant: Date): string {
  return new Date(instant.getTime() + 7 * 3600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** 20260421170000 (Vietnam) → the instant; null when it is not such a string. */
export function fromCompactLocal(s: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) - 7 * 3600_000);
}
