// The session's and the second factor's endpoints: all the sign-in page needs, kept apart from the
// dossier's so the first page a candidate loads does not carry the dossier's contracts and rules. Every
// type is the contract's (src/contracts/accounts.ts, mfa.ts).
import { call } from './call.ts';
import type { ResponseOf } from '../../contracts/operation.ts';
import * as accounts from '../../contracts/accounts.ts';
import * as mfa from '../../contracts/mfa.ts';

// ---- Session (src/contracts/accounts.ts) ----
export type SessionResponse = ResponseOf<typeof accounts.currentSession>;
export type SessionUser = SessionResponse['user'];
export type Role = SessionUser['role'];

// ---- The staff second factor (src/contracts/mfa.ts) ----
export type EnrolmentKey = ResponseOf<typeof mfa.startEnrolment>;
export const mfaApi = {
  secondStep: (challenge: string, code: string) => call(mfa.signInSecondStep, { body: { challenge, code } }, { quiet401: true }),
  startAtSignIn: (challenge: string) => call(mfa.startSignInEnrolment, { body: { challenge } }, { quiet401: true }),
  confirmAtSignIn: (challenge: string, code: string) => call(mfa.confirmSignInEnrolment, { body: { challenge, code } }, { quiet401: true }),
  status: () => call(mfa.getMfaStatus, {}),
  start: () => call(mfa.startEnrolment, {}),
  confirm: (code: string) => call(mfa.confirmEnrolment, { body: { code } }),
  devices: () => call(mfa.listKnownDevices, {}),
  revokeDevice: (deviceId: string) => call(mfa.revokeKnownDevice, { params: { deviceId } }),
};

export const sessionApi = {
  signIn: (username: string, password: string) => call(accounts.signIn, { body: { username, password } }, { quiet401: true, retries: 3 }),
  me: () => call(accounts.currentSession, {}, { quiet401: true }),
  signOut: () => call(accounts.signOut, {}, { retries: 1 }),
  changePassword: (currentPassword: string, newPassword: string) => call(accounts.changePassword, { body: { currentPassword, newPassword } }),
};
