import { currentSession, signInAgain } from './auth.ts';
import type { PortalConfig } from './config.ts';

/** A bilingual message as the API sends it. */
export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

/**
 * An error answer of the API (`{ code, message: { zh, en }, article? }`), or
 * a network failure (`status` 0). The portal shows the message in the
 * current language with the article.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly bilingual: Bilingual,
    readonly article?: string,
    readonly details?: unknown,
  ) {
    super(bilingual.en);
    this.name = 'ApiError';
  }
}

let config: PortalConfig | undefined;

/** Set once at start-up. */
export function configureApi(c: PortalConfig): void {
  config = c;
}

function fallbackMessage(status: number): Bilingual {
  if (status === 401) return { zh: '登录已失效，请重新登录。', en: 'Your sign-in has expired; please sign in again.' };
  if (status === 403) return { zh: '您无权执行此操作。', en: 'You may not do this.' };
  if (status === 404) return { zh: '未找到。', en: 'Not found.' };
  if (status === 0) return { zh: '无法连接服务器，请检查网络。', en: 'The server cannot be reached; check the network.' };
  return { zh: `服务器返回错误（${status}）。`, en: `The server answered with an error (${status}).` };
}

/** Turns any answer body into an ApiError. */
export function toApiError(status: number, body: unknown): ApiError {
  const b = (body ?? {}) as { code?: unknown; message?: unknown; article?: unknown; details?: unknown };
  const m = b.message as Partial<Bilingual> | undefined;
  const message = m && typeof m === 'object' && typeof m.zh === 'string' && typeof m.en === 'string' ? { zh: m.zh, en: m.en } : fallbackMessage(status);
  return new ApiError(status, typeof b.code === 'string' ? b.code : `HTTP_${status}`, message, typeof b.article === 'string' ? b.article : undefined, b.details);
}

export interface CallOptions {
  readonly body?: unknown;
  /** Raw text body with its media type (CSV import). */
  readonly text?: { readonly value: string; readonly type: string };
  readonly idempotent?: boolean;
  readonly headers?: Record<string, string>;
}

/** Calls `${apiBase}${path}` with the bearer token; JSON in and out; throws ApiError. */
export async function api<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  if (!config) throw new Error('api not configured');
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  const token = currentSession()?.accessToken;
  if (token) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.text) {
    headers['content-type'] = options.text.type;
    body = options.text.value;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (options.idempotent) headers['idempotency-key'] = crypto.randomUUID();
  let res: Response;
  try {
    res = await fetch(`${config.apiBase}${path}`, { method, headers, body });
  } catch {
    throw new ApiError(0, 'NETWORK', fallbackMessage(0));
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  // 401 comes from the JWT authorizer in API Gateway's shape ({"message":"Unauthorized"}), not ours: sign in again, back here.
  if (res.status === 401) signInAgain(config);
  if (!res.ok) throw toApiError(res.status, parsed);
  return parsed as T;
}

export const get = <T>(path: string) => api<T>('GET', path);

/**
 * Downloads a file the API answers (an export) with the bearer token: a
 * plain link would carry no token. Saved under the name the answer gives.
 */
export async function download(path: string, fallbackName: string): Promise<void> {
  if (!config) throw new Error('api not configured');
  const token = currentSession()?.accessToken;
  let res: Response;
  try {
    res = await fetch(`${config.apiBase}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  } catch {
    throw new ApiError(0, 'NETWORK', fallbackMessage(0));
  }
  if (res.status === 401) signInAgain(config);
  if (!res.ok) {
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    throw toApiError(res.status, parsed);
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A text answer (CSV export) with the headers that page it (`x-next-cursor`); throws ApiError. */
export async function getText(path: string): Promise<{ text: string; nextCursor: string | null }> {
  if (!config) throw new Error('api not configured');
  const headers: Record<string, string> = { accept: 'text/csv' };
  const token = currentSession()?.accessToken;
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(`${config.apiBase}${path}`, { headers });
  } catch {
    throw new ApiError(0, 'NETWORK', fallbackMessage(0));
  }
  const text = await res.text();
  if (res.status === 401) signInAgain(config);
  if (!res.ok) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    throw toApiError(res.status, parsed);
  }
  return { text, nextCursor: res.headers.get('x-next-cursor') };
}
