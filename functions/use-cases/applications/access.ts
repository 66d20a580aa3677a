import type { z } from 'zod/mini';
import type { applicationSummarySchema, applicationViewSchema } from '../../../schemas/api/applications.schema.ts';
import { applicationIdSchema } from '../../../schemas/api/application-id.schema.ts';
import { type ApplicationRecord, getApplication , type ApplicationStatusRecord } from '../../adapters/stores/applications.ts';
import { getMembership } from '../../adapters/stores/staff.ts';
import type { ApplicationStatus } from '../../domain/application-lifecycle.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { upgradeStoredForm } from '../../../schemas/form-fields.ts';
import type { Caller } from '../../shared/identity.ts';

export type ApplicationSummary = z.infer<typeof applicationSummarySchema>;
export type ApplicationView = z.infer<typeof applicationViewSchema>;

/** Statuses an application is finished in; any other status counts as open. */
export const CLOSED_STATUSES: readonly ApplicationStatus[] = ['APPROVED', 'REJECTED', 'CLOSED'];

/** Reviewers and admins of the organisation see every application. */
export function isStaff(caller: Caller): boolean {
  return caller.groups.includes('reviewer') || caller.groups.includes('admin');
}

export function applicationSummary(app: ApplicationStatusRecord): ApplicationSummary {
  return {
    id: app.id,
    creditCode: app.creditCode,
    institutionName: app.institutionName,
    provinceCode: app.provinceCode,
    cityCode: app.cityCode,
    status: app.status,
    version: app.version,
    round: app.round,
    standardVersion: app.standardVersion,
    createdAt: app.createdAt,
    updatedAt: app.updatedAt,
  };
}

export function applicationView(app: ApplicationRecord): ApplicationView {
  // Drafts stored in form version 1 are shown upgraded (and saved upgraded at the next save).
  return { ...applicationSummary(app), form: (upgradeStoredForm(app.form ?? {}) as Record<string, unknown>) ?? {} };
}

const notFound = () => new NotFoundError('Application', '申请');

/**
 * An application the caller may see: staff see all; an applicant only those
 * of the institution of their membership. Anything else is 404, so that an
 * applicant cannot learn that another institution's application exists.
 */
export async function loadVisibleApplication(caller: Caller, id: string): Promise<ApplicationRecord> {
  if (!applicationIdSchema.safeParse(id).success) throw notFound();
  const [app, membership] = await Promise.all([getApplication(id), isStaff(caller) ? undefined : getMembership(caller.sub)]);
  if (!app) throw notFound();
  if (isStaff(caller)) return app;
  if (!membership || membership.creditCode !== app.creditCode) throw notFound();
  return app;
}
