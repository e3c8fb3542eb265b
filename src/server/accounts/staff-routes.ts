// Staff management, password resets and ending a user's sessions.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { Services } from '../context.ts';
import { accountsCtx } from './routes.ts';
import { createStaff, listStaffFor, setStaffEnabled } from './staff.ts';
import { resetPassword } from './reset-password.ts';
import { endSessionsOf } from './end-sessions.ts';
import type { StaffMember } from './users.repository.ts';
import {
  createStaffBody,
  createStaffResponse,
  endSessionsResponse,
  oneTimePasswordResponse,
  resetPasswordBody,
  staffListQuery,
  staffListResponse,
  staffMember,
  userIdParams,
} from './accounts.schema.ts';
import '../http/route-access.ts';

function present(m: StaffMember): z.infer<typeof staffMember> {
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
  const tags = ['staff & accounts'];

  r.get(
    '/api/staff',
    { config: { access: 'action', action: 'staff.manage' }, schema: { tags, summary: 'Staff accounts this user manages', querystring: staffListQuery, response: { 200: staffListResponse } } },
    async (req) => ({ staff: (await listStaffFor(accountsCtx(s, req), req.query.orgUnitId)).map(present) }),
  );

  r.post(
    '/api/staff',
    {
      config: { access: 'action', action: 'staff.manage' },
      schema: { tags, summary: 'Create a staff account one level below (returns its one-time password once)', body: createStaffBody, response: { 201: createStaffResponse } },
    },
    async (req, reply) => {
      const { staff, oneTimePassword } = await createStaff(accountsCtx(s, req), req.body);
      return reply.status(201).send({ staff: present(staff), oneTimePassword });
    },
  );

  r.post(
    '/api/staff/:userId/disable',
    { config: { access: 'action', action: 'staff.manage' }, schema: { tags, summary: 'Disable a staff account (ends its sessions)', params: userIdParams, response: { 200: staffMember } } },
    async (req) => present(await setStaffEnabled(accountsCtx(s, req), req.params.userId, false)),
  );

  r.post(
    '/api/staff/:userId/enable',
    { config: { access: 'action', action: 'staff.manage' }, schema: { tags, summary: 'Re-enable a staff account', params: userIdParams, response: { 200: staffMember } } },
    async (req) => present(await setStaffEnabled(accountsCtx(s, req), req.params.userId, true)),
  );

  r.post(
    '/api/users/:userId/password-reset',
    {
      config: { access: 'action', action: 'account.reset_password' },
      schema: {
        tags,
        summary: 'Reset a password: a new one-time password, shown once; the reason is kept in the audit log',
        params: userIdParams,
        body: resetPasswordBody,
        response: { 200: oneTimePasswordResponse },
      },
    },
    async (req) => {
      const r = await resetPassword(accountsCtx(s, req), req.params.userId, req.body.reason);
      return { userId: r.userId, username: r.username, displayName: r.displayName, oneTimePassword: r.oneTimePassword, sessionsEnded: r.sessionsEnded };
    },
  );

  r.delete(
    '/api/users/:userId/sessions',
    { config: { access: 'action', action: 'account.end_sessions' }, schema: { tags, summary: "End every session of a user", params: userIdParams, response: { 200: endSessionsResponse } } },
    async (req) => ({ userId: req.params.userId, sessionsEnded: await endSessionsOf(accountsCtx(s, req), req.params.userId) }),
  );
}
