import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';

/** Checksum algorithms the local S3 verifies (S3's `x-amz-checksum-*`). CRC32C and CRC64NVME are stored unverified. */
export const VERIFIED_CHECKSUMS = ['sha256', 'sha1', 'crc32'] as const;

/** A body written to a temporary file, with what S3 computes over it. */
export interface Spooled {
  path: string;
  /** Bytes seen in the body (more than were written when `tooLarge`). */
  size: number;
  tooLarge: boolean;
  md5Hex: string;
  sha256Hex: string;
  /** Base64 checksums by algorithm, for the algorithms in {@link VERIFIED_CHECKSUMS}. */
  checksums: Record<string, string>;
}

/** Thrown when a body goes past the bytes the caller is willing to read and discard. */
export class OverflowError extends Error {
  constructor(readonly seen: number) {
    super('body exceeds the drain allowance');
  }
}

/**
 * Streams `source` into a new file under `dir`, hashing as it goes. Bytes
 * beyond `maxBytes` are counted but not written (so the proposed size can be
 * reported) until `maxBytes + drainAllowance`, where it gives up with an
 * {@link OverflowError}. Nothing is buffered beyond the stream's own chunks.
 * The file is removed when the body is too large or the stream fails.
 */
export async function spool(source: Readable, dir: string, maxBytes: number, drainAllowance: number): Promise<Spooled> {
  const path = join(dir, `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}.part`);
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  const sha1 = createHash('sha1');
  let crc = 0;
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes + drainAllowance) return callback(new OverflowError(seen));
      if (seen > maxBytes) return callback();
      for (const h of [md5, sha256, sha1] as Hash[]) h.update(chunk);
      crc = crc32(chunk, crc);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(source, counter, createWriteStream(path));
  } catch (error) {
    await unlink(path).catch(() => undefined);
    throw error;
  }
  const tooLarge = seen > maxBytes;
  if (tooLarge) await unlink(path).catch(() => undefined);
  const crcBytes = Buffer.alloc(4);
  crcBytes.writeUInt32BE(crc >>> 0);
  const sha256Digest = sha256.digest();
  return {
    path,
    size: seen,
    tooLarge,
    md5Hex: md5.digest('hex'),
    sha256Hex: sha256Digest.toString('hex'),
    checksums: { sha256: sha256Digest.toString('base64'), sha1: sha1.digest('base64'), crc32: crcBytes.toString('base64') },
  };
}
