// Which second step a staff sign-in owes after a right password: a code when the account has an active
// second factor, enrolment when its role must have one (MFA_REQUIRED_ROLES) and it has none, else none.
// Candidates sign in with a password (or VNeID) alone.
import type { Ctx } from '../context.ts';
import type { Config } from '../config.ts';
import type { Role } from '../db/schema.ts';
import { findMfa } from './mfa.repository.ts';
import { issueChallenge, type ChallengeStep } from './challenge.ts';
import { serverKeys } from './server-key.ts';

export interface SecondStep {
  step: ChallengeStep;
  token: string;
  expiresAt: Date;
}

export const mfaRequiredFor = (config: Config, role: Role): boolean => role !== 'candidate' && (config.MFA_REQUIRED_ROLES as readonly string[]).includes(role);

export async function secondStepFor(ctx: Ctx, config: Config, user: { id: string; role: Role }): Promise<SecondStep | null> {
  if (user.role === 'candidate') return null;
  const mfa = await findMfa(ctx.db.read, user.id);
  const step: ChallengeStep | null = mfa?.status === 'active' ? 'code' : mfaRequiredFor(config, user.role) ? 'enrol' : null;
  if (!step) return null;
  const { token, expiresAt } = issueChallenge(serverKeys(config), user.id, step, ctx.now);
  return { step, token, expiresAt };
}
