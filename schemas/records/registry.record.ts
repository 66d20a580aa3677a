import * as z from 'zod/mini';

/**
 * Stored records of the registry area (staff directory, memberships,
 * invitations), as the stores read them back: parsed, never cast. Objects
 * are loose so that an attribute added by a newer writer survives a read.
 */

export const STAFF_ROLES = ['reviewer', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** A member of the organisation's staff directory (reviewers and admins). */
export const staffRecordSchema = z.object({
  sub: z.string(),
  name: z.string(),
  email: z.string(),
  role: z.enum(STAFF_ROLES),
  active: z.boolean(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type StaffRecord = z.infer<typeof staffRecordSchema>;

/** The institution a user acts for: the only source of tenancy. */
export const membershipRecordSchema = z.object({
  sub: z.string(),
  creditCode: z.string(),
  institutionName: z.string(),
  provinceCode: z.string(),
  cityCode: z.string(),
  role: z.literal('site-manager'),
  email: z.string(),
  name: z.string(),
  invitationId: z.string(),
  createdAt: z.string(),
});
export type MembershipRecord = z.infer<typeof membershipRecordSchema>;

export const invitationRecordSchema = z.object({
  invitationId: z.string(),
  codeHash: z.string(),
  creditCode: z.string(),
  institutionName: z.string(),
  provinceCode: z.string(),
  cityCode: z.string(),
  /** Whether the credit code was on the pilot register when invited (eligibility is still decided at screening). */
  onRegister: z.boolean(),
  email: z.string(),
  /** SHA-256 of the normalised address: the key of its e-mail index item (absent on invitations made before that index). */
  emailHash: z.optional(z.string()),
  name: z.string(),
  status: z.enum(['pending', 'accepted']),
  /** ISO time after which the code is refused (410); not the TTL attribute, so expired invitations stay readable. */
  expiresOn: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  acceptedBy: z.optional(z.string()),
  acceptedAt: z.optional(z.string()),
  expiresAt: z.optional(z.number()),
});
export type InvitationRecord = z.infer<typeof invitationRecordSchema>;

/**
 * A pilot-register entry as stored: the shape only (its credit code and
 * region codes were checked when the admin wrote it, `pilotCollegeSchema`).
 */
export const pilotCollegeRecordSchema = z.object({
  creditCode: z.string(),
  name: z.string(),
  provinceCode: z.string(),
  cityCode: z.string(),
  active: z.boolean(),
  note: z.optional(z.string()),
  updatedAt: z.optional(z.string()),
  updatedBy: z.optional(z.string()),
});
