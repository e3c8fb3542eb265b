// Vietnamese first, English on request. Every text comes in both languages at the place it is used
// (t('Đăng nhập', 'Sign in')), and every server message or domain Finding carries {vi, en}: pick() shows
// the chosen one. The <html lang> attribute follows the choice so screen readers switch voice.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

export type Lang = 'vi' | 'en';
export interface Bilingual {
  vi: string;
  en: string;
}

const KEY = 'ghidanh:lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'vi' || saved === 'en') return saved;
  } catch {}
  return 'vi';
}

interface I18n {
  lang: Lang;
  setLang: (l: Lang) => void;
  /** the text in the chosen language */
  t: (vi: string, en: string) => string;
  pick: (b: Bilingual | null | undefined) => string;
  /** numbers and dates in the chosen locale */
  num: (n: number) => string;
  dateTime: (iso: string | null | undefined) => string;
}

const Ctx = createContext<I18n | null>(null);

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(KEY, l);
    } catch {}
  }, []);
  const value = useMemo<I18n>(() => {
    const locale = lang === 'vi' ? 'vi-VN' : 'en-GB';
    const nf = new Intl.NumberFormat(locale);
    // dd/mm/yyyy hh:mm in Vietnamese (as documents write dates), never an ISO string
    const df = new Intl.DateTimeFormat(locale, lang === 'vi' ? { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Ho_Chi_Minh' } : { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' });
    return {
      lang,
      setLang,
      t: (vi, en) => (lang === 'vi' ? vi : en),
      pick: (b) => (b ? (lang === 'vi' ? b.vi : b.en) : ''),
      num: (n) => nf.format(n),
      dateTime: (iso) => {
        if (!iso) return '';
        const d = new Date(iso);
        return Number.isNaN(d.getTime()) ? iso : df.format(d);
      },
    };
  }, [lang, setLang]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside LangProvider');
  return v;
}

/** A language toggle that names the other language in that language (GOV.UK's pattern). */
export function LangToggle() {
  const { lang, setLang } = useI18n();
  return lang === 'vi' ? (
    <button type="button" className="link-button" lang="en" onClick={() => setLang('en')}>
      English
    </button>
  ) : (
    <button type="button" className="link-button" lang="vi" onClick={() => setLang('vi')}>
      Tiếng Việt
    </button>
  );
}
