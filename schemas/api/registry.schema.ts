import * as z from 'zod/mini';
import { cityCodeSchema, creditCodeSchema, provinceCodeSchema } from '../form-fields.ts';
import { pilotCollegeSchema } from '../pilot-college.schema.ts';
import type { ApiRouteSchemas } from './route-schemas.ts';
import { pageQuerySchema } from './page-query.schema.ts';


/**
 * Bodies of the registry routes: the staff directory, memberships, the
 * pilot-college register (Art.3(2)) and invitations.
 */
const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const isoTime = z.iso.datetime();


export const STAFF_ROLES = ['reviewer', 'admin'] as const;
export const staffRoleSchema = z.enum(STAFF_ROLES);

export const putStaffBodySchema = z.object({
  name: text(100),
  email: z.email(),
  role: staffRoleSchema,
  active: z.boolean(),
});
export type PutStaffBody = z.infer<typeof putStaffBodySchema>;

export const staffMemberSchema = z.object({
  sub: text(200),
  name: text(100),
  email: z.email(),
  role: staffRoleSchema,
  active: z.boolean(),
  updatedAt: isoTime,
  updatedBy: text(200),
});

export const staffPageSchema = z.object({ items: z.array(staffMemberSchema), cursor: z.optional(z.string()) });

export const membershipViewSchema = z.object({
  creditCode: creditCodeSchema,
  name: text(100),
  provinceCode: provinceCodeSchema,
  cityCode: cityCodeSchema,
  role: z.literal('site-manager'),
  since: isoTime,
});

export const meResponseSchema = z.object({
  sub: text(200),
  name: z.optional(z.string()),
  email: z.optional(z.string()),
  groups: z.array(z.enum(['applicant', 'reviewer', 'admin'])),
  membership: z.optional(membershipViewSchema),
  staff: z.optional(staffMemberSchema),
});

/** PUT body of one register entry; the credit code is the path parameter. */
export const pilotCollegeBodySchema = z.object({
  name: text(100),
  provinceCode: provinceCodeSchema,
  cityCode: cityCodeSchema,
  active: z._default(z.boolean(), true),
  note: z.optional(z.string().check(z.maxLength(500))),
});
export type PilotCollegeBody = z.infer<typeof pilotCollegeBodySchema>;

export const pilotCollegeListQuerySchema = z.extend(pageQuerySchema, {
  provinceCode: z.optional(provinceCodeSchema),
});

export const pilotCollegePageSchema = z.object({ items: z.array(pilotCollegeSchema), cursor: z.optional(z.string()) });

/** Most rows one import takes; larger registers are imported in several calls. */
export const MAX_IMPORT_ROWS = 1000;
/** Rows per all-or-nothing transaction (each row writes the entry and its audit item: 50 of the 100 items allowed). */
export const IMPORT_BATCH_SIZE = 25;

/** One row of an import, as given (JSON); CSV rows have the first four columns. */
export const importRowSchema = z.object({
  creditCode: z.string(),
  name: z.string(),
  provinceCode: z.string(),
  cityCode: z.string(),
  active: z.optional(z.boolean()),
  note: z.optional(z.string()),
});

export const importJsonBodySchema = z.union([
  z.array(importRowSchema).check(z.maxLength(MAX_IMPORT_ROWS)),
  z.object({ rows: z.array(importRowSchema).check(z.maxLength(MAX_IMPORT_ROWS)) }),
]);

export const importCsvBodySchema = z.string().check(z.regex(/^\uFEFF?creditCode,name,provinceCode,cityCode/));

export const rowErrorSchema = z.object({
  /** 1-based data row (the CSV header is not counted). */
  row: z.int(),
  creditCode: z.optional(z.string()),
  issues: z.array(z.object({ path: z.string(), message: z.string() })),
});

export const importReportSchema = z.object({
  received: z.int(),
  written: z.int(),
  /** True when every batch was written; a failed batch changed nothing and the import can be sent again (rows are upserts). */
  complete: z.boolean(),
  batches: z.array(
    z.object({
      batch: z.int(),
      firstRow: z.int(),
      lastRow: z.int(),
      status: z.enum(['written', 'failed', 'not-attempted']),
    }),
  ),
  rowErrors: z.array(rowErrorSchema),
});
export type ImportReport = z.infer<typeof importReportSchema>;

