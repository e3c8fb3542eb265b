// One-time passwords the server hands out (initial accounts, resets): 10 characters from an alphabet
// without look-alikes (no 0/o, 1/l/i, 2/z, 5/s, 8/b) in lower case, printed in one piece on the slip (a
// printed space would be typed and break the sign-in). 25 symbols ^ 10 ≈ 46 bits: ample for a password
// that must be changed at first use and sits behind sign-in throttling.
import { randomInt } from 'node:crypto';

export const OTP_ALPHABET = 'acdefghjkmnpqrtuvwxy34679';
export const OTP_LENGTH = 10;

export function generateOneTimePassword(): string {
  let out = '';
  for (let i = 0; i < OTP_LENGTH; i++) out += OTP_ALPHABET[randomInt(OTP_ALPHABET.length)];
  return out;
}

/**
 * A password read aloud over the phone (a reset by the support desk or an officer): 12 digits, which every
 * caller says and hears the same way in Vietnamese or English, shown in groups of four ("4729 1836 5504")
 * and typed without the spaces. 10^12 ≈ 40 bits: it must be changed at first use and sits behind sign-in
 * throttling, like the printed ones.
 */
export const SPOKEN_OTP_LENGTH = 12;

export function generateSpokenPassword(): string {
  let out = '';
  for (let i = 0; i < SPOKEN_OTP_LENGTH; i++) out += String(randomInt(10));
  return out;
}
