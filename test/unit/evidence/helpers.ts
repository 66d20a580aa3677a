import { TEST_TABLE_NAME } from '../../support/table.ts';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

export { bodyOf, httpEvent, lambdaContext } from '../../support/http-event.ts';

/** The environment every evidence handler reads (functions/shared/env.ts). */
export function setEvidenceEnv(): void {
  Object.assign(process.env, {
    AWS_REGION: 'cn-north-1',
    AWS_ACCESS_KEY_ID: 'AKIATESTEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'test/secret/key',
    TABLE_NAME: TEST_TABLE_NAME,
    EVIDENCE_BUCKET: 'evidence-test',
    EVENT_BUS_NAME: 'exam-site-test-bus',
    LOG_LEVEL: 'error',
    APP_CONFIG: JSON.stringify({
      identity: { kind: 'cognito', domainPrefix: 'exam-site-test' },
      mail: { transport: 'ses', sender: 'noreply@example.cn' },
      portalOrigin: 'https://portal.example.cn',
      deadlines: { uploadExpirySeconds: 600, downloadExpirySeconds: 120 },
    }),
  });
}

/** One stored object version of the fake bucket. */
export interface FakeVersion {
  readonly versionId: string;
  readonly bytes: Uint8Array;
  /** Base64 SHA-256 as S3 returns it when the upload carried a verified checksum. */
  readonly checksumSha256?: string;
}

/** A body as the SDK returns it: a stream that can also be read whole. */
export function sdkBody(bytes: Uint8Array): Readable & { transformToByteArray(): Promise<Uint8Array> } {
  return Object.assign(Readable.from([Buffer.from(bytes)]), { transformToByteArray: async () => bytes });
}

/** Applies an HTTP `Range` header as S3 does (`bytes=a-b`, `bytes=-n`). */
export function sliceRange(bytes: Uint8Array, range: string | undefined): Uint8Array {
  if (!range) return bytes;
  const suffix = /^bytes=-(\d+)$/.exec(range);
  if (suffix) return bytes.subarray(Math.max(0, bytes.length - Number(suffix[1])));
  const span = /^bytes=(\d+)-(\d+)$/.exec(range);
  if (!span) return bytes;
  return bytes.subarray(Number(span[1]), Number(span[2]) + 1);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

// ── real files, built as bytes ──────────────────────────────────────────────

/**
 * A well-formed one-page PDF: header, catalogue, page tree, xref table with
 * true offsets, trailer, `%%EOF`. `padTo` adds a comment so the file reaches
 * a size; `withoutEof` cuts the end marker (a truncated upload); `extra` adds
 * an object (e.g. a JavaScript action).
 */
export function buildPdf(options: { padTo?: number; withoutEof?: boolean; extra?: string } = {}): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
    ...(options.extra ? [options.extra] : []),
  ];
  let body = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const padding = Math.max(0, (options.padTo ?? 0) - Buffer.byteLength(body, 'latin1') - 200);
  if (padding > 0) body += `%${'x'.repeat(padding)}\n`;
  const xrefAt = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefAt}\n`;
  if (!options.withoutEof) body += '%%EOF\n';
  return new Uint8Array(Buffer.from(body, 'latin1'));
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A real 8-bit greyscale PNG of the given size (mid-grey; IHDR, IDAT, IEND with CRCs). */
export function buildPng(width: number, height: number): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width, 0x80)]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk('IHDR', ihdr),
      pngChunk('IDAT', deflateSync(raw)),
      pngChunk('IEND', new Uint8Array()),
    ]),
  );
}

function segment(marker: number, payload: Uint8Array): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/**
 * A real baseline greyscale JPEG of the given size: JFIF APP0, a comment,
 * optionally `app1Bytes` of APPn metadata (EXIF blocks pushing the frame
 * header far from the start), DQT, SOF0, one-code Huffman tables, and a scan in
 * which every 8×8 block is flat grey (DC difference 0, end of block).
 */
export function buildJpeg(width: number, height: number, options: { app1Bytes?: number } = {}): Uint8Array {
  const jfif = Buffer.from([0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  // A segment holds at most 65533 bytes: bigger metadata comes as several APPn segments, as cameras write EXIF + ICC + MPF.
  const app1: Buffer[] = [];
  for (let left = options.app1Bytes ?? 0, n = 0; left > 0; left -= 60_000, n++) {
    app1.push(segment(0xe1 + (n % 14), Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), Buffer.alloc(Math.min(left, 60_000))])));
  }
  const dqt = Buffer.concat([Buffer.from([0x00]), Buffer.alloc(64, 1)]);
  const sof = Buffer.from([8, 0, 0, 0, 0, 1, 1, 0x11, 0]);
  sof.writeUInt16BE(height, 1);
  sof.writeUInt16BE(width, 3);
  const counts = (n: number) => Buffer.concat([Buffer.from([1]), Buffer.alloc(15)]).map((v, i) => (i === 0 ? n : v));
  const dhtDc = Buffer.concat([Buffer.from([0x00]), counts(1), Buffer.from([0x00])]);
  const dhtAc = Buffer.concat([Buffer.from([0x10]), counts(1), Buffer.from([0x00])]);
  const sos = Buffer.from([1, 1, 0x00, 0, 63, 0]);
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  // Two bits per block ('0' = DC category 0, '0' = end of block); the last byte is padded with ones.
  const bits = blocks * 2;
  const scan = Buffer.alloc(Math.ceil(bits / 8), 0);
  if (bits % 8) scan[scan.length - 1] = 0xff >> (bits % 8);
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0xff, 0xd8]),
      segment(0xe0, jfif),
      segment(0xfe, Buffer.from('built by the evidence tests', 'latin1')),
      ...app1,
      segment(0xdb, dqt),
      segment(0xc0, sof),
      segment(0xc4, dhtDc),
      segment(0xc4, dhtAc),
      segment(0xda, sos),
      scan,
      Buffer.from([0xff, 0xd9]),
    ]),
  );
}

/** A JPEG with a comment segment (COM) right after its start marker: how a polyglot hides a second format in a valid image. */
export function withJpegComment(jpeg: Uint8Array, comment: string | Uint8Array): Uint8Array {
  const payload = typeof comment === 'string' ? Buffer.from(comment, 'latin1') : Buffer.from(comment);
  return new Uint8Array(Buffer.concat([Buffer.from(jpeg.subarray(0, 2)), segment(0xfe, payload), Buffer.from(jpeg.subarray(2))]));
}
