// The ordered list of migrations. A new migration is a new file and a new line here; old ones never change.
import type { Kysely } from 'kysely';
import * as m001 from './001-foundation.ts';

export interface Migration {
  up(db: Kysely<any>): Promise<void>;
  down?(db: Kysely<any>): Promise<void>;
}

export const MIGRATIONS: ReadonlyArray<readonly [name: string, migration: Migration]> = [['001-foundation', m001]];
