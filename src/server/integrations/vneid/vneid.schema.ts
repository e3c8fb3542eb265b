// Request and response shapes of sign-in with VNeID and the free candidate's choice of registration point
// (until the shared contracts folder exists; then they move there).
import { z } from 'zod';

export const signInMethodsResponse = z.object({
  password: z.boolean(),
  vneid: z.object({ enabled: z.boolean(), startUrl: z.string().nullable(), requiredLevel: z.number().int() }),
});

export const vneidStartQuery = z.object({}).passthrough();

/** What the provider sends back: a code and the state, or an error (and the state). */
export const vneidCallbackQuery = z
  .object({
    state: z.string().max(200).optional(),
    code: z.string().max(2000).optional(),
    error: z.string().max(200).optional(),
    error_description: z.string().max(1000).optional(),
    iss: z.string().max(500).optional(),
  })
  .passthrough();

export const redirectResponse = z.null().meta({ description: 'a redirect (Location header) back to the web app' });

export const pointOptionsResponse = z.object({
  needed: z.boolean(),
  identity: z.object({ fullName: z.string(), dateOfBirth: z.string(), gender: z.enum(['M', 'F']) }).nullable(),
  departments: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      points: z.array(z.object({ id: z.string(), code: z.string(), name: z.string(), address: z.string().nullable() })),
    }),
  ),
});

export const choosePointBody = z.object({ pointId: z.string().min(1).max(64) }).strict();
export const choosePointResponse = z.object({ pointId: z.string(), pointCode: z.string(), pointName: z.string() });
