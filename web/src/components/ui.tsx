import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { ApiError } from '../api.ts';
import { useT } from '../i18n.ts';
import { onLinkClick } from '../router.ts';
import { UploadError } from '../upload.ts';

/** An in-app link: client-side navigation, a real href for keyboard and new tabs. */
export function Link(props: { href: string; children: ComponentChildren; class?: string; 'aria-current'?: 'page' | undefined }) {
  return (
    <a href={props.href} class={props.class} aria-current={props['aria-current']} onClick={(e) => onLinkClick(e, props.href)}>
      {props.children}
    </a>
  );
}

/** An error from the API in the reader's language, with the article it cites; announced to screen readers. */
export function ErrorBox({ error }: { error: unknown }) {
  const t = useT();
  if (!error) return null;
  let message: string;
  let article: string | undefined;
  let code: string | undefined;
  if (error instanceof ApiError) {
    message = t.pick(error.bilingual);
    article = error.article;
    code = error.code;
  } else if (error instanceof UploadError) {
    message = t(`上传被存储服务拒绝：${error.message}`, `The storage service refused the upload: ${error.message}`);
    code = error.s3Code;
  } else {
    message = error instanceof Error ? error.message : String(error);
  }
  const details = error instanceof ApiError && Array.isArray(error.details) ? (error.details as Array<{ path?: string; message?: string }>) : [];
  return (
    <div class="error" role="alert">
      <p>
        {message}
        {article ? <span class="article"> （{t('依据', 'per')} {article}）</span> : null}
      </p>
      {details.length ? (
        <ul>
          {details.slice(0, 10).map((d, i) => (
            <li key={i}>
              <code>{d.path || '—'}</code> {d.message}
            </li>
          ))}
        </ul>
      ) : null}
      {code ? <p class="muted small">{code}</p> : null}
    </div>
  );
}

/** A short status label with a colour class per value. */
export function Badge({ value, label }: { value: string; label: string }) {
  return <span class={`badge badge-${value.toLowerCase()}`}>{label}</span>;
}

/** A page title that also moves focus for screen readers after navigation. */
export function PageTitle({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus({ preventScroll: true }), []);
  return (
    <h1 tabIndex={-1} ref={ref}>
      {children}
    </h1>
  );
}

export function Loading() {
  const t = useT();
  return (
    <p class="muted" role="status">
      {t('加载中…', 'Loading…')}
    </p>
  );
}

/** A data table with a screen-reader caption and column headers; rows are the children. */
export function DataTable(props: { caption: string; columns: readonly string[]; class?: string; children: ComponentChildren }) {
  return (
    <table class={props.class}>
      <caption class="sr-only">{props.caption}</caption>
      <thead>
        <tr>
          {props.columns.map((c) => (
            <th scope="col" key={c}>
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
}
