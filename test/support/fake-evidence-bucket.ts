import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, PutObjectTaggingCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { type FakeVersion, sdkBody, sha256Hex, sliceRange } from '../unit/evidence/helpers.ts';

/**
 * A versioned evidence bucket in memory behind the S3 stub: HeadObject and
 * ranged GetObject of a version (as S3 answers them, with the SHA-256 it
 * verified at upload), and a log of every write the code under test asked
 * for (copy, delete, put, tagging) with its key, so a test can say where
 * anything was stored. A version's bytes are held once; reads are views.
 */
export interface FakeEvidenceBucket {
  /** Stores a version of `key` (with the verified SHA-256 S3 keeps for uploads through the policy). */
  put(key: string, versionId: string, bytes: Uint8Array, options?: { checksum?: boolean }): void;
  /** Bytes served by GetObject since the last {@link clearLog}, of every key or of one. */
  bytesRead(key?: string): number;
  /** Writes asked for since the last {@link clearLog}: the command and the key written (a copy's target, the source among the keys asked about). */
  writes(key?: string): ReadonlyArray<{ readonly command: string; readonly key: string }>;
  /** Forgets the read and write logs (and the stub's call history). */
  clearLog(): void;
  /** Drops every stored version. */
  empty(): void;
}

export function fakeEvidenceBucket(s3: AwsClientStub<S3Client>): FakeEvidenceBucket {
  const objects = new Map<string, FakeVersion[]>();
  let read = new Map<string, number>();
  let written: Array<{ command: string; key: string; source?: string }> = [];
  // One digest per byte array: the same hostile file is stored many times over.
  const digests = new WeakMap<Uint8Array, string>();
  const digest = (bytes: Uint8Array) => digests.get(bytes) ?? (digests.set(bytes, Buffer.from(sha256Hex(bytes), 'hex').toString('base64')), digests.get(bytes) as string);
  const find = (key: string, versionId: string | undefined) => objects.get(key)?.find((v) => v.versionId === versionId);
  const missing = (name: string) => new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 404 } });

  s3.on(HeadObjectCommand).callsFake((input: { Key: string; VersionId?: string }) => {
    const version = find(input.Key, input.VersionId);
    if (!version) throw missing('NotFound');
    return { ContentLength: version.bytes.length, ...(version.checksumSha256 ? { ChecksumSHA256: version.checksumSha256, ChecksumType: 'FULL_OBJECT' } : {}) };
  });
  s3.on(GetObjectCommand).callsFake((input: { Key: string; VersionId?: string; Range?: string }) => {
    const version = find(input.Key, input.VersionId);
    if (!version) throw missing('NoSuchVersion');
    const bytes = sliceRange(version.bytes, input.Range);
    read.set(input.Key, (read.get(input.Key) ?? 0) + bytes.length);
    return { Body: sdkBody(bytes) };
  });
  const log = (command: string) => (input: { Key: string; CopySource?: string }) => {
    const source = input.CopySource ? decodeURIComponent(input.CopySource.split('?')[0] ?? '').split('/').slice(1).join('/') : undefined;
    written.push({ command, key: input.Key, ...(source ? { source } : {}) });
    return {};
  };
  s3.on(CopyObjectCommand).callsFake(log('CopyObject'));
  s3.on(DeleteObjectCommand).callsFake(log('DeleteObject'));
  s3.on(PutObjectCommand).callsFake(log('PutObject'));
  s3.on(PutObjectTaggingCommand).callsFake(log('PutObjectTagging'));

  return {
    put(key, versionId, bytes, options = {}) {
      const checksumSha256 = (options.checksum ?? true) ? digest(bytes) : undefined;
      objects.set(key, [...(objects.get(key) ?? []), { versionId, bytes, ...(checksumSha256 ? { checksumSha256 } : {}) }]);
    },
    bytesRead: (key) => (key === undefined ? [...read.values()].reduce((a, b) => a + b, 0) : (read.get(key) ?? 0)),
    writes: (key) => written.filter((w) => key === undefined || w.key === key || w.source === key).map(({ command, key: k }) => ({ command, key: k })),
    clearLog() {
      read = new Map();
      written = [];
      s3.resetHistory();
    },
    empty() {
      objects.clear();
    },
  };
}
