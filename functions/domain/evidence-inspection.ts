import {
  EVIDENCE_KIND_SPECS,
  type EvidenceContentType,
  type EvidenceKind,
  type EvidenceKindSpec,
  type EvidenceReasonCode,
  type ReviewerMark,
} from '../../schemas/evidence.schema.ts';
import { checkEvidenceFile, formatSize } from './evidence-requirements.ts';

/**
 * What the validator learns from the bytes of one uploaded object version
 * (Art.3): the type from the magic bytes, the image size from the header,
 * the PDF's structure. Pure functions over byte arrays; the validator reads
 * only the first bytes and the last 1024 bytes of an object (ranged GETs).
 */

/**
 * The most bytes the validator reads of one object, head and tail and JPEG
 * segment headers together, whatever its size: validation costs the same
 * for 100 KB and 50 MB (the SHA-256 comes from S3's verified checksum).
 */
export const READ_BUDGET_BYTES = 64 * 1024;
/** The first bytes read of every object: the magic bytes, a PDF header, PNG IHDR, most JPEG SOF markers. */
export const HEAD_WINDOW_BYTES = 32 * 1024;
/** A PDF's header must be in its first 1024 bytes and `%%EOF` in its last 1024 (PDF 32000-1, 7.5.2 and 7.5.5). */
export const PDF_WINDOW_BYTES = 1024;
/** A PDF's head is read further, to the budget less its tail, for active content. */
export const PDF_HEAD_BYTES = READ_BUDGET_BYTES - PDF_WINDOW_BYTES;
/** What one hop to a JPEG segment header reads: the marker, its length and, for a frame header, the size. */
export const JPEG_HOP_BYTES = 64;
/** How many hops from segment to segment before a JPEG's size counts as unreadable. */
export const JPEG_MAX_HOPS = 32;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff] as const;
const PDF_HEADER = '%PDF-';

export interface Dimensions {
  readonly width: number;
  readonly height: number;
}

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b);
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** The type the magic bytes say, whatever the client declared; `undefined` for anything else. */
export function sniffContentType(head: Uint8Array): EvidenceContentType | undefined {
  if (startsWith(head, JPEG_SIGNATURE)) return 'image/jpeg';
  if (startsWith(head, PNG_SIGNATURE)) return 'image/png';
  if (latin1(head.subarray(0, PDF_WINDOW_BYTES)).includes(PDF_HEADER)) return 'application/pdf';
  return undefined;
}

/** Width and height from a PNG's IHDR chunk (always the first chunk). */
export function pngDimensions(bytes: Uint8Array): Dimensions | undefined {
  if (!startsWith(bytes, PNG_SIGNATURE) || bytes.length < 24) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(8) !== 13 || latin1(bytes.subarray(12, 16)) !== 'IHDR') return undefined;
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  // The PNG spec caps both at 2^31 - 1; zero is not a picture.
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) return undefined;
  return { width, height };
}

/** SOF markers carrying the frame size: C0-CF except DHT (C4), JPG (C8) and DAC (CC). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Bytes read from one place of an object. */
export interface ByteWindow {
  readonly offset: number;
  readonly bytes: Uint8Array;
}

/**
 * Width and height from a JPEG's first start-of-frame segment, walking the
 * segments from the start over the windows read so far (segments are
 * skipped by their length, so their bodies, an EXIF thumbnail for one, need
 * not be read). `{ need }` when the walk reaches bytes not read yet: the
 * offset to read next. `undefined` when the stream is malformed or reaches
 * the scan without a frame header.
 */
export function jpegScan(windows: readonly ByteWindow[]): Dimensions | { readonly need: number } | undefined {
  const at = (position: number): number | undefined => {
    for (const w of windows) if (position >= w.offset && position < w.offset + w.bytes.length) return w.bytes[position - w.offset];
    return undefined;
  };
  for (let i = 0; i < JPEG_SIGNATURE.length; i++) {
    const byte = at(i);
    if (byte === undefined) return { need: i };
    if (byte !== JPEG_SIGNATURE[i]) return undefined;
  }
  let offset = 2;
  for (;;) {
    let byte = at(offset);
    if (byte === undefined) return { need: offset };
    if (byte !== 0xff) return undefined;
    // Any number of 0xFF fill bytes may precede a marker.
    while ((byte = at(offset)) === 0xff) offset++;
    if (byte === undefined) return { need: offset };
    const marker = byte;
    offset++;
    // Standalone markers have no length: TEM and RSTn.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    // End of image or start of scan before any frame header: no size to find.
    if (marker === 0xd9 || marker === 0xda || marker === 0xd8) return undefined;
    const field = [0, 1, 2, 3, 4, 5, 6].map((k) => at(offset + k));
    const missing = field.findIndex((b) => b === undefined);
    if (missing === 0 || missing === 1) return { need: offset };
    const length = ((field[0] as number) << 8) | (field[1] as number);
    if (length < 2) return undefined;
    if (isStartOfFrame(marker)) {
      if (missing !== -1) return { need: offset };
      const height = ((field[3] as number) << 8) | (field[4] as number);
      const width = ((field[5] as number) << 8) | (field[6] as number);
      // Height 0 means "defined later by DNL": no size in the header to judge by.
      if (width === 0 || height === 0) return undefined;
      return { width, height };
    }
    offset += length;
  }
}

