/**
 * The shared shape of every e-mail: zh-CN first, English second, as text and
 * as HTML. Everything interpolated into HTML is escaped here, once.
 */

/** A rendered message, ready for the mail queue (recipients and id are added by the caller). */
export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** A line of text in both languages. */
export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

/** One block of a message: a paragraph, a bulleted list, or a link (button in HTML). */
export type Block =
  | { readonly kind: 'paragraph'; readonly zh: string; readonly en: string }
  | { readonly kind: 'list'; readonly zh: readonly string[]; readonly en: readonly string[] }
  | { readonly kind: 'link'; readonly href: string; readonly zh: string; readonly en: string };

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and double- or single-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** `2025-01-11T00:00:00.000Z` → `2025-01-11 08:00` in Beijing time (UTC+8, no daylight saving). */
export function beijingTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** A deadline in both languages. */
export function deadlineText(iso: string): Bilingual {
  const at = beijingTime(iso);
  return { zh: `${at}（北京时间）`, en: `${at} (Beijing time, UTC+8)` };
}

const textLines = (blocks: readonly Block[], lang: 'zh' | 'en'): string[] =>
  blocks.flatMap((b) => {
    if (b.kind === 'paragraph') return [b[lang], ''];
    if (b.kind === 'list') return [...b[lang].map((item) => `- ${item}`), ''];
    return [`${b[lang]}: ${b.href}`, ''];
  });

const htmlBlocks = (blocks: readonly Block[], lang: 'zh' | 'en'): string =>
  blocks
    .map((b) => {
      if (b.kind === 'paragraph') return `<p>${escapeHtml(b[lang])}</p>`;
      if (b.kind === 'list') return `<ul>${b[lang].map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
      return `<p><a href="${escapeHtml(b.href)}">${escapeHtml(b[lang])}</a></p>`;
    })
    .join('\n');

/** Renders a message: the Chinese part, a separator, the English part; the subject carries both. */
export function renderMail(subject: Bilingual, blocks: readonly Block[]): RenderedMail {
  const text = [
    ...textLines(blocks, 'zh'),
    '———— English ————',
    '',
    ...textLines(blocks, 'en'),
    '此邮件由系统自动发送，请勿回复。 / This message was sent automatically; please do not reply.',
  ].join('\n');
  const html = [
    '<!doctype html>',
    `<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(subject.zh)}</title></head><body>`,
    `<div lang="zh-CN">\n${htmlBlocks(blocks, 'zh')}\n</div>`,
    '<hr>',
    `<div lang="en">\n${htmlBlocks(blocks, 'en')}\n</div>`,
    '<p><small>此邮件由系统自动发送，请勿回复。 / This message was sent automatically; please do not reply.</small></p>',
    '</body></html>',
  ].join('\n');
  return { subject: `${subject.zh} / ${subject.en}`, text, html };
}

/** A finding as one line in each language, with its article (none for data-integrity checks) and whether its rule is policy. */
export interface FindingLine {
  readonly article?: string;
  readonly policy?: boolean;
  readonly zh: string;
  readonly en: string;
}

/** Bulleted findings `[Art.9(2)] …`, `[Art.11(2)1 · policy] …` or, with no article, just the text. */
export function findingsList(findings: readonly FindingLine[]): Block {
  const tag = (f: FindingLine, policy: string, open: string, close: string) => {
    const parts = [f.article, f.policy ? policy : undefined].filter(Boolean);
    return parts.length ? `${open}${parts.join(' · ')}${close}` : '';
  };
  return {
    kind: 'list',
    zh: findings.map((f) => `${tag(f, '政策', '【', '】')}${f.zh}`),
    en: findings.map((f) => `${tag(f, 'policy', '[', '] ')}${f.en}`),
  };
}
