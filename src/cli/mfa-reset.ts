// `npm run mfa:reset -- <username> "<reason>"`: removes a staff account's second factor from the command
// line, for the accounts with no level above in the application (ministry administrators). Ends the
// account's sessions, revokes its known devices and writes the audit entry, as the in-app reset does.
import { loadConfig, ConfigError } from '../server/config.ts';
import { createDb } from '../server/db/create-db.ts';
import { appendAudit } from '../server/audit/audit.repository.ts';
import { endUserSessions } from '../server/accounts/sessions.repository.ts';
import { deleteMfa } from '../server/mfa/mfa.repository.ts';
import { revokeAllDevices } from '../server/mfa/known-devices.repository.ts';
import { maskId } from '../server/logger.ts';

const [username, reason] = process.argv.slice(2);
if (!username || !reason || reason.trim().length < 3) {
  process.stderr.write('Cách dùng / usage: npm run mfa:reset -- <username> "<reason>"\n');
  process.exit(2);
}
try {
  const c = loadConfig();
  const db = await createDb({ url: c.DATABASE_URL, poolSize: 2, sqliteSynchronous: c.SQLITE_SYNCHRONOUS, busyTimeoutMs: c.SQLITE_BUSY_TIMEOUT_MS });
  try {
    const user = await db.read.selectFrom('users').select(['id', 'role']).where('username', '=', username).executeTakeFirst();
    if (!user || user.role === 'candidate') throw new Error('không có tài khoản cán bộ này / no such staff account');
    const now = new Date();
    const n = await db.write(async (trx) => {
      const had = await deleteMfa(trx, user.id);
      const ended = await endUserSessions(trx, user.id, 'mfa_reset', now);
      const devicesRevoked = await revokeAllDevices(trx, user.id, now, 'mfa_reset');
      await appendAudit(
        trx,
        { action: 'mfa.reset', actor: null, targetType: 'user', targetId: user.id, departmentCode: null, ip: null, details: { username: maskId(username), reason: reason.normalize('NFC'), hadSecondFactor: had, sessionsEnded: ended, devicesRevoked, via: 'cli' } },
        now,
      );
      return ended;
    });
    process.stdout.write(`${username}: xác thực hai lớp đã gỡ / second factor removed; ${n} session(s) ended\n`);
  } finally {
    await db.close();
  }
} catch (e) {
  process.stderr.write(`${e instanceof ConfigError ? e.message : (e as Error).message}\n`);
  process.exit(1);
}