/** {@link jpegScan} over one run of bytes from the start: `'truncated'` when they end before a frame header. */
export function jpegDimensions(bytes: Uint8Array): Dimensions | 'truncated' | undefined {
  const found = jpegScan([{ offset: 0, bytes }]);
  return found && 'need' in found ? 'truncated' : found;
}

/** What a PDF's first and last bytes tell. */
export interface PdfFacts {
  /** `%PDF-` within the first 1024 bytes. */
  readonly headerFound: boolean;
  /** `%%EOF` within the last 1024 bytes: the file was not cut short. */
  readonly eofFound: boolean;
  /**
   * Dangerous actions seen in what was read: `/JavaScript`, `/JS`, `/Launch`,
   * and `/OpenAction` or `/AA` (actions run without a click) of any type but
   * `/GoTo`, e.g. `/OpenAction /URI`.
   */
  readonly activeContent: readonly string[];
}

/** Names that make a PDF run code or a program: a JavaScript action (its type or its script entry) or a Launch action. */
const ACTIVE_NAMES = /\/(JavaScript|JS|Launch)(?![A-Za-z0-9])/g;
/** An action run when the document or a page opens: its value a destination array, a dictionary, or a reference. */
const AUTOMATIC_ACTION = /\/(OpenAction|AA)\s*(\[|<<|(\d+)\s+(\d+)\s+R)/g;
/** At most this many characters of one dictionary are looked at: the read budget bounds the text anyway. */
const DICT_SCAN_CHARS = 4096;
/**
 * At most this many automatic actions are resolved per window, so a file
 * made of thousands of them costs no more than a normal one; a JavaScript or
 * Launch action past them is still seen by its name ({@link ACTIVE_NAMES}).
 */
const MAX_AUTOMATIC_ACTIONS = 64;

/** The dictionary opening at `start` (`<<`), nested ones included; cut at {@link DICT_SCAN_CHARS}. */
function dictionaryAt(text: string, start: number): string {
  let depth = 0;
  const end = Math.min(text.length, start + DICT_SCAN_CHARS);
  for (let i = start; i < end - 1; i++) {
    const pair = text.slice(i, i + 2);
    if (pair === '<<') {
      depth++;
      i++;
    } else if (pair === '>>') {
      depth--;
      i++;
      if (depth === 0) return text.slice(start, i + 1);
    }
  }
  return text.slice(start, end);
}

/** The body of object `number generation` when it lies in what was read. */
function objectBody(text: string, number: string, generation: string): string | undefined {
  const found = new RegExp(`(?:^|[^0-9])${number}\\s+${generation}\\s+obj\\b`).exec(text);
  if (!found) return undefined;
  const start = found.index + found[0].length;
  const end = text.indexOf('endobj', start);
  return text.slice(start, end === -1 ? Math.min(text.length, start + DICT_SCAN_CHARS) : Math.min(end, start + DICT_SCAN_CHARS));
}

/** Action types (`/S /URI`) of an action dictionary, following one level of references (an `/AA` maps triggers to actions). */
function actionTypes(text: string, value: string, depth = 0): string[] {
  const types = [...value.matchAll(/\/S\s*\/([A-Za-z0-9]+)/g)].map((m) => m[1] as string);
  if (depth > 0) return types;
  for (const ref of value.matchAll(/(\d+)\s+(\d+)\s+R/g)) {
    const body = objectBody(text, ref[1] as string, ref[2] as string);
    if (body !== undefined) types.push(...actionTypes(text, body, depth + 1));
  }
  return types;
}

/**
 * The automatic actions (`/OpenAction`, `/AA`) in `text` whose type is not
 * `/GoTo`: a destination (`[3 0 R /Fit]`, as LaTeX writes) and a jump inside
 * the document pass; a URI opened, a form submitted, a file launched do not.
 */
function automaticActions(text: string): string[] {
  const found: string[] = [];
  let examined = 0;
  for (const m of text.matchAll(AUTOMATIC_ACTION)) {
    if (m[2] === '[') continue;
    if (++examined > MAX_AUTOMATIC_ACTIONS) break;
    const value =
      m[2] === '<<'
        ? dictionaryAt(text, (m.index ?? 0) + m[0].length - 2)
        : (objectBody(text, m[3] as string, m[4] as string) ?? '');
    // A reference to an array is a destination; one to an object not read is not seen (see inspectPdf).
    if (value.trimStart().startsWith('[')) continue;
    for (const type of actionTypes(text, m[2] === '<<' ? value : `${m[3]} ${m[4]} R`)) {
      if (type !== 'GoTo') found.push(`/${m[1]} /${type}`);
    }
  }
  return found;
}

/**
 * Inspects a PDF from its head and its last bytes. Name escapes (`/J#61vaScript`)
 * are decoded before looking for actions, so the obvious disguise does not pass.
 *
 * What cannot be seen, by design (the validator reads at most
 * {@link READ_BUDGET_BYTES} of an object, so that validation costs the same
 * for 100 KB and 50 MB): actions in the middle of a file larger than the
 * budget, past the head and before the last 1024 bytes; actions inside
 * compressed object streams (`/ObjStm`, PDF 1.5+) and inside encrypted
 * documents, whose names are not plain text; an `/OpenAction` pointing at an
 * object that lies outside what was read. This check catches the plain
 * cases, not a determined author.
 */
export function inspectPdf(head: Uint8Array, tail: Uint8Array): PdfFacts {
  const first = latin1(head.subarray(0, PDF_WINDOW_BYTES));
  const last = latin1(tail.subarray(Math.max(0, tail.length - PDF_WINDOW_BYTES)));
  const decode = (text: string) => text.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  const seen = new Set<string>();
  for (const text of [decode(latin1(head)), decode(latin1(tail))]) {
    for (const match of text.matchAll(ACTIVE_NAMES)) seen.add(`/${match[1]}`);
    for (const action of automaticActions(text)) seen.add(action);
  }
  return { headerFound: first.includes(PDF_HEADER), eofFound: last.includes('%%EOF'), activeContent: [...seen].sort() };
}

/**
 * Signatures of a second format in the first bytes of a file: markup a
 * browser would run (in any file), or a PDF header inside an image (a PDF
 * reader finds `%PDF-` anywhere in the first 1024 bytes, so such a JPEG opens
 * as a document too). Only the head is looked at: a ZIP appended to an image
 * (its directory at the end) is past what is read and is not seen.
 */
export function polyglotSignatures(head: Uint8Array, type: EvidenceContentType): string[] {
  const text = latin1(head).toLowerCase();
  const found = ['<script', '<html', '<!doctype html', '<iframe', '<svg', '<object', '<embed'].filter((marker) => text.includes(marker));
  if (type !== 'application/pdf' && text.slice(0, PDF_WINDOW_BYTES).includes(PDF_HEADER.toLowerCase())) found.push('%PDF-');
  return found;
}

/** Stable codes of what the validator found, each with its labels. */
export const EVIDENCE_CHECK_CODES = [
  'EVIDENCE_FORMAT_UNRECOGNISED',
  'EVIDENCE_CONTENT_MISMATCH',
  'EVIDENCE_TYPE_NOT_ALLOWED',
  'EVIDENCE_SIZE_MISMATCH',
  'EVIDENCE_TOO_SMALL',
  'EVIDENCE_TOO_LARGE',
  'EVIDENCE_IMAGE_UNREADABLE',
  'EVIDENCE_IMAGE_TOO_SMALL',
  'EVIDENCE_IMAGE_TOO_LARGE',
  'EVIDENCE_PDF_TRUNCATED',
  'EVIDENCE_PDF_ACTIVE_CONTENT',
  'EVIDENCE_POLYGLOT',
  'EVIDENCE_DUPLICATE_OF_OTHER_INSTITUTION',
  'EVIDENCE_CHECKSUM_MISSING',
  // Set by a reviewer who looked at the file (Art.3): the bytes are fine, the document is not.
  'EVIDENCE_NOT_STAMPED',
  'EVIDENCE_ILLEGIBLE',
  'EVIDENCE_WRONG_DOCUMENT',
  'EVIDENCE_EXPIRED_DOCUMENT',
] as const;
export type EvidenceCheckCode = (typeof EVIDENCE_CHECK_CODES)[number];

/** One finding about an item, as stored on it and shown to applicants and reviewers. */
export interface EvidenceReason {
  readonly code: EvidenceCheckCode;
  readonly zh: string;
  readonly en: string;
  readonly article: string;
}

/** What was measured, so that a reason can name the figure next to the limit. */
export interface MeasuredFacts {
  readonly sizeBytes?: number;
  readonly width?: number;
  readonly height?: number;
}

type Label = (spec: EvidenceKindSpec, facts: MeasuredFacts) => { zh: string; en: string };

const measured = (facts: MeasuredFacts) =>
  facts.width !== undefined && facts.height !== undefined ? `${facts.width} × ${facts.height} px` : undefined;
const sizeOf = (facts: MeasuredFacts) => (facts.sizeBytes !== undefined ? formatSize(facts.sizeBytes) : undefined);
const side = (box: { width: number; height: number } | undefined) => (box ? `${box.width} × ${box.height} px` : '');

const LABELS: Readonly<Record<EvidenceCheckCode, { label: Label; reason?: EvidenceReasonCode; article?: string }>> = {
  EVIDENCE_FORMAT_UNRECOGNISED: { label: () => ({ zh: '文件不是 PDF、JPEG 或 PNG 格式', en: 'The file is not a PDF, JPEG or PNG file' }), reason: 'unreadable' },
  EVIDENCE_CONTENT_MISMATCH: { label: () => ({ zh: '文件内容与声明的类型不符', en: 'The content does not match the declared type' }), reason: 'content-mismatch' },
  EVIDENCE_TYPE_NOT_ALLOWED: {
    label: (spec) => ({ zh: `此类材料只接受 ${spec.contentTypes.join('、')}`, en: `This kind of evidence accepts only ${spec.contentTypes.join(', ')}` }),
    reason: 'content-type-not-allowed',
  },
  EVIDENCE_SIZE_MISMATCH: { label: () => ({ zh: '文件大小与声明的不符', en: 'The file size is not the declared size' }), reason: 'content-mismatch' },
  EVIDENCE_TOO_SMALL: {
    label: (spec, facts) => ({
      zh: `文件过小${sizeOf(facts) ? `（${sizeOf(facts)}）` : ''}，不能小于 ${formatSize(spec.minSizeBytes)}`,
      en: `The file is too small${sizeOf(facts) ? ` (${sizeOf(facts)})` : ''}: at least ${formatSize(spec.minSizeBytes)}`,
    }),
    reason: 'too-small',
  },
  EVIDENCE_TOO_LARGE: {
    label: (spec, facts) => ({
      zh: `文件过大${sizeOf(facts) ? `（${sizeOf(facts)}）` : ''}，不能超过 ${formatSize(spec.maxSizeBytes)}`,
      en: `The file is too large${sizeOf(facts) ? ` (${sizeOf(facts)})` : ''}: at most ${formatSize(spec.maxSizeBytes)}`,
    }),
    reason: 'too-large',
  },
  EVIDENCE_IMAGE_UNREADABLE: { label: () => ({ zh: '无法读取图片尺寸', en: 'The image size cannot be read' }), reason: 'unreadable' },
  EVIDENCE_IMAGE_TOO_SMALL: {
    label: (spec, facts) => ({
      zh: `图片分辨率过低${measured(facts) ? `（${measured(facts)}）` : ''}，至少 ${side(spec.minImage)}`,
      en: `The image resolution is too low${measured(facts) ? ` (${measured(facts)})` : ''}: at least ${side(spec.minImage)}`,
    }),
    reason: 'image-too-small',
  },
  EVIDENCE_IMAGE_TOO_LARGE: {
    label: (spec, facts) => ({
      zh: `图片尺寸过大${measured(facts) ? `（${measured(facts)}）` : ''}，每边不能超过 ${spec.maxImage?.width ?? ''} px`,
      en: `The image dimensions are too large${measured(facts) ? ` (${measured(facts)})` : ''}: at most ${spec.maxImage?.width ?? ''} px a side`,
    }),
    reason: 'image-too-large',
  },
  EVIDENCE_PDF_TRUNCATED: { label: () => ({ zh: 'PDF 文件不完整（缺少 %%EOF 结束标记）', en: 'The PDF is incomplete (no %%EOF marker at its end)' }), reason: 'unreadable' },
  EVIDENCE_PDF_ACTIVE_CONTENT: {
    label: () => ({ zh: 'PDF 含有脚本、启动外部程序或打开时自动执行的动作', en: 'The PDF contains JavaScript, a Launch action or an action run when it opens' }),
    reason: 'unreadable',
  },
  EVIDENCE_POLYGLOT: {
    label: () => ({ zh: '文件同时含有另一种格式的内容（如网页脚本或 PDF），不予接受', en: 'The file also carries another format (such as web markup or a PDF) and is not accepted' }),
    reason: 'content-mismatch',
  },
  EVIDENCE_CHECKSUM_MISSING: {
    label: () => ({
      zh: '上传时未附 SHA-256 校验值，存储服务未能核验文件，请重新上传',
      en: 'The upload carried no SHA-256 checksum, so storage could not verify the file: upload it again',
    }),
    reason: 'unreadable',
  },
  EVIDENCE_DUPLICATE_OF_OTHER_INSTITUTION: {
    label: () => ({
      zh: '同一文件已被其他单位的申请使用，请审核人员核实',
      en: 'The same file is used in another institution’s application; reviewers should check it',
    }),
  },
  // Art.3: 提交如下支撑材料（需加盖申请单位公章）.
  EVIDENCE_NOT_STAMPED: {
    label: (spec) => ({ zh: `「${spec.zh}」未加盖申请单位公章`, en: `${spec.en}: the applicant's official seal is missing` }),
    reason: 'not-stamped',
    article: 'Art.3',
  },
  EVIDENCE_ILLEGIBLE: {
    label: (spec) => ({ zh: `「${spec.zh}」内容不清晰，无法辨认`, en: `${spec.en}: illegible` }),
    reason: 'illegible',
  },
  EVIDENCE_WRONG_DOCUMENT: {
    label: (spec) => ({ zh: `文件与「${spec.zh}」不符`, en: `The file does not match: it is not the ${spec.en.toLowerCase()}` }),
    reason: 'wrong-document',
  },
  EVIDENCE_EXPIRED_DOCUMENT: {
    label: (spec) => ({ zh: `「${spec.zh}」已过有效期`, en: `${spec.en}: the document has expired` }),
    reason: 'expired-document',
  },
};

/** The check code each reviewer mark (`REVIEWER_MARKS`) is stored and shown as. */
export const REVIEWER_MARK_CODES: Readonly<Record<ReviewerMark, EvidenceCheckCode>> = {
  'not-stamped': 'EVIDENCE_NOT_STAMPED',
  illegible: 'EVIDENCE_ILLEGIBLE',
  'wrong-document': 'EVIDENCE_WRONG_DOCUMENT',
  'expired-document': 'EVIDENCE_EXPIRED_DOCUMENT',
};

/** True for the reasons a reviewer set (as opposed to the validator's). */
export function isReviewerMarkReason(reason: { readonly code: string }): boolean {
  return (Object.values(REVIEWER_MARK_CODES) as string[]).includes(reason.code);
}

/** The labelled reason for a code, citing the kind's article and naming the measured figure next to the limit. */
export function evidenceReason(kind: EvidenceKind, code: EvidenceCheckCode, facts: MeasuredFacts = {}): EvidenceReason {
  const spec = EVIDENCE_KIND_SPECS[kind];
  const { zh, en } = LABELS[code].label(spec, facts);
  return { code, zh, en, article: LABELS[code].article ?? spec.article };
}

/** The catalogue's reason codes (`schemas/evidence.schema.ts`) for a list of findings; flags have none. */
export function reasonCodesOf(reasons: readonly EvidenceReason[]): EvidenceReasonCode[] {
  return [
    ...new Set(
      reasons.flatMap((r) => {
        const reason = LABELS[r.code]?.reason;
        return reason ? [reason] : [];
      }),
    ),
  ];
}

/** Everything the validator gathered about one object version. */
export interface ObjectObservation {
  readonly kind: EvidenceKind;
  /** What the client declared when it asked for the upload. */
  readonly declaredContentType: string;
  readonly declaredSize: number;
  /** Size in the S3 event and in HeadObject of the version. */
  readonly eventSize: number;
  readonly storedSize: number;
  /** The first bytes (up to {@link HEAD_WINDOW_BYTES}; more of a PDF, up to {@link PDF_HEAD_BYTES}). */
  readonly head: Uint8Array;
  /** A JPEG's segment headers read beyond the head, hop by hop (see {@link jpegScan}). */
  readonly segments?: readonly ByteWindow[];
  /** Whether S3 verified a SHA-256 checksum of the whole object at upload. */
  readonly checksumVerified?: boolean;
  /** The last bytes (up to {@link PDF_WINDOW_BYTES}); for a small object, the same bytes as `head`. */
  readonly tail: Uint8Array;
}

/** The verdict on one object version. */
export interface Assessment {
  readonly status: 'valid' | 'invalid';
  readonly detectedType?: EvidenceContentType;
  readonly width?: number;
  readonly height?: number;
  readonly reasons: readonly EvidenceReason[];
  readonly reasonCodes: readonly EvidenceReasonCode[];
}

const FILE_CHECK_CODES: Readonly<Partial<Record<EvidenceReasonCode, EvidenceCheckCode>>> = {
  'content-type-not-allowed': 'EVIDENCE_TYPE_NOT_ALLOWED',
  'too-small': 'EVIDENCE_TOO_SMALL',
  'too-large': 'EVIDENCE_TOO_LARGE',
  unreadable: 'EVIDENCE_IMAGE_UNREADABLE',
  'image-too-small': 'EVIDENCE_IMAGE_TOO_SMALL',
  'image-too-large': 'EVIDENCE_IMAGE_TOO_LARGE',
};

/**
 * Judges one object version against its kind (Art.3), trusting nothing the
 * client declared: the type comes from the magic bytes and must equal the
 * declared one and be allowed for the kind; the size S3 stored must be the
 * declared size and within the kind's bounds; images must be large enough;
 * a PDF must end with `%%EOF` and carry no JavaScript, Launch or automatic
 * action in what was read (an active PDF opened by a reviewer is a risk, so
 * this makes the item invalid rather than a mere warning); no file may carry
 * a second format's signature in its head (a polyglot).
 */
export function assessEvidence(input: ObjectObservation): Assessment {
  const codes: EvidenceCheckCode[] = [];
  const detectedType = sniffContentType(input.head);
  if (input.storedSize !== input.eventSize || input.storedSize !== input.declaredSize) codes.push('EVIDENCE_SIZE_MISMATCH');
  if (input.checksumVerified === false) codes.push('EVIDENCE_CHECKSUM_MISSING');
  if (!detectedType) codes.push('EVIDENCE_FORMAT_UNRECOGNISED');
  else if (detectedType !== input.declaredContentType) codes.push('EVIDENCE_CONTENT_MISMATCH');

  let dimensions: Dimensions | undefined;
  if (detectedType === 'image/png') dimensions = pngDimensions(input.head);
  if (detectedType === 'image/jpeg') {
    const found = jpegScan([{ offset: 0, bytes: input.head }, ...(input.segments ?? [])]);
    dimensions = found && !('need' in found) ? found : undefined;
  }
  for (const code of checkEvidenceFile(input.kind, {
    contentType: detectedType ?? 'application/octet-stream',
    sizeBytes: input.storedSize,
    width: dimensions?.width,
    height: dimensions?.height,
  })) {
    const mapped = FILE_CHECK_CODES[code];
    // An unrecognised file is already said; "type not allowed" would repeat it.
    if (mapped && !(mapped === 'EVIDENCE_TYPE_NOT_ALLOWED' && !detectedType)) codes.push(mapped);
  }
  if (detectedType === 'application/pdf') {
    const pdf = inspectPdf(input.head, input.tail);
    if (!pdf.eofFound) codes.push('EVIDENCE_PDF_TRUNCATED');
    if (pdf.activeContent.length > 0) codes.push('EVIDENCE_PDF_ACTIVE_CONTENT');
  }
  if (detectedType && polyglotSignatures(input.head, detectedType).length > 0) codes.push('EVIDENCE_POLYGLOT');
  const facts: MeasuredFacts = { sizeBytes: input.storedSize, ...(dimensions ?? {}) };
  const reasons = [...new Set(codes)].map((code) => evidenceReason(input.kind, code, facts));
  return {
    status: reasons.length === 0 ? 'valid' : 'invalid',
    detectedType,
    ...(dimensions ? { width: dimensions.width, height: dimensions.height } : {}),
    reasons,
    reasonCodes: reasonCodesOf(reasons),
  };
}
