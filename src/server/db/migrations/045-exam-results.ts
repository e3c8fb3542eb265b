// 045: the councils' marks, the schools' school-year averages and the graduation results (issue 22,
// items 3 and 4). result_imports is every upload of a council's marks, versioned per department and year
// (staged → published, or superseded by a later publication); result_import_rows its valid rows with the
// change each makes against the marks published when it was staged; exam_marks the published marks, one
// per candidate and paper; school_averages what the points import; exam_results each candidate's
// graduation score and result as computed at the council's last publication that touched them.
// Frozen in time: this file never imports application code; later changes are new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('result_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('department_code', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('subjects', 'text', (c) => c.notNull())
    .addColumn('base_version', 'integer', (c) => c.notNull())
    .addColumn('total_rows', 'integer', (c) => c.notNull())
    .addColumn('valid_rows', 'integer', (c) => c.notNull())
    .addColumn('error_rows', 'integer', (c) => c.notNull())
    .addColumn('added', 'integer', (c) => c.notNull())
    .addColumn('changed', 'integer', (c) => c.notNull())
    .addColumn('removed', 'integer', (c) => c.notNull())
    .addColumn('unchanged', 'integer', (c) => c.notNull())
    .addColumn('findings', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .addColumn('published_by', 'text')
    .addColumn('published_at', 'text')
    .addColumn('results_computed', 'integer')
    .execute();
  await db.schema.createIndex('result_imports_version').on('result_imports').columns(['exam_year', 'department_code', 'version']).unique().execute();

  await db.schema
    .createTable('result_import_rows')
    .addColumn('import_id', 'text', (c) => c.notNull())
    .addColumn('row', 'integer', (c) => c.notNull())
    .addColumn('candidate_id', 'text', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    /** 'added' | 'changed' | 'unchanged' | 'removed' (a removed row names the mark no longer in the file) */
    .addColumn('change', 'text', (c) => c.notNull())
    .addColumn('kind', 'text')
    .addColumn('score_centi', 'integer')
    .addColumn('sanction', 'text')
    .addColumn('old_kind', 'text')
    .addColumn('old_score_centi', 'integer')
    .addColumn('old_sanction', 'text')
    .addPrimaryKeyConstraint('result_import_rows_pk', ['import_id', 'candidate_id', 'subject'])
    .execute();
  await db.schema.createIndex('result_import_rows_change').on('result_import_rows').columns(['import_id', 'change', 'row']).execute();

  await db.schema
    .createTable('exam_marks')
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('candidate_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('department_code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('score_centi', 'integer')
    .addColumn('sanction', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('exam_marks_pk', ['exam_year', 'candidate_id', 'subject'])
    .execute();
  await db.schema.createIndex('exam_marks_department').on('exam_marks').columns(['exam_year', 'department_code', 'subject']).execute();

  await db.schema
    .createTable('school_averages')
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('candidate_id', 'text', (c) => c.notNull())
    .addColumn('point_id', 'text', (c) => c.notNull())
    .addColumn('department_code', 'text', (c) => c.notNull())
    .addColumn('grade10_centi', 'integer')
    .addColumn('grade11_centi', 'integer')
    .addColumn('grade12_centi', 'integer')
    .addColumn('graduation_groups', 'text')
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('school_averages_pk', ['exam_year', 'candidate_id'])
    .execute();
  await db.schema.createIndex('school_averages_point').on('school_averages').columns(['exam_year', 'point_id']).execute();

  await db.schema
    .createTable('exam_results')
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('candidate_id', 'text', (c) => c.notNull())
    .addColumn('department_code', 'text', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('scheme', 'text', (c) => c.notNull())
    /** the council's published version these figures come from */
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('import_id', 'text', (c) => c.notNull())
    /** 'passed' | 'failed' | 'incomplete' | 'not_applicable' (sits for admission only) */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('score_centi', 'integer')
    .addColumn('school_average_centi', 'integer')
    .addColumn('encouragement_centi', 'integer', (c) => c.notNull())
    .addColumn('priority_centi', 'integer', (c) => c.notNull())
    .addColumn('divisor', 'integer', (c) => c.notNull())
    /** JSON: the counted parts and the marks of every paper */
    .addColumn('detail', 'text', (c) => c.notNull())
    /** JSON: the bilingual reasons a candidate does not graduate */
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('exam_results_pk', ['exam_year', 'candidate_id'])
    .execute();
  await db.schema.createIndex('exam_results_number').on('exam_results').columns(['exam_year', 'number']).unique().execute();
  await db.schema.createIndex('exam_results_department').on('exam_results').columns(['exam_year', 'department_code', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('exam_results').execute();
  await db.schema.dropTable('school_averages').execute();
  await db.schema.dropTable('exam_marks').execute();
  await db.schema.dropTable('result_import_rows').execute();
  await db.schema.dropTable('result_imports').execute();
}
