// Readies a working copy of the synthetic country for a load run: applies any newer migrations, opens
// the year's official window now, and gives a sample of candidates (and the staff of their points) live
// accounts with open sessions, created directly so the run measures the API, not its own set-up.
import { sql } from 'kysely';
import { createDb } from '../../src/server/db/create-db.ts';
import { migrate } from '../../src/server/db/migrate.ts';
import { loadReferenceData } from '../../src/server/reference/reference.repository.ts';
import { loadConfig } from '../../src/server/config.ts';
import { demoWindows } from '../../src/server/demo/load-demo.ts';
import { hashPassword } from '../../src/server/accounts/password.ts';
import { openSession } from '../../src/server/accounts/sessions.ts';
import { insertUser } from '../../src/server/accounts/users.repository.ts';
import { newId } from '../../src/server/ids.ts';
import { SEED_YEAR } from './seed-cache.ts';

export const BENCH_PASSWORD = 'bench-password-2025';

export interface BenchSession {
  userId: string;
  username: string;
  cookie: string;
  csrf: string;
  pointId: string;
  /** for candidates: what the seed gave them, to declare a personal section that matches the card */
  person?: { fullName: string; gender: 'M' | 'F'; dateOfBirth: string; birthProvince: string | null };
}

export interface BenchFixture {
  candidates: BenchSession[];
  /** the officers of the 20 points holding the most sample candidates (whose lists the list scenarios read) */
  pointOfficers: BenchSession[];
  /** one officer at every point holding a sample candidate, these 20 first (who verify in the mix) */
  officers: BenchSession[];
  ministry: BenchSession;
  /** the point holding the most prepared candidates: the one whose list the officers read */
  busyPointId: string;
}

export async function prepareRun(url: string, opts: { sessions: number; cookieName: string }): Promise<BenchFixture> {
  const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' });
  const db = await createDb({ url, poolSize: 4 });
  const now = new Date();
  try {
    await migrate(db.writer, db.dialect);
    await loadReferenceData(db.writer, now);
    const hash = await hashPassword(BENCH_PASSWORD);
    return await db.writer.transaction().execute(async (trx) => {
      await trx.updateTable('exam_years').set({ windows: JSON.stringify(demoWindows(now)), status: 'published' }).where('year', '=', SEED_YEAR).execute();
      // Spread the sample over points the way the seed laid them out: every Nth candidate.
      const total = Number((await trx.selectFrom('candidates').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const step = Math.max(1, Math.floor(total / opts.sessions));
      const picked = await sql<{ userId: string; username: string; pointId: string; fullName: string; gender: 'M' | 'F'; dateOfBirth: string; birthProvince: string | null }>`
        select "userId", username, "pointId", "fullName", gender, "dateOfBirth", "birthProvince" from (
          select u.id as "userId", u.username as username, c.point_id as "pointId", c.full_name as "fullName",
                 c.gender as gender, c.date_of_birth as "dateOfBirth", c.birth_province as "birthProvince",
                 row_number() over (order by c.id) as rn
          from candidates c join users u on u.id = c.user_id
        ) t where rn % ${step} = 0 limit ${opts.sessions}`.execute(trx);
      const sample = picked.rows;
      const ts = now.toISOString();
      for (let i = 0; i < sample.length; i += 500) {
        const ids = sample.slice(i, i + 500).map((s) => s.userId);
        await trx.updateTable('users').set({ status: 'active', password_hash: hash, must_change_password: 0, password_set_at: ts }).where('id', 'in', ids).execute();
      }
      const open = async (userId: string, username: string, pointId: string): Promise<BenchSession> => {
        const s = await openSession(trx, config, userId, now, '127.0.0.1');
        return { userId, username, cookie: `${opts.cookieName}=${s.token}; ghidanh_csrf=${s.csrfToken}`, csrf: s.csrfToken, pointId };
      };
      const candidates: BenchSession[] = [];
      for (const c of sample) {
        const person = { fullName: c.fullName, gender: c.gender, dateOfBirth: c.dateOfBirth, birthProvince: c.birthProvince };
        candidates.push({ ...(await open(c.userId, c.username, c.pointId)), person });
      }

      const counts = new Map<string, number>();
      for (const c of sample) counts.set(c.pointId, (counts.get(c.pointId) ?? 0) + 1);
      const points = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([p]) => p);
      const officers: BenchSession[] = [];
      for (const p of points) {
        const id = newId();
        const username = `bench.${p}`;
        await insertUser(trx, { id, username, role: 'point_officer', orgUnitId: p, displayName: `Bench ${p}`, passwordHash: hash, mustChangePassword: false }, now);
        officers.push(await open(id, username, p));
      }
      const pointOfficers = officers.slice(0, 20);
      const ministryId = newId();
      await insertUser(trx, { id: ministryId, username: 'bench.ministry', role: 'ministry_admin', orgUnitId: 'org-BGD', displayName: 'Bench ministry', passwordHash: hash, mustChangePassword: false }, now);
      const ministry = await open(ministryId, 'bench.ministry', 'org-BGD');
      return { candidates, pointOfficers, officers, ministry, busyPointId: points[0] ?? '' };
    });
  } finally {
    await db.close();
  }
}
