// Sign-in methods and a VNeID free candidate's choice of registration point. The shapes follow
// src/server/integrations/vneid/vneid.schema.ts (they become z.infer of the shared contracts when those
// move to src/contracts).
import { api, post } from './client.ts';

export interface SignInMethods {
  password: boolean;
  vneid: { enabled: boolean; startUrl: string | null; requiredLevel: number };
}

export interface PointOptions {
  needed: boolean;
  identity: { fullName: string; dateOfBirth: string; gender: 'M' | 'F' } | null;
  departments: Array<{ code: string; name: string; points: Array<{ id: string; code: string; name: string; address: string | null }> }>;
}

export const vneidApi = {
  methods: () => api<SignInMethods>('GET', '/api/auth/methods', { quiet401: true, retries: 1 }).then((r) => r.data),
  pointOptions: () => api<PointOptions>('GET', '/api/registration-point/options').then((r) => r.data),
  choosePoint: (pointId: string) => post<{ pointId: string; pointCode: string; pointName: string }>('/api/registration-point', { pointId }),
};
