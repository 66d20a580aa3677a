import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Bilingual } from './api.ts';

/** zh-CN first (the users are in China), English on request. */
export type Lang = 'zh' | 'en';

const LANG_KEY = 'exam-site.lang';

/** The language chosen before (a preference, not a secret: localStorage is fine), zh by default. */
export function initialLang(): Lang {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function storeLang(lang: Lang): void {
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // private mode: the choice lasts this page only
  }
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

export const LangContext = createContext<{ lang: Lang; setLang: (l: Lang) => void }>({ lang: 'zh', setLang: () => undefined });

/** `t('提交', 'Submit')` in the current language; `t.pick({zh, en})` for API messages and labels. */
export function useT(): ((zh: string, en: string) => string) & { pick: (b: Bilingual | undefined) => string; lang: Lang } {
  const { lang } = useContext(LangContext);
  const t = (zh: string, en: string) => (lang === 'zh' ? zh : en);
  return Object.assign(t, { pick: (b: Bilingual | undefined) => (b ? b[lang] : ''), lang });
}

/** A date-time in the reader's language, Beijing time (the regulation's and the users' clock). */
export function formatTime(iso: string | undefined, lang: Lang): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}
