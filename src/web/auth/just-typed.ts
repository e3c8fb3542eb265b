// The one-time password a candidate has just typed on the sign-in page, held in this tab's memory only
// (never storage) for the change-password page that follows, so it is not asked for a second time.
// Taken once; forgotten after ten minutes.
let held: { password: string; at: number } | null = null;

export function holdOneTimePassword(password: string): void {
  held = { password, at: Date.now() };
}

export function takeOneTimePassword(): string | null {
  const h = held;
  held = null;
  return h && Date.now() - h.at < 10 * 60 * 1000 ? h.password : null;
}
