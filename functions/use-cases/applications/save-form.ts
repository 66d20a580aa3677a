import type { Precheck } from '../../../schemas/api/applications.schema.ts';
import { type ApplicationRecord, getApplication, saveApplicationDraft } from '../../adapters/stores/applications.ts';
import { getPilotCollege } from '../../adapters/stores/register.ts';
import { listEvidenceRecords } from '../../adapters/stores/evidence.ts';
import { draftFormSchema, pruneEmpty, upgradeStoredForm } from '../../../schemas/application-form.schema.ts';
import type { ApplicationStatus } from '../../domain/application-lifecycle.ts';
import { ConflictError, DomainError, NotFoundError } from '../../domain/errors.ts';
import { nowIso } from '../../shared/clock.ts';
import { parseWith } from '../../shared/validation.ts';
import type { Caller } from '../../shared/identity.ts';
import { requireMembership } from '../registry/membership.ts';
import { applicationView, type ApplicationView } from './access.ts';
import { evidenceViews, precheckDraft } from './precheck.ts';

/** The applicant edits the form only before submission and after a return for correction (Art.4). */
export const EDITABLE_STATUSES: readonly ApplicationStatus[] = ['DRAFT', 'RETURNED'];

class VersionConflictError extends DomainError {
  constructor(currentVersion: number) {
    super(
      'VERSION_CONFLICT',
      'conflict',
      '申请表已被他人修改，请刷新后再保存。',
      'The form was changed by someone else; reload it before saving.',
      undefined,
      { currentVersion },
    );
  }
}

class VersionRequiredError extends DomainError {
  constructor() {
    super('VERSION_REQUIRED', 'precondition-required', '请提供所编辑的版本号（version 或 If-Match）。', 'Give the version you edited (body `version` or `If-Match`).');
  }
}

function notEditable(status: string): ConflictError {
  return new ConflictError(
    'INVALID_TRANSITION',
    `申请当前状态为 ${status}，只有草稿或退回修改的申请可以编辑。`,
    `The application is ${status}; only a DRAFT or RETURNED application can be edited.`,
    'Art.4',
  );
}

/** `If-Match: "3"`, `W/"3"` or `3` → 3. */
export function versionFromIfMatch(header: string | undefined): number | undefined {
  const match = header?.trim().match(/^(?:W\/)?"?(\d{1,9})"?$/);
  return match ? Number(match[1]) : undefined;
}

/**
 * Saves the draft form under the optimistic lock (409 `VERSION_CONFLICT` on a
 * stale version) and returns it with the live, non-binding pre-check.
 */
export async function saveForm(
  caller: Caller,
  id: string,
  input: { version?: number; ifMatch?: string; form: unknown },
): Promise<{ application: ApplicationView; precheck: Precheck }> {
  const membership = await requireMembership(caller);
  const app = await getApplication(id);
  if (!app || app.creditCode !== membership.creditCode) throw new NotFoundError('Application', '申请');
  const version = input.version ?? versionFromIfMatch(input.ifMatch);
  if (version === undefined) throw new VersionRequiredError();
  if (!EDITABLE_STATUSES.includes(app.status)) throw notEditable(app.status);
  // A portal still open on the version-1 form sends that shape: upgrade it rather than drop its fields.
  const form = parseWith(draftFormSchema, pruneEmpty(upgradeStoredForm(input.form)) ?? {}) as Record<string, unknown>;
  if (app.version !== version) throw new VersionConflictError(app.version);
  const at = nowIso();
  const saved = await saveApplicationDraft({ id, expectedVersion: version, editable: EDITABLE_STATUSES, form, at, by: caller.sub });
  if (!saved) {
    const latest = await getApplication(id);
    if (latest && !EDITABLE_STATUSES.includes(latest.status)) throw notEditable(latest.status);
    throw new VersionConflictError(latest?.version ?? version);
  }
  const stored: ApplicationRecord = { ...app, form, version: version + 1, updatedAt: at };
  const [entry, evidence] = await Promise.all([getPilotCollege(app.creditCode), listEvidenceRecords(id)]);
  const precheck = precheckDraft({
    draft: form,
    institution: { creditCode: app.creditCode, name: app.institutionName },
    pilotRegister: entry ? [entry] : [],
    evidence: evidenceViews(evidence),
    standardVersion: app.standardVersion,
  });
  return { application: applicationView(stored), precheck };
}
