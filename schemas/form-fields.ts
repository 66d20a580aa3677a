import * as z from 'zod/mini';
import { isValidCreditCode } from './validators/credit-code.ts';
import { isValidIdNumber } from './validators/id-number.ts';
import { isCityCode, isProvinceCode } from './validators/region-codes.ts';
import { findRelatedMajor, findRelatedMajorByName } from './validators/related-majors.ts';

/**
 * The small parts of the application form (schemas/application-form.schema.ts)
 * that other schemas and records share: code formats, the enumerations, the
 * blank-input pruning and the stored-form upgrade. Apart from the form so
 * that a handler needing a credit-code format does not carry (and build at
 * import) the whole form schema; the form module re-exports all of them.
 */
export const creditCodeSchema = z.string().check(
  z.length(18),
  z.refine(isValidCreditCode, 'Not a unified social credit code (GB 32100-2015 check character)'),
);
export const idNumberSchema = z
  .string()
  .check(z.length(18), z.refine(isValidIdNumber, 'Not an 18-character ID number (ISO 7064 MOD 11-2 check character)'));
export const provinceCodeSchema = z.string().check(z.refine(isProvinceCode, 'Not a GB/T 2260 province code'));
export const cityCodeSchema = z.string().check(z.refine(isCityCode, 'Not a GB/T 2260 prefecture-level city code'));

export const INSTITUTION_TYPES = [
  'higher-vocational-college',
  'undergraduate',
  'secondary-vocational',
  'enterprise',
  'other',
] as const;

/**
 * Art.9(2) 每个考位之间的距离不得小于 1 米（或隔位而坐）: candidates use every
 * seat (seats at least 1 m apart), or every other seat (隔位而坐), which
 * halves the candidates the room holds at once.
 */
export const SEATING_ARRANGEMENTS = ['every-seat', 'alternate-seat'] as const;

export const STAFF_ROLES = [
  'leader',
  'patrol-inspector',
  'invigilator',
  'exam-executor',
  'technical-support',
  'logistics',
] as const;

/** Ordered from weakest to strongest; `other` (e.g. non-Intel) is judged by the reviewer. */
export const CPU_FAMILIES = ['celeron-pentium', 'core-i3', 'core-i5', 'core-i7', 'core-i9', 'other'] as const;
export const SCREEN_ASPECTS = ['16:9', '16:10', '4:3', '5:4', '21:9', 'other'] as const;
export const OS_NAMES = ['windows-7', 'windows-8', 'windows-8.1', 'windows-10', 'windows-11', 'other'] as const;
export const OS_LANGUAGES = ['zh-CN', 'zh-TW', 'en', 'other'] as const;
export const OFFICE_VERSIONS = ['none', '2007', '2010', '2013', '2016', '2019', '2021', '2024', '365', 'other'] as const;

/** Art.11(2)4: what the behaviour-management router must support. */
export const ROUTER_CAPABILITIES = [
  'acl-ip',
  'acl-url-wildcard',
  'dns-filter',
  'keyword-filter',
  'per-user-time-policy',
  'behaviour-management',
  'domain-filter-notice',
  'web-management',
  'remote-management',
  'fixed-lan-ip',
] as const;

export const INCIDENT_KINDS = ['exam-paper-leak', 'stampede', 'other'] as const;

/**
 * Drops `""`, `null` and empty objects left by blank inputs, recursively, so
 * that a draft saved from the portal parses with `draftFormSchema`. Array
 * items are kept in place (their index is part of a path).
 */
export function pruneEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => pruneEmpty(item) ?? {});
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      const pruned = pruneEmpty(inner);
      if (pruned !== undefined) out[key] = pruned;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  if (value === '' || value === null) return undefined;
  return value;
}

/**
 * The shape of the form. Version 1 had free-text majors with a group
 * (`name`, `category`), a seating flag per room (`alternateSeating`) and a
 * multimedia set per room; version 2 chooses majors by catalogue code
 * (Art.9(1)), models the seating arrangement (Art.9(2)) and has one
 * multimedia set for the site (Art.11(2)4).
 */
export const FORM_VERSION = 2;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Upgrades a stored form (complete or draft) of version 1 to version 2;
 * a version-2 form comes back unchanged (idempotent, so it runs on every
 * read). Explicit mapping, nothing guessed silently:
 * - a major is kept when its exact catalogue name or its catalogue code is a
 *   related major of Art.9(1) (the name wins when the two disagree: the name
 *   was required in version 1, the code optional);
 *   otherwise only its enrolment is kept and the applicant must choose the
 *   major again (the draft is then incomplete, so it cannot be submitted
 *   unnoticed). Majors of group `other` never counted and are dropped.
 * - `alternateSeating: true` → `seatingArrangement: 'alternate-seat'`,
 *   `false` → `'every-seat'`.
 * - the site has a multimedia set when any room declared one.
 */
export function upgradeStoredForm(stored: unknown): unknown {
  if (!isObj(stored)) return stored;
  const out: Obj = { ...stored };
  const majors = out.majors;
  if (isObj(majors) && Array.isArray(majors.items)) {
    const items = majors.items.flatMap((item): unknown[] => {
      if (!isObj(item) || !('name' in item || 'category' in item)) return [item];
      if (item.category === 'other') return [];
      const byCode = typeof item.majorCode === 'string' ? findRelatedMajor(item.majorCode) : undefined;
      const byName = typeof item.name === 'string' ? findRelatedMajorByName(item.name) : undefined;
      const chosen = byName && byCode && byName.code !== byCode.code ? byName : (byCode ?? byName);
      return [{ ...(chosen ? { majorCode: chosen.code } : {}), ...(item.annualEnrolment !== undefined ? { annualEnrolment: item.annualEnrolment } : {}) }];
    });
    out.majors = { ...majors, items };
  }
  if (Array.isArray(out.examRooms)) {
    let multimedia: boolean | undefined;
    out.examRooms = out.examRooms.map((room) => {
      if (!isObj(room) || !('alternateSeating' in room || 'multimediaSet' in room)) return room;
      const { alternateSeating, multimediaSet, ...rest } = room;
      if (typeof multimediaSet === 'boolean') multimedia = (multimedia ?? false) || multimediaSet;
      return typeof alternateSeating === 'boolean' && rest.seatingArrangement === undefined
        ? { ...rest, seatingArrangement: alternateSeating ? 'alternate-seat' : 'every-seat' }
        : rest;
    });
    if (multimedia !== undefined) {
      const equipment = isObj(out.equipment) ? out.equipment : {};
      if (equipment.multimediaSet === undefined) out.equipment = { ...equipment, multimediaSet: multimedia };
    }
  }
  return out;
}
