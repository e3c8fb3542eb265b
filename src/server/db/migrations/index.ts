// The ordered list of migrations. A new migration is a new file and a new line here; old ones never change.
import type { Kysely } from 'kysely';
import * as m001 from './001-foundation.ts';
import * as m002 from './002-accounts.ts';
import * as m003 from './003-registration.ts';
import * as m004 from './004-back-office.ts';
import * as m005 from './005-queue-search.ts';
import * as m006 from './006-dossier-core.ts';
import * as m012 from './012-audit-chain.ts';
import * as m015 from './015-staff-mfa.ts';
import * as m020 from './020-vneid-sign-in.ts';
import * as m021 from './021-national-links.ts';
import * as m022 from './022-identity-flags.ts';
import * as m030 from './030-schools.ts';
import * as m040 from './040-exam-seating.ts';
import * as m041 from './041-admission-catalogue.ts';
import * as m042 from './042-admission-roles.ts';
import * as m043 from './043-admission-payments.ts';
import * as m049 from './049-admission-catalogue-returns.ts';
import * as m044 from './044-admission-runs.ts';
import * as m045 from './045-exam-results.ts';
import * as m047 from './047-score-reviews.ts';
import * as m048 from './048-result-stats.ts';
import * as m052 from './052-review-payments.ts';
import * as m051 from './051-admission-run-background.ts';
import * as m053 from './053-admission-programme-revisions.ts';
import * as m054 from './054-known-devices.ts';
import * as m055 from './055-admission-run-admitted.ts';
import * as m056 from './056-exam-marks-by-candidate.ts';
import * as m057 from './057-admission-run-policy.ts';
import * as m058 from './058-jobs-claim-by-kind.ts';

export interface Migration {
  up(db: Kysely<any>): Promise<void>;
  down?(db: Kysely<any>): Promise<void>;
}

export const MIGRATIONS: ReadonlyArray<readonly [name: string, migration: Migration]> = [
  ['001-foundation', m001],
  ['002-accounts', m002],
  ['003-registration', m003],
  ['004-back-office', m004],
  ['005-queue-search', m005],
  ['006-dossier-core', m006],
  ['012-audit-chain', m012],
  ['015-staff-mfa', m015],
  ['020-vneid-sign-in', m020],
  ['021-national-links', m021],
  ['022-identity-flags', m022],
  ['030-schools', m030],
  ['040-exam-seating', m040],
  ['045-exam-results', m045],
  ['047-score-reviews', m047],
  ['048-result-stats', m048],
  ['041-admission-catalogue', m041],
  ['042-admission-roles', m042],
  // after the shared admission schema it builds on
  ['043-admission-payments', m043],
  ['044-admission-runs', m044],
  ['052-review-payments', m052],
  ['049-admission-catalogue-returns', m049],
  ['051-admission-run-background', m051],
  ['053-admission-programme-revisions', m053],
  ['054-known-devices', m054],
  ['055-admission-run-admitted', m055],
  ['056-exam-marks-by-candidate', m056],
  ['057-admission-run-policy', m057],
  ['058-jobs-claim-by-kind', m058],
];
