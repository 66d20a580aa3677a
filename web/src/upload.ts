/** A presigned POST as the API grants it. */
export interface PresignedPost {
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** What S3 said when it refused an upload (its XML error). */
export class UploadError extends Error {
  constructor(
    readonly status: number,
    readonly s3Code: string,
    message: string,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

/**
 * Posts a file straight to the bucket as a browser form (the policy fields
 * first, the file last, as S3 requires), reporting progress. XMLHttpRequest
 * rather than fetch because only it reports upload progress in every browser.
 */
export function postToBucket(grant: PresignedPost, file: Blob, fileName: string, onProgress: (fraction: number) => void): Promise<void> {
  const form = new FormData();
  for (const [k, v] of Object.entries(grant.fields)) form.append(k, v);
  form.append('file', file, fileName);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', grant.url);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
        return;
      }
      const code = /<Code>([^<]+)<\/Code>/.exec(xhr.responseText ?? '')?.[1] ?? `HTTP_${xhr.status}`;
      const message = /<Message>([^<]+)<\/Message>/.exec(xhr.responseText ?? '')?.[1] ?? code;
      reject(new UploadError(xhr.status, code, message));
    };
    xhr.onerror = () => reject(new UploadError(0, 'NETWORK', 'network error'));
    xhr.send(form);
  });
}

/**
 * Hex SHA-256 of a file, which the API requires: S3 refuses bytes that
 * changed on the way. WebCrypto exists only in a secure context (HTTPS, or
 * 127.0.0.1 for the local stack).
 */
export async function sha256Hex(file: Blob): Promise<string> {
  if (!globalThis.crypto?.subtle) throw new Error('需要安全连接（HTTPS）才能计算文件校验值 / A secure connection (HTTPS) is needed to compute the file checksum');
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
