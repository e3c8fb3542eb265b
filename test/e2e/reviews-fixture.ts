// The score reviews' browser tests start from published marks, which the demo year does not have: a
// candidate number, a published import and its marks are written straight into the demo database (the
// import, the four eyes and the outcomes are tested against both databases in src/server/reviews).
/**
 * Publishes TOAN 1,00, VAN 6,00 and LI 7,25 for the candidate an hour ago (so the review window, 10 days
 * from the publication, is open), and sets the year's review payment mode when one is given.
 */
export async function publishMarksForReview(dbFile: string, username: string, opts: { payment?: 'online' | 'at_point' } = {}): Promise<{ year: number; candidateId: string }> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(dbFile);
  try {
    const y = db.prepare('SELECT year, rules FROM exam_years ORDER BY year DESC LIMIT 1').get() as { year: number; rules: string };
    const year = y.year;
    const c = db.prepare('SELECT c.id, c.department_code FROM candidates c JOIN users u ON u.id = c.user_id WHERE u.username = ? AND c.exam_year = ?').get(username, year) as { id: string; department_code: string };
    const at = new Date(Date.now() - 3600_000).toISOString();
    db.prepare('INSERT INTO candidate_numbers (candidate_id, exam_year, department_code, number, serial, site_id, withdrawn, assigned_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, 0, ?, ?)').run(c.id, year, c.department_code, `${c.department_code}000001`, 'site-e2e', at, at);
    db.prepare(
      `INSERT INTO result_imports (id, exam_year, department_code, version, status, kind, file_name, subjects, base_version, total_rows, valid_rows, error_rows, added, changed, removed, unchanged, findings, uploaded_by, uploaded_at, published_by, published_at, results_computed)
       VALUES ('imp-e2e', ?, ?, 1, 'published', 'file', 'diem.csv', '["TOAN","VAN","LI"]', 0, 3, 3, 0, 3, 0, 0, 0, '[]', 'a', ?, 'b', ?, 0)`,
    ).run(year, c.department_code, at, at);
    const mark = db.prepare("INSERT INTO exam_marks (exam_year, candidate_id, subject, department_code, kind, score_centi, sanction, version, updated_at) VALUES (?, ?, ?, ?, 'score', ?, NULL, 1, ?)");
    for (const [subject, centi] of [['TOAN', 100], ['VAN', 600], ['LI', 725]] as const) mark.run(year, c.id, subject, c.department_code, centi, at);
    if (opts.payment) {
      const rules = JSON.parse(y.rules) as Record<string, Record<string, unknown> | undefined>;
      rules['reviews'] = { ...(rules['reviews'] ?? {}), payment: opts.payment };
      db.prepare('UPDATE exam_years SET rules = ? WHERE year = ?').run(JSON.stringify(rules), year);
    }
    return { year, candidateId: c.id };
  } finally {
    db.close();
  }
}

