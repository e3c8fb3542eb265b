// The population database simulator (CSDL quốc gia về dân cư): verifies a personal number + full name +
// date of birth (or the year alone) and answers match / mismatch by field (with both values) / not found,
// plus the registered permanent residence; and keeps the records the education sector gives back.
//   node --import tsx src/sims/population/main.ts --port 0 --data-dir /tmp/pop --seed 1 \
//     [--candidates 20000 --year 2025] [--mismatch-share 0.06] [--api-key KEY]
// Without --candidates it knows the demo citizens only. Test-only routes: GET /__citizens, GET /__give-backs.
import { z } from 'zod';
import { HttpError, checkApiKey, parseSimArgs, readJson, runSim, sendJson, startMain } from '../shared/sim-server.ts';
import { Journal } from '../shared/journal.ts';
import { countryCitizens, demoCitizens, type Citizen } from '../shared/citizens.ts';
import { compactLocal } from '../../server/integrations/local-time.ts';
import { POPULATION_PATHS, giveBackRequest, verifyRequest, type GiveBackRequest, type VerifyResponse } from '../../server/integrations/population/messages.ts';

/** How names are compared: the same letters and tones, whatever the case and spacing. */
function sameName(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleUpperCase('vi');
  return norm(a) === norm(b);
}

interface GiveBack {
  at: string;
  record: GiveBackRequest;
}

async function main(): Promise<void> {
  const args = parseSimArgs(process.argv.slice(2));
  const apiKey = args.extra['api-key'];
  const share = Number(args.extra['mismatch-share'] ?? '0.06');
  const everyone: Citizen[] = demoCitizens();
  const candidates = Number(args.extra['candidates'] ?? '0');
  if (candidates > 0) {
    for (const c of countryCitizens({ candidates, seed: args.seed, year: Number(args.extra['year'] ?? '2025'), mismatchShare: share })) everyone.push(c);
  }
  // the database holds everyone but the planted unknown numbers; the list keeps them for the tests
  const db = new Map<string, Citizen>();
  for (const c of everyone) if (c.planted !== 'unknown') db.set(c.personalNumber, c);

  const journal = new Journal<GiveBack>(args.dataDir, 'give-backs');
  const received = new Map<string, GiveBack[]>();
  const keyOf = (r: GiveBackRequest) => `${r.SoDinhDanh}|${r.KyThi.Nam}`;
  for (const g of journal.replay()) received.set(keyOf(g.record), [...(received.get(keyOf(g.record)) ?? []), g]);

  function verify(body: z.infer<typeof verifyRequest>): VerifyResponse {
    const at = compactLocal(new Date());
    const c = db.get(body.SoDinhDanh);
    if (!c) return { KetQua: 'KHONG_TIM_THAY', SaiLech: [], ThuongTru: null, ThoiDiem: at };
    const diff: VerifyResponse['SaiLech'] = [];
    if (!sameName(body.HoVaTen, c.fullName)) diff.push({ TruongDuLieu: 'HoVaTen', GiaTriYeuCau: body.HoVaTen, GiaTriCSDL: c.fullName });
    const dob = c.dateOfBirth.replaceAll('-', '');
    const theirs = body.NgayThangNamSinh.length === 4 ? dob.slice(0, 4) : dob;
    if (body.NgayThangNamSinh !== theirs) diff.push({ TruongDuLieu: 'NgayThangNamSinh', GiaTriYeuCau: body.NgayThangNamSinh, GiaTriCSDL: theirs });
    const r = c.permanentResidence;
    return { KetQua: diff.length ? 'KHONG_KHOP' : 'KHOP', SaiLech: diff, ThuongTru: r ? { MaTinh: r.provinceCode, MaXa: r.communeCode } : null, ThoiDiem: at };
  }

  await runSim(args, async () => ({
    name: 'population',
    handler: async (req, res, url) => {
      checkApiKey(req, apiKey);
      if (req.method === 'POST' && url.pathname === POPULATION_PATHS.verify) return sendJson(res, 200, verify(await readJson(req, verifyRequest)));
      if (req.method === 'POST' && url.pathname === POPULATION_PATHS.giveBack) {
        const record = await readJson(req, giveBackRequest);
        const list = received.get(keyOf(record)) ?? [];
        const current = list[list.length - 1]?.record.PhienBan ?? 0;
        if (record.PhienBan <= current) {
          return sendJson(res, 200, { KetQua: record.PhienBan === current ? 'TRUNG_LAP' : 'PHIEN_BAN_CU', PhienBanHienTai: current });
        }
        const entry = { at: new Date().toISOString(), record };
        journal.append(entry);
        received.set(keyOf(record), [...list, entry]);
        return sendJson(res, 200, { KetQua: 'DA_CAP_NHAT', PhienBanHienTai: record.PhienBan });
      }
      throw new HttpError(404, { error: 'not found' });
    },
    controlRoutes: async (_req, res, url) => {
      if (url.pathname === '/__citizens') {
        const planted = url.searchParams.get('planted');
        const origin = url.searchParams.get('origin');
        const limit = Number(url.searchParams.get('limit') ?? '1000');
        const list = everyone.filter((c) => (!planted || c.planted === planted) && (!origin || c.origin === origin)).slice(0, limit);
        return sendJson(res, 200, { total: everyone.length, inDatabase: db.size, citizens: list });
      }
      if (url.pathname === '/__give-backs') {
        const who = url.searchParams.get('personalNumber');
        const all = [...received.values()].flat().filter((g) => !who || g.record.SoDinhDanh === who);
        return sendJson(res, 200, { count: all.length, records: all });
      }
      throw new HttpError(404, { error: 'not found' });
    },
  }));
}

startMain(main);
