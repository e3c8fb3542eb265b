// yyyyMMddHHmmss in Vietnam's local time (UTC+7, no daylight saving): how the national platforms write dates;
// shared by the adapters and the simulators.
export function compactLocal(instant: Date): string {
  return new Date(instant.getTime() + 7 * 3600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
