// Staff management, password resets and ending a user's sessions. Thin handlers over the contracts in
// src/contracts/accounts.ts.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import * as c from '../../contracts/accounts.ts';
import { ctxOf, type Services } from '../context.ts';
import { routeOf } from '../http/route.ts';
import { accountsRuntime } from './runtime.ts';
import { createStaff, listStaffFor, setStaffEnabled } from './staff.ts';
import { resetPassword } from './reset-password.ts';
import { endSessionsOf } from './end-sessions.ts';
import type { StaffMember } from './users.repository.ts';
import '../http/route-access.ts';

function present(m: StaffMember): z.infer<typeof c.staffMember> {
  if (m.role === 'candidate') throw new Error('not a staff member');
  return {
    id: m.id,
    username: m.username,
    displayName: m.displayName,
    role: m.role,
    orgUnitId: m.orgUnitId,
    orgCode: m.orgCode,
    orgName: m.orgName,
    status: m.status,
    mustChangePassword: m.mustChangePassword,
    lastSignInAt: m.lastSignInAt,
  };
}

export async function staffRoutes(app: FastifyInstance, s: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const rt = accountsRuntime(s);
  const manage = { access: 'action', action: 'staff.manage' } as const;

  r.route({ ...routeOf(c.listStaff), config: manage, handler: async (req) => ({ staff: (await listStaffFor(ctxOf(s, req), req.query.orgUnitId)).map(present) }) });
  r.route({
    ...routeOf(c.createStaff),
    config: manage,
    handler: async (req, reply) => {
      const { staff, oneTimePassword } = await createStaff(ctxOf(s, req), rt, req.body);
      return reply.status(201).send({ staff: present(staff), oneTimePassword });
    },
  });
  r.route({ ...routeOf(c.disableStaff), config: manage, handler: async (req) => present(await setStaffEnabled(ctxOf(s, req), req.params.userId, false)) });
  r.route({ ...routeOf(c.enableStaff), config: manage, handler: async (req) => present(await setStaffEnabled(ctxOf(s, req), req.params.userId, true)) });
  r.route({
    ...routeOf(c.resetPassword),
    config: { access: 'action', action: 'account.reset_password' },
    handler: async (req) => {
      const out = await resetPassword(ctxOf(s, req), rt, req.params.userId, req.body.reason);
      return { userId: out.userId, username: out.username, displayName: out.displayName, oneTimePassword: out.oneTimePassword, sessionsEnded: out.sessionsEnded };
    },
  });
  r.route({
    ...routeOf(c.endSessions),
    config: { access: 'action', action: 'account.end_sessions' },
    handler: async (req) => ({ userId: req.params.userId, sessionsEnded: await endSessionsOf(ctxOf(s, req), req.params.userId) }),
  });
}
