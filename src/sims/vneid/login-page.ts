// The simulator's sign-in page: a tester picks one of the demo citizens (or types any known personal
// number) and the assurance level the identity has, in Vietnamese or English. Plain HTML, no script.
import { escapeHtml } from '../shared/sim-server.ts';
import type { Citizen } from '../shared/citizens.ts';

const T = {
  vi: {
    title: 'Đăng nhập bằng tài khoản định danh điện tử VNeID (mô phỏng)',
    intro: 'Đây là trang mô phỏng VNeID dùng để thử nghiệm. Chọn một công dân và mức độ định danh.',
    who: 'Công dân',
    other: 'Hoặc nhập số định danh cá nhân khác',
    level: 'Mức độ định danh',
    level1: 'Mức 1 (tự đăng ký bằng CCCD)',
    level2: 'Mức 2 (đã được công an xác thực)',
    submit: 'Đăng nhập',
    cancel: 'Huỷ',
    born: 'sinh ngày',
    lang: 'English',
    error: 'Không tìm thấy công dân với số định danh này.',
    tag: { demo_class: 'học sinh lớp 12 (có tài khoản của trường)', free: 'thí sinh tự do', country: '' },
  },
  en: {
    title: 'Sign in with the VNeID electronic identity (simulator)',
    intro: 'This is a VNeID simulator for testing. Pick a citizen and the identity level.',
    who: 'Citizen',
    other: 'Or type another personal number',
    level: 'Identity level',
    level1: 'Level 1 (self-registered with a CCCD)',
    level2: 'Level 2 (verified by the police)',
    submit: 'Sign in',
    cancel: 'Cancel',
    born: 'born',
    lang: 'Tiếng Việt',
    error: 'No citizen has this personal number.',
    tag: { demo_class: '12th-grader (holds a school account)', free: 'free candidate', country: '' },
  },
} as const;

export function loginPage(uid: string, citizens: Citizen[], lang: 'vi' | 'en', error?: boolean): string {
  const t = T[lang];
  const items = citizens
    .map((c, i) => {
      const id = `c${i}`;
      const tag = t.tag[c.origin];
      return `<li><input type="radio" name="personalNumber" id="${id}" value="${escapeHtml(c.personalNumber)}"${i === 0 ? ' checked' : ''}>
<label for="${id}">${escapeHtml(c.fullName)}, ${t.born} ${c.dateOfBirth.split('-').reverse().join('/')}, ${escapeHtml(c.personalNumber)}${tag ? ` (${tag})` : ''}</label></li>`;
    })
    .join('\n');
  const action = `/interaction/${encodeURIComponent(uid)}`;
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:1rem auto;padding:0 1rem;line-height:1.5;color:#0b0c0c}
h1{font-size:1.5rem;color:#a50000}fieldset{border:1px solid #b1b4b6;margin:1rem 0;padding:.5rem 1rem}ul{list-style:none;padding:0}
li{margin:.4rem 0}button{font-size:1rem;padding:.5rem 1rem;margin-right:.5rem}.error{color:#d4351c;font-weight:bold}
a{color:#1d70b8}input[type=text]{font-size:1rem;padding:.3rem;width:14rem}</style></head>
<body><main>
<p><a href="${action}?lang=${lang === 'vi' ? 'en' : 'vi'}" lang="${lang === 'vi' ? 'en' : 'vi'}">${t.lang}</a></p>
<h1>${t.title}</h1>
<p>${t.intro}</p>
${error ? `<p class="error" role="alert">${t.error}</p>` : ''}
<form method="post" action="${action}/login?lang=${lang}">
<fieldset><legend>${t.who}</legend><ul>
${items}
</ul>
<p><label for="other">${t.other}</label><br><input type="text" id="other" name="otherPersonalNumber" inputmode="numeric" autocomplete="off"></p>
</fieldset>
<fieldset><legend>${t.level}</legend>
<p><input type="radio" name="level" id="level2" value="2" checked> <label for="level2">${t.level2}</label></p>
<p><input type="radio" name="level" id="level1" value="1"> <label for="level1">${t.level1}</label></p>
</fieldset>
<button type="submit">${t.submit}</button>
<a href="${action}/abort">${t.cancel}</a>
</form>
</main></body></html>`;
}
