// SHA-256 of an admission run's canonical input and result (src/domain/admission/canonical.ts), streamed:
// a national run serialises to hundreds of megabytes, which is hashed in slices and never held whole.
// The domain keeps the serialisation; the digest lives here because the domain does no I/O and imports
// no node: module.
import { createHash } from 'node:crypto';
import { writeCanonicalInput, writeCanonicalResult, type FollowsPublished, type Sink } from '../../domain/admission/canonical.ts';
import { writeCanonicalCompactInput, writeCanonicalCompactResult, type CompactAdmissionInput, type CompactAdmissionResult } from '../../domain/admission/compact.ts';
import { ADMISSION_ALGORITHM } from '../../domain/admission/deferred-acceptance.ts';
import type { AdmissionInput, AdmissionResult } from '../../domain/admission/types.ts';

/** Slices of about this many characters go to the digest at once (fewer native calls than one per line). */
const SLICE = 1 << 16;

/** The hex SHA-256 of what `write` emits, as UTF-8. */
export function sha256OfStream(write: (sink: Sink) => void): string {
  const h = createHash('sha256');
  let buf = '';
  write((chunk) => {
    buf += chunk;
    if (buf.length >= SLICE) {
      h.update(buf, 'utf8');
      buf = '';
    }
  });
  h.update(buf, 'utf8');
  return h.digest('hex');
}

export const hashAdmissionInput = (input: AdmissionInput, follows?: FollowsPublished): string => sha256OfStream((s) => writeCanonicalInput(input, s, follows));

export const hashAdmissionResult = (result: AdmissionResult, inputHash: string, algorithm = ADMISSION_ALGORITHM): string => sha256OfStream((s) => writeCanonicalResult(result, algorithm, inputHash, s));

/** `follows`: the policy and the published result of a run after a publication (in the input's header) */
export const hashCompactInput = (ci: CompactAdmissionInput, r: Pick<CompactAdmissionResult, 'candidateOrder'>, follows?: FollowsPublished): string => sha256OfStream((s) => writeCanonicalCompactInput(ci, r.candidateOrder, s, follows));

export const hashCompactResult = (ci: CompactAdmissionInput, r: CompactAdmissionResult, inputHash: string): string => sha256OfStream((s) => writeCanonicalCompactResult(ci, r, inputHash, s));
