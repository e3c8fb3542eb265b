// 005: the verification queue inside a department (Hà Nội: ≈ 120,000 candidates). The sort-key indexes of
// 004 serve lists; a search walked them in name order and read the whole department when the name was
// rare. The first index finds the matches instead (a name prefix is a range on it, a word inside a name
// a scan of the index alone, never of the table) and holds what putting them in Vietnamese order needs.
// The second makes "any sort keys left to fill in this department?", asked before every department-wide
// list, a look at an empty index rather than a walk of the department's entries.
// Frozen in time: this file never imports application code; later changes are new migrations.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // sort_key and id complete it: the matches' keyset positions come from the index entries alone.
  await db.schema
    .createIndex('candidates_department_name')
    .on('candidates')
    .columns(['department_code', 'exam_year', 'name_folded', 'sort_key', 'id'])
    .execute();
  // sort_key in the key too: `sort_key is null` is then a constraint on this index, which keeps SQLite's
  // planner from preferring a department index it would have to walk.
  await db.schema
    .createIndex('candidates_sort_key_missing_department')
    .on('candidates')
    .columns(['department_code', 'sort_key'])
    .where(sql.ref('sort_key'), 'is', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('candidates_sort_key_missing_department').execute();
  await db.schema.dropIndex('candidates_department_name').execute();
}
