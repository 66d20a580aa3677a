import type { LocalStack } from './stack.ts';

/** A response of the API as a user's browser sees it. */
export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

/**
 * Calls the API of a local stack as a given user (fresh token from the local
 * issuer each time), then lets the stack settle so that what the call set
 * off (workflow steps, e-mails, object events) has happened when it returns.
 */
export class LocalApiClient {
  constructor(readonly stack: LocalStack) {}

  async call<T = any>(sub: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const auth: Record<string, string> = sub ? { authorization: `Bearer ${await this.stack.issuer.issueToken(sub)}` } : {};
    const res = await fetch(`${this.stack.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...auth, ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    await this.stack.settle();
    return { status: res.status, body: parsed as T };
  }

  /** Like `call`, but throws unless the status is the expected one. */
  async expect<T = any>(status: number, sub: string | undefined, method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.call<T>(sub, method, path, body);
    if (res.status !== status) {
      throw new Error(`${method} ${path} as ${sub ?? 'anonymous'}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
    }
    return res.body;
  }

  /** Posts a file to a presigned POST as a browser form does, then waits for its validation. */
  async upload(upload: { url: string; fields: Record<string, string> }, file: Buffer, contentType: string, fileName = 'file'): Promise<number> {
    const form = new FormData();
    for (const [k, v] of Object.entries(upload.fields)) form.append(k, v);
    form.append('file', new Blob([file], { type: contentType }), fileName);
    const res = await fetch(upload.url, { method: 'POST', body: form });
    await res.arrayBuffer();
    await this.stack.settle();
    return res.status;
  }

  /** E-mails sent so far to `address`, oldest first. */
  mailTo(address: string) {
    return this.stack.ses.messages().filter((m) => m.to.includes(address));
  }

  /** The decision id of the newest decision link mailed to `address` (what a reviewer clicks). */
  latestDecisionLink(address: string): string | undefined {
    const mails = this.mailTo(address);
    for (let i = mails.length - 1; i >= 0; i--) {
      const m = /\/decisions\/([A-Za-z0-9_-]{20,})/.exec(mails[i]!.text);
      if (m) return m[1];
    }
    return undefined;
  }

  /** The invitation code of the newest invitation mailed to `address` (it rides in the link's fragment). */
  latestInvitationCode(address: string): string | undefined {
    const mails = this.mailTo(address);
    for (let i = mails.length - 1; i >= 0; i--) {
      const m = /#code=([A-Za-z0-9_-]{20,100})/.exec(mails[i]!.text);
      if (m) return m[1];
    }
    return undefined;
  }
}
