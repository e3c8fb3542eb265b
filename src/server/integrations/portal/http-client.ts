// The portal link over HTTP: one request per call, no retries (the job queue retries). A progress update
// for a dossier the portal does not know yet is retryable: its upsert is queued before it and will land.
import { HttpLink, type HttpLinkOptions } from '../http-link.ts';
import { PORTAL_PATHS, lookUpResponse, syncResponse } from './messages.ts';
import { fromLookUp, fromSyncResponse, toProgressMessage, toUpsertMessage } from './mapping.ts';
import type { PortalDossier, PortalLink, PortalLookUp, PortalProgress, SyncResult } from './portal.ts';
import type { PortalStatusMap } from './status-map.ts';

export class HttpPortalLink implements PortalLink {
  private readonly http: HttpLink;

  constructor(
    o: HttpLinkOptions,
    /** read when a message is built, so a reloaded reference file applies without a restart */
    private readonly statusMap: () => Promise<PortalStatusMap>,
  ) {
    this.http = new HttpLink(o);
  }

  async upsertDossier(d: PortalDossier): Promise<SyncResult> {
    const m = toUpsertMessage(d, await this.statusMap());
    if (!m) return { outcome: 'not_pushed', currentVersion: 0, statusCode: null };
    const { data } = await this.http.call('POST', PORTAL_PATHS.upsert, m, syncResponse);
    return fromSyncResponse(data!, m.TrangThaiHoSo);
  }

  async pushProgress(p: PortalProgress): Promise<SyncResult> {
    const m = toProgressMessage(p, await this.statusMap());
    if (!m) return { outcome: 'not_pushed', currentVersion: 0, statusCode: null };
    const { data } = await this.http.call('POST', PORTAL_PATHS.progress, m, syncResponse, { retryableStatus: [404] });
    return fromSyncResponse(data!, m.TrangThai);
  }

  async lookUp(code: string): Promise<PortalLookUp | null> {
    const { status, data } = await this.http.call('GET', PORTAL_PATHS.lookUp(code), undefined, lookUpResponse, { acceptStatus: [404] });
    return status === 404 || !data ? null : fromLookUp(data);
  }
}
