// The portal's citizen page: look a dossier up by its code and read its status and progress. Vietnamese,
// plain HTML (a form that works without script), accessible: labelled field, headings, a table with headers.
import { escapeHtml } from '../shared/sim-server.ts';
import { PORTAL_STATUS_NAMES, type DossierUpsert, type ProgressUpdate } from '../../server/integrations/portal/messages.ts';

/** 20260421170000 → 21/04/2026 17:00 */
export function readableDate(compact: string | null): string {
  if (!compact) return '—';
  return `${compact.slice(6, 8)}/${compact.slice(4, 6)}/${compact.slice(0, 4)} ${compact.slice(8, 10)}:${compact.slice(10, 12)}`;
}

const status = (n: number) => `${n} – ${PORTAL_STATUS_NAMES[n] ?? 'Không rõ'}`;

export function citizenPage(code: string, found: { dossier: DossierUpsert; progress: ProgressUpdate[] } | null): string {
  let result = '';
  if (code && !found) {
    result = `<div role="alert" class="box error"><h2>Không tìm thấy hồ sơ</h2><p>Không có hồ sơ nào mang mã <strong>${escapeHtml(code)}</strong>. Vui lòng kiểm tra lại mã hồ sơ.</p></div>`;
  } else if (found) {
    const d = found.dossier;
    const rows = found.progress
      .map((p) => `<tr><td>${readableDate(p.ThoiDiemXuLy)}</td><td>${escapeHtml(status(p.TrangThai))}</td><td>${escapeHtml(p.NoiDungXuLy)}</td><td>${escapeHtml(p.NguoiXuLy)}</td></tr>`)
      .join('');
    result = `<section class="box" aria-labelledby="kq"><h2 id="kq">Hồ sơ ${escapeHtml(d.MaHoSo)}</h2>
<dl>
<dt>Trạng thái</dt><dd id="trang-thai">${escapeHtml(status(d.TrangThaiHoSo))}</dd>
<dt>Chủ hồ sơ</dt><dd>${escapeHtml(d.ChuHoSo)}</dd>
<dt>Thủ tục</dt><dd>${escapeHtml(d.MaTTHC)}: ${escapeHtml(d.TrichYeuHoSo)}</dd>
<dt>Ngày tiếp nhận</dt><dd>${readableDate(d.NgayTiepNhan)}</dd>
<dt>Ngày hẹn trả</dt><dd>${readableDate(d.NgayHenTra)}</dd>
<dt>Đơn vị xử lý</dt><dd>${escapeHtml(d.DonViXuLy)}</dd>
</dl>
<h3>Quá trình xử lý</h3>
${rows ? `<table><caption class="sr">Quá trình xử lý hồ sơ</caption><thead><tr><th scope="col">Thời điểm</th><th scope="col">Trạng thái</th><th scope="col">Nội dung</th><th scope="col">Người xử lý</th></tr></thead><tbody>${rows}</tbody></table>` : '<p>Chưa có cập nhật.</p>'}
</section>`;
  }
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${found ? `Hồ sơ ${escapeHtml(found.dossier.MaHoSo)} – ` : ''}Tra cứu hồ sơ – Cổng Dịch vụ công quốc gia (mô phỏng)</title>
<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:0 auto;padding:1rem;line-height:1.5;color:#0b0c0c}
header{border-bottom:4px solid #a50000;margin-bottom:1rem}h1{font-size:1.6rem}label{font-weight:bold;display:block}
input{font-size:1.1rem;padding:.4rem;width:100%;max-width:20rem;border:2px solid #0b0c0c}button{font-size:1.1rem;padding:.4rem 1rem;margin-top:.5rem;background:#00703c;color:#fff;border:0}
.box{border-left:6px solid #1d70b8;padding:.5rem 1rem;margin:1rem 0;background:#f3f2f1}.error{border-color:#d4351c}
dt{font-weight:bold}dd{margin:0 0 .5rem 0}table{border-collapse:collapse;width:100%}th,td{text-align:left;border-bottom:1px solid #b1b4b6;padding:.3rem}
.sr{position:absolute;left:-10000px}</style></head>
<body><header><p>Cổng Dịch vụ công quốc gia (mô phỏng để thử nghiệm)</p></header>
<main><h1>Tra cứu hồ sơ</h1>
<form method="get" action="/tra-cuu">
<label for="ma">Mã hồ sơ</label>
<p id="ma-goi-y">Mã hồ sơ in trên giấy biên nhận hoặc trong trang đăng ký dự thi.</p>
<input id="ma" name="ma" value="${escapeHtml(code)}" aria-describedby="ma-goi-y" autocomplete="off" required>
<br><button type="submit">Tra cứu</button>
</form>
${result}
</main></body></html>`;
}
