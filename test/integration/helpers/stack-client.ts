import { startLocalStack, type LocalStack } from '../../../local/stack.ts';

/**
 * Starts a private local stack for one test file, on its own ports (so test
 * files can run side by side and beside `npm start`), and offers the calls a
 * user's browser would make.
 */
export async function startTestStack(): Promise<StackClient> {
  const worker = Number(process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? 1);
  const portBase = 5100 + (worker % 40) * 20 + Math.floor(Math.random() * 10) * 800;
  const stack = await startLocalStack({ portBase, dataDir: `.local/test-${portBase}` });
  return new StackClient(stack);
}

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export class StackClient {
  constructor(readonly stack: LocalStack) {}

  /** Calls the API as `sub` with a fresh token from the local issuer. */
  async api<T = unknown>(sub: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
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
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  /** Posts a file to a presigned POST as a browser form would, then waits for validation. */
  async upload(upload: { url: string; fields: Record<string, string> }, file: Buffer, contentType: string, fileName = 'file'): Promise<number> {
    const form = new FormData();
    for (const [k, v] of Object.entries(upload.fields)) form.append(k, v);
    if (!('Content-Type' in upload.fields)) form.append('Content-Type', contentType);
    form.append('file', new Blob([file], { type: contentType }), fileName);
    const res = await fetch(upload.url, { method: 'POST', body: form });
    await res.arrayBuffer();
    await this.stack.settle();
    return res.status;
  }

  /** E-mails sent so far to `address`. */
  mailTo(address: string) {
    return this.stack.ses.messages().filter((m) => m.to.includes(address));
  }

  /** The decision id in the newest decision link mailed to `address`. */
  latestDecisionLink(address: string): string | undefined {
    const mails = this.mailTo(address);
    for (let i = mails.length - 1; i >= 0; i--) {
      const m = /\/decisions\/([A-Za-z0-9_-]{20,})/.exec(mails[i]!.text);
      if (m) return m[1];
    }
    return undefined;
  }

  stop(): Promise<void> {
    return this.stack.stop();
  }
}
