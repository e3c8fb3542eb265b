// The National Public Service Portal simulator (Cổng Dịch vụ công quốc gia): receives dossier upserts and
// progress updates, idempotent by dossier code + version (a repeated or older version changes nothing and
// says so), keeps every message it applied in its data folder, and serves the page where a citizen looks a
// dossier up by its code.
//   node --import tsx src/sims/portal/main.ts --port 0 --data-dir /tmp/portal [--api-key KEY]
// Test-only route: GET /__received (counts and every applied message).
import { HttpError, checkApiKey, parseSimArgs, readJson, runSim, sendHtml, sendJson, startMain } from '../shared/sim-server.ts';
import { Journal } from '../shared/journal.ts';
import { PORTAL_PATHS, dossierUpsert, progressUpdate, type DossierUpsert, type ProgressUpdate, type SyncResponse } from '../../server/integrations/portal/messages.ts';
import { citizenPage } from './citizen-page.ts';

type Entry = { at: string; kind: 'upsert'; message: DossierUpsert } | { at: string; kind: 'progress'; message: ProgressUpdate };

interface Stored {
  dossier: DossierUpsert;
  progress: ProgressUpdate[];
}

async function main(): Promise<void> {
  const args = parseSimArgs(process.argv.slice(2));
  const apiKey = args.extra['api-key'];
  const journal = new Journal<Entry>(args.dataDir, 'portal');
  const dossiers = new Map<string, Stored>();
  let applied = 0;
  let ignored = 0;

  function apply(e: Entry): void {
    if (e.kind === 'upsert') {
      const had = dossiers.get(e.message.MaHoSo);
      dossiers.set(e.message.MaHoSo, { dossier: e.message, progress: had?.progress ?? [] });
    } else {
      dossiers.get(e.message.MaHoSo)?.progress.push(e.message);
    }
  }
  for (const e of journal.replay()) apply(e);

  function record(e: Entry): void {
    journal.append(e);
    apply(e);
    applied++;
  }

  function upsert(m: DossierUpsert): SyncResponse {
    const current = dossiers.get(m.MaHoSo)?.dossier.PhienBan ?? 0;
    if (m.PhienBan <= current) {
      ignored++;
      return { KetQua: m.PhienBan === current ? 'TRUNG_LAP' : 'PHIEN_BAN_CU', PhienBanHienTai: current };
    }
    record({ at: new Date().toISOString(), kind: 'upsert', message: m });
    return { KetQua: 'DA_CAP_NHAT', PhienBanHienTai: m.PhienBan };
  }

  function progress(m: ProgressUpdate): SyncResponse {
    const d = dossiers.get(m.MaHoSo);
    if (!d) throw new HttpError(404, { error: 'dossier not known', MaLoi: 'KHONG_TIM_THAY_HO_SO' });
    const current = d.progress[d.progress.length - 1]?.PhienBan ?? 0;
    if (m.PhienBan <= current) {
      ignored++;
      return { KetQua: m.PhienBan === current ? 'TRUNG_LAP' : 'PHIEN_BAN_CU', PhienBanHienTai: current };
    }
    record({ at: new Date().toISOString(), kind: 'progress', message: m });
    // the progress carries the dossier's current status too
    d.dossier = { ...d.dossier, TrangThaiHoSo: m.TrangThai };
    return { KetQua: 'DA_CAP_NHAT', PhienBanHienTai: m.PhienBan };
  }

  await runSim(args, async () => ({
    name: 'portal',
    handler: async (req, res, url) => {
      if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/tra-cuu')) {
        const code = (url.searchParams.get('ma') ?? '').trim();
        const found = code ? dossiers.get(code) : undefined;
        return sendHtml(res, code && !found ? 404 : 200, citizenPage(code, found ?? null));
      }
      checkApiKey(req, apiKey);
      if (req.method === 'POST' && url.pathname === PORTAL_PATHS.upsert) return sendJson(res, 200, upsert(await readJson(req, dossierUpsert)));
      if (req.method === 'POST' && url.pathname === PORTAL_PATHS.progress) return sendJson(res, 200, progress(await readJson(req, progressUpdate)));
      if (req.method === 'GET' && url.pathname.startsWith(PORTAL_PATHS.lookUp(''))) {
        const d = dossiers.get(decodeURIComponent(url.pathname.slice(PORTAL_PATHS.lookUp('').length)));
        if (!d) throw new HttpError(404, { error: 'dossier not known', MaLoi: 'KHONG_TIM_THAY_HO_SO' });
        return sendJson(res, 200, { HoSo: d.dossier, TienDo: d.progress });
      }
      throw new HttpError(404, { error: 'not found' });
    },
    controlRoutes: async (_req, res, url) => {
      if (url.pathname !== '/__received') throw new HttpError(404, { error: 'not found' });
      return sendJson(res, 200, { dossiers: dossiers.size, applied, ignored, entries: journal.replay() });
    },
  }));
}

startMain(main);
