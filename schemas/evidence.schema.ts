import * as z from 'zod/mini';

/**
 * Supporting evidence (支撑材料) of an application, Art.3: what each kind is,
 * which files are accepted, how many, and for whom it is required. The upload
 * API, the validator, the screening rules and the portal read this one table.
 */
export const EVIDENCE_KINDS = [
  'application-form',
  'legal-person-certificate',
  'manager-id-copy',
  'venue-photo',
  'policies',
  'exam-experience',
  'site-visit-photo',
  'site-document',
  'case-evidence',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
export const evidenceKindSchema = z.enum(EVIDENCE_KINDS);

export const EVIDENCE_CONTENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type EvidenceContentType = (typeof EVIDENCE_CONTENT_TYPES)[number];

/**
 * `missing`: a slot with no upload yet; `pending`: uploaded, not yet
 * validated; `valid` / `invalid`: decided by the validator or a reviewer.
 */
export const EVIDENCE_STATUSES = ['missing', 'pending', 'valid', 'invalid'] as const;
export type EvidenceStatus = (typeof EVIDENCE_STATUSES)[number];

/** Why an item is invalid. The first ones the validator finds in the bytes; the last ones a reviewer sets. */
export const EVIDENCE_REASON_CODES = [
  'content-type-not-allowed',
  'content-mismatch',
  'too-small',
  'too-large',
  'image-too-small',
  'image-too-large',
  'unreadable',
  'encrypted-pdf',
  'not-stamped',
  'illegible',
  'wrong-document',
  'expired-document',
] as const;
export type EvidenceReasonCode = (typeof EVIDENCE_REASON_CODES)[number];

/** The reason codes a reviewer sets on a file the validator accepted (Art.3: stamped, legible, the right document). */
export const REVIEWER_MARKS = ['not-stamped', 'illegible', 'wrong-document', 'expired-document'] as const satisfies readonly EvidenceReasonCode[];
export type ReviewerMark = (typeof REVIEWER_MARKS)[number];

/** Subjects that let one kind require several different files (Art.3(3), Art.3(4)). */
export const EVIDENCE_TAGS = [
  'exam-room',
  'equipment',
  'exam-office',
  'management',
  'safety',
  'confidentiality',
  'other',
] as const;
export type EvidenceTag = (typeof EVIDENCE_TAGS)[number];

/** Who uploads a kind: see {@link EvidenceKindSpec.uploadedBy}. */
export type EvidenceUploader = 'applicant' | 'reviewer' | 'site' | 'admin';

/** `non-pilot`: required only from institutions not on the pilot register (Art.3(2)). */
export type RequiredFor = 'all' | 'non-pilot' | 'none';

export interface EvidenceKindSpec {
  readonly kind: EvidenceKind;
  readonly zh: string;
  readonly en: string;
  readonly article: string;
  readonly contentTypes: readonly EvidenceContentType[];
  readonly minSizeBytes: number;
  readonly maxSizeBytes: number;
  readonly minCount: number;
  readonly maxCount: number;
  /** Smallest image accepted (photos must show the room legibly); long side against `width`, short side against `height`. */
  readonly minImage?: { readonly width: number; readonly height: number };
  /**
   * Largest image accepted, read from the header without decoding: a header
   * declaring tens of thousands of pixels a side is a decompression bomb for
   * whoever opens it (a reviewer's browser), not a photo of a room.
   */
  readonly maxImage?: { readonly width: number; readonly height: number };
  readonly requiredFor: RequiredFor;
  /**
   * `applicant` and `reviewer`: the application's file (Art.3, Art.4).
   * `site` and `admin`: the accredited site's later life (Art.20, Art.21,
   * Art.23): files a site's members or an admin upload after approval, under
   * the same application prefix, never part of the accreditation checklist.
   */
  readonly uploadedBy: EvidenceUploader;
  /** Art.3: the applicant's materials carry its official seal (需加盖申请单位公章); a reviewer checks it. */
  readonly mustBeStamped: boolean;
  /** Tags the valid items must cover between them. */
  readonly requiredTags: readonly EvidenceTag[];
  readonly allowedTags: readonly EvidenceTag[];
}

const MB = 1024 * 1024;
/** Below 1 KiB a PDF or photo cannot hold a legible document: an empty or truncated upload. */
const MIN_BYTES = 1024;
const PDF = ['application/pdf'] as const;
const IMAGES = ['image/jpeg', 'image/png'] as const;
const DOCS = ['application/pdf', 'image/jpeg', 'image/png'] as const;
/** 12,000 px a side: above what a 100 MP camera writes (11,648 × 8,736), far below a header-only bomb of 65,535 or 2^31 px. */
const MAX_PHOTO = { width: 12_000, height: 12_000 } as const;

const spec = (s: Omit<EvidenceKindSpec, 'minSizeBytes' | 'allowedTags' | 'requiredTags'> & Partial<EvidenceKindSpec>) =>
  Object.freeze({ minSizeBytes: MIN_BYTES, requiredTags: [], allowedTags: [], ...s }) as EvidenceKindSpec;

/**
 * Decisions written down: venue photos need at least three valid photos
 * covering an exam room, its equipment and the exam-affairs office; the
 * policies may come as one combined PDF or several, but together they cover
 * management, safety and confidentiality.
 */
export const EVIDENCE_KIND_SPECS: Readonly<Record<EvidenceKind, EvidenceKindSpec>> = Object.freeze({
  'application-form': spec({
    kind: 'application-form',
    zh: '考核站点申请表（盖章）',
    en: 'Application form (stamped)',
    article: 'Art.3(1)',
    contentTypes: PDF,
    maxSizeBytes: 10 * MB,
    minCount: 1,
    maxCount: 1,
    requiredFor: 'all',
    uploadedBy: 'applicant',
    mustBeStamped: true,
  }),
  'legal-person-certificate': spec({
    kind: 'legal-person-certificate',
    zh: '法人资格证书',
    en: 'Legal-person certificate',
    article: 'Art.3(2)',
    contentTypes: DOCS,
    maxSizeBytes: 10 * MB,
    // A scan may come as an image: its size is read and bounded like a photo's (a header-only bomb is refused).
    maxImage: MAX_PHOTO,
    minCount: 1,
    maxCount: 3,
    requiredFor: 'non-pilot',
    uploadedBy: 'applicant',
    mustBeStamped: true,
  }),
  'manager-id-copy': spec({
    kind: 'manager-id-copy',
    zh: '考核站点负责人身份证复印件',
    en: "Site manager's ID-card copy",
    article: 'Art.3(2)',
    contentTypes: DOCS,
    maxSizeBytes: 5 * MB,
    // A scan may come as an image: its size is read and bounded like a photo's (a header-only bomb is refused).
    maxImage: MAX_PHOTO,
    minCount: 1,
    maxCount: 2,
    requiredFor: 'all',
    uploadedBy: 'applicant',
    mustBeStamped: true,
  }),
  'venue-photo': spec({
    kind: 'venue-photo',
    zh: '考核场地环境及配套设备设施照片',
    en: 'Photos of the venue and equipment',
    article: 'Art.3(3)',
    contentTypes: IMAGES,
    maxSizeBytes: 15 * MB,
    minCount: 3,
    maxCount: 30,
    minImage: { width: 1024, height: 768 },
    maxImage: MAX_PHOTO,
    requiredFor: 'all',
    uploadedBy: 'applicant',
    mustBeStamped: false,
    requiredTags: ['exam-room', 'equipment', 'exam-office'],
    allowedTags: ['exam-room', 'equipment', 'exam-office', 'other'],
  }),
  policies: spec({
    kind: 'policies',
    zh: '管理制度、安全制度、保密制度',
    en: 'Management, safety and confidentiality rules',
    article: 'Art.3(4)',
    contentTypes: PDF,
    maxSizeBytes: 20 * MB,
    minCount: 1,
    maxCount: 10,
    requiredFor: 'all',
    uploadedBy: 'applicant',
    mustBeStamped: true,
    requiredTags: ['management', 'safety', 'confidentiality'],
    allowedTags: ['management', 'safety', 'confidentiality', 'other'],
  }),
  'exam-experience': spec({
    kind: 'exam-experience',
    zh: '国家级统一考试的组织经验',
    en: 'Experience organising national unified exams',
    article: 'Art.3(4)',
    contentTypes: PDF,
    maxSizeBytes: 20 * MB,
    minCount: 1,
    maxCount: 10,
    requiredFor: 'all',
    uploadedBy: 'applicant',
    mustBeStamped: true,
  }),
  'site-visit-photo': spec({
    kind: 'site-visit-photo',
    zh: '实地考察照片',
    en: 'Site-visit photos',
    article: 'Art.4',
    contentTypes: IMAGES,
    maxSizeBytes: 15 * MB,
    minCount: 0,
    maxCount: 50,
    minImage: { width: 1024, height: 768 },
    maxImage: MAX_PHOTO,
    requiredFor: 'none',
    uploadedBy: 'reviewer',
    mustBeStamped: false,
  }),
  // The site's later life: attachments of what the site answers or reports, never required for accreditation.
  'site-document': spec({
    kind: 'site-document',
    zh: '考核站点文件（检查评估汇报、整改报告、陈述申辩的附件）',
    en: 'Site document (attachment of an evaluation report, a rectification report or a representation)',
    article: 'Art.20, Art.21, Art.23',
    contentTypes: DOCS,
    maxSizeBytes: 20 * MB,
    // A photo of the rectified room or a scan: its size is read and bounded like a photo's (a header-only bomb is refused).
    maxImage: MAX_PHOTO,
    minCount: 0,
    maxCount: 200,
    requiredFor: 'none',
    uploadedBy: 'site',
    mustBeStamped: false,
  }),
  'case-evidence': spec({
    kind: 'case-evidence',
    zh: '撤销案件证据',
    en: 'Revocation case evidence',
    article: 'Art.23',
    contentTypes: DOCS,
    maxSizeBytes: 20 * MB,
    maxImage: MAX_PHOTO,
    minCount: 0,
    maxCount: 100,
    requiredFor: 'none',
    uploadedBy: 'admin',
    mustBeStamped: false,
  }),
});

/** The kinds of the accredited site's later life (Art.20, Art.21, Art.23): uploaded after approval, outside the application's checklist. */
export const SITE_LIFE_KINDS = EVIDENCE_KINDS.filter((kind) => {
  const by = EVIDENCE_KIND_SPECS[kind].uploadedBy;
  return by === 'site' || by === 'admin';
});

/** True for a kind of the site's later life (not part of the application's file). */
export function isSiteLifeKind(kind: string): boolean {
  return (SITE_LIFE_KINDS as readonly string[]).includes(kind);
}

/** One uploaded file (one S3 object version) and what is known about it. */
export const evidenceItemSchema = z.object({
  evidenceId: z.string().check(z.minLength(1), z.maxLength(64)),
  kind: evidenceKindSchema,
  status: z.enum(EVIDENCE_STATUSES),
  reasonCodes: z._default(z.array(z.enum(EVIDENCE_REASON_CODES)).check(z.maxLength(EVIDENCE_REASON_CODES.length)), []),
  tags: z._default(z.array(z.enum(EVIDENCE_TAGS)).check(z.maxLength(EVIDENCE_TAGS.length)), []),
  fileName: z.optional(z.string().check(z.minLength(1), z.maxLength(255))),
  contentType: z.optional(z.enum(EVIDENCE_CONTENT_TYPES)),
  sizeBytes: z.optional(z.int().check(z.gte(0))),
  width: z.optional(z.int().check(z.gte(0))),
  height: z.optional(z.int().check(z.gte(0))),
  sha256: z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/))),
  objectKey: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
  versionId: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
  uploadedAt: z.optional(z.iso.datetime()),
  validatedAt: z.optional(z.iso.datetime()),
});
export type EvidenceItem = z.infer<typeof evidenceItemSchema>;

/** Labels of the reasons, for the portal and for findings. */
export const EVIDENCE_REASON_LABELS: Readonly<Record<EvidenceReasonCode, { zh: string; en: string }>> = Object.freeze({
  'content-type-not-allowed': { zh: '文件类型不允许', en: 'file type not allowed' },
  'content-mismatch': { zh: '文件内容与声明的类型不符', en: 'content does not match the declared type' },
  'too-small': { zh: '文件过小', en: 'file too small' },
  'too-large': { zh: '文件过大', en: 'file too large' },
  'image-too-small': { zh: '图片分辨率过低', en: 'image resolution too low' },
  'image-too-large': { zh: '图片尺寸过大', en: 'image dimensions too large' },
  unreadable: { zh: '文件无法读取', en: 'file unreadable' },
  'encrypted-pdf': { zh: 'PDF 已加密', en: 'PDF is encrypted' },
  'not-stamped': { zh: '未加盖单位公章', en: 'official seal missing' },
  illegible: { zh: '内容不清晰', en: 'illegible' },
  'wrong-document': { zh: '不是所要求的材料', en: 'not the requested document' },
  'expired-document': { zh: '证件已过期', en: 'document expired' },
});
