import { EVIDENCE_KINDS, type EvidenceKind } from '../../schemas/evidence.schema.ts';

/**
 * Object keys of the evidence bucket, and the few other names that end up in
 * S3 or in a download (sequencers, file names). Pure: no AWS.
 *
 * | object | key |
 * |---|---|
 * | an evidence item (every kind, site-visit photos included) | `applications/<applicationId>/<kind>/<itemId>` |
 * | the quarantined copy of an invalid version | `quarantine/applications/<applicationId>/<kind>/<itemId>/<versionId>` |
 *
 * The item id is a ULID made by the server; nothing the client sends (least of
 * all its file name) becomes part of a key.
 */

/** Crockford base32, 26 characters: what `ulid()` makes. */
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
/** Application ids are made by the server too; this bounds what a URL path may carry into a key. */
const APPLICATION_ID = /^[0-9A-Za-z_-]{1,64}$/;
/** S3 version ids are opaque but URL-safe (`null` for unversioned objects, which the bucket never has). */
const VERSION_ID = /^[0-9A-Za-z._-]{1,1024}$/;

export const EVIDENCE_PREFIX = 'applications/';
export const QUARANTINE_PREFIX = 'quarantine/';

/** The parts of an evidence object key. */
export interface EvidenceKeyParts {
  readonly applicationId: string;
  readonly kind: EvidenceKind;
  readonly itemId: string;
}

export function isUlid(value: string): boolean {
  return ULID.test(value);
}

export function isApplicationId(value: string): boolean {
  return APPLICATION_ID.test(value);
}

function isKind(value: string): value is EvidenceKind {
  return (EVIDENCE_KINDS as readonly string[]).includes(value);
}

/**
 * The key an item's upload must land on.
 * @throws RangeError when a part could not have been made by the server.
 */
export function evidenceObjectKey(parts: EvidenceKeyParts): string {
  if (!isApplicationId(parts.applicationId) || !isKind(parts.kind) || !isUlid(parts.itemId)) {
    throw new RangeError('not an evidence key');
  }
  return `${EVIDENCE_PREFIX}${parts.applicationId}/${parts.kind}/${parts.itemId}`;
}

/**
 * Parses an object key (raw, as the EventBridge event carries it) back into
 * its parts; `undefined` for anything that is not exactly an evidence key
 * (quarantine copies, other prefixes, extra or missing segments, unknown kinds).
 */
export function parseEvidenceKey(key: string): EvidenceKeyParts | undefined {
  if (!key.startsWith(EVIDENCE_PREFIX)) return undefined;
  const segments = key.slice(EVIDENCE_PREFIX.length).split('/');
  if (segments.length !== 3) return undefined;
  const [applicationId, kind, itemId] = segments as [string, string, string];
  if (!isApplicationId(applicationId) || !isKind(kind) || !isUlid(itemId)) return undefined;
  return { applicationId, kind, itemId };
}

/** Where an invalid object version is kept, out of reviewers' reach, until the lifecycle rule expires it. */
export function quarantineKey(parts: EvidenceKeyParts, versionId: string): string {
  if (!VERSION_ID.test(versionId)) throw new RangeError('not a version id');
  return `${QUARANTINE_PREFIX}${evidenceObjectKey(parts)}/${versionId}`;
}

/** Width all stored sequencers are padded to; S3's are 16-20 hex digits today. */
const SEQUENCER_WIDTH = 64;

/**
 * An S3 event `sequencer` in a form that compares as a string: upper-case,
 * right-padded with zeros to one width (S3: "the sequencers can be of
 * different lengths; right pad the shorter value with zeros, then compare
 * lexicographically"). Stored so that a DynamoDB condition `<` orders events.
 * @returns undefined when the value is not a hex string.
 */
export function normaliseSequencer(sequencer: string): string | undefined {
  if (!/^[0-9A-Fa-f]{1,64}$/.test(sequencer)) return undefined;
  return sequencer.toUpperCase().padEnd(SEQUENCER_WIDTH, '0');
}

/** Negative when `a` is older than `b`, zero when the same event, positive when newer (both normalised). */
export function compareSequencers(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const EXTENSIONS: Record<string, readonly string[]> = {
  'application/pdf': ['.pdf'],
  'image/jpeg': ['.jpg', '.jpeg'],
  'image/png': ['.png'],
};

/**
 * A display name from what the client called its file: no path, no control
 * or bidi-override characters, at most 120 characters, and an extension that
 * matches the type the file was validated as (a PDF is never downloaded as
 * `report.exe`). Never used in a key.
 */
export function sanitiseFileName(name: string, contentType: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  let clean = base
    .normalize('NFC')
    // C0/C1 controls, bidi overrides and isolates, zero-width characters.
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/["*:<>?|]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  const extensions = EXTENSIONS[contentType] ?? [];
  const lower = clean.toLowerCase();
  const hasExtension = extensions.some((ext) => lower.endsWith(ext));
  const extension = hasExtension ? '' : (extensions[0] ?? '');
  const stem = hasExtension ? clean : clean.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  clean = `${Array.from(stem || 'evidence').slice(0, 120 - extension.length).join('')}${extension}`;
  return clean;
}

/**
 * A `Content-Disposition` that makes browsers save, not display, the file:
 * an ASCII fallback plus the UTF-8 name (RFC 6266 / RFC 5987).
 */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Object tag the validator sets on an invalid upload version so that lifecycle removes it. */
export const QUARANTINE_TAG = { key: 'quarantine', value: 'true' } as const;

/**
 * The object tag marking the evidence of an application that ended without a
 * site (rejected, refused, closed): the bucket's lifecycle deletes tagged
 * objects `evidenceRetentionDays` later, so ID-card copies are kept no longer
 * than the retention policy says (PIPL).
 */
export const RETENTION_TAG = { key: 'retention', value: 'application-ended' } as const;