export const createInvitationBodySchema = z.object({
  creditCode: creditCodeSchema,
  /** The invitee (the college's site manager). */
  email: z.email(),
  name: text(50),
  /** Needed only when the credit code is not on the pilot register; otherwise taken from the register. */
  institutionName: z.optional(text(100)),
  provinceCode: z.optional(provinceCodeSchema),
  cityCode: z.optional(cityCodeSchema),
});
export type CreateInvitationBody = z.infer<typeof createInvitationBodySchema>;

export const invitationViewSchema = z.object({
  invitationId: text(64),
  creditCode: creditCodeSchema,
  institutionName: text(100),
  onRegister: z.boolean(),
  email: z.email(),
  expiresOn: isoTime,
});

/** What became of an invitation: `expired` is a pending one past its `expiresOn` (the code is then refused with 410). */
export const INVITATION_STATES = ['pending', 'accepted', 'expired'] as const;

/** An invitation as the admin's list shows it: whom it went to, and whether it was accepted (no item carries the code or its hash). */
export const invitationListItemSchema = z.object({
  ...invitationViewSchema.shape,
  name: text(100),
  provinceCode: provinceCodeSchema,
  cityCode: cityCodeSchema,
  state: z.enum(INVITATION_STATES),
  createdAt: isoTime,
  createdBy: text(200),
  acceptedAt: z.optional(isoTime),
});
export type InvitationListItem = z.infer<typeof invitationListItemSchema>;

export const invitationPageSchema = z.object({ items: z.array(invitationListItemSchema), cursor: z.optional(z.string()) });

export const acceptInvitationBodySchema = z.object({ code: z.string().check(z.regex(/^[A-Za-z0-9_-]{20,100}$/)) });

export const registryApiSchemas: Readonly<Record<string, ApiRouteSchemas>> = {
  'GET /v1/openapi.json': {
    tag: 'platform',
    summary: 'This OpenAPI 3.1 document (no sign-in)',
  },
  'GET /v1/me': {
    tag: 'registry',
    summary: 'Who am I: groups, the institution of my membership, my staff entry',
    response: meResponseSchema,
  },
  'GET /v1/admin/staff': {
    tag: 'registry',
    summary: 'The staff directory (reviewers and admins)',
    query: pageQuerySchema,
    response: staffPageSchema,
  },
  'PUT /v1/admin/staff/{sub}': {
    tag: 'registry',
    summary: 'Create or update a staff member; the workflow assigns reviews from the active reviewers',
    request: putStaffBodySchema,
    response: staffMemberSchema,
  },
  'GET /v1/admin/pilot-colleges': {
    tag: 'registry',
    summary: 'The pilot-college register (Art.3(2)), by province',
    query: pilotCollegeListQuerySchema,
    response: pilotCollegePageSchema,
  },
  'PUT /v1/admin/pilot-colleges/{creditCode}': {
    tag: 'registry',
    summary: 'Create or update a register entry (audited)',
    request: pilotCollegeBodySchema,
    response: pilotCollegeSchema,
  },
  'DELETE /v1/admin/pilot-colleges/{creditCode}': {
    tag: 'registry',
    summary: 'Mark a register entry inactive (history kept, audited)',
    response: pilotCollegeSchema,
    errors: [404],
  },
  'POST /v1/admin/pilot-colleges/import': {
    tag: 'registry',
    summary: 'Import up to 1,000 register entries (JSON array or CSV); all or nothing per batch of 25',
    description:
      'Every row is validated first (credit code check character, GB/T 2260 codes, city within province); any row error refuses the whole import with 400 and the row report. Valid imports are written in batches of 25, each one transaction.',
    request: importJsonBodySchema,
    requestAlternatives: { 'text/csv': importCsvBodySchema },
    response: importReportSchema,
  },
  'POST /v1/admin/invitations': {
    tag: 'registry',
    summary: 'Invite a college site manager by e-mail (code valid 14 days)',
    request: createInvitationBodySchema,
    headers: { 'idempotency-key': 'Replays the first response for 24 h' },
    response: invitationViewSchema,
    status: 201,
  },
  'GET /v1/admin/invitations': {
    tag: 'registry',
    summary: 'The invitations sent, newest first, each pending, accepted or expired (admin)',
    query: pageQuerySchema,
    response: invitationPageSchema,
  },
  'POST /v1/invitations/accept': {
    tag: 'registry',
    summary: 'Accept an invitation: the signed-in user becomes a member of the institution',
    request: acceptInvitationBodySchema,
    response: membershipViewSchema,
    status: 201,
    errors: [404, 409, 410],
  },
};
