import type { Precheck } from '../../../schemas/api/applications.schema.ts';
import { type ApplicationForm, applicationFormSchema, labelForPath } from '../../../schemas/application-form.schema.ts';
import type { EvidenceKind, EvidenceReasonCode, EvidenceStatus, EvidenceTag } from '../../../schemas/evidence.schema.ts';
import type { PilotCollege } from '../../../schemas/pilot-college.schema.ts';
import type { EvidenceItemView } from '../../domain/evidence-requirements.ts';
import { applyRuleMarks, checkEligibility, getStandard, isRefusal, type ScreeningInstitution, screenApplication } from '../../domain/screening/index.ts';

/** Evidence rows as stored, narrowed to what screening reads. */
export function evidenceViews(items: ReadonlyArray<Record<string, unknown>>): EvidenceItemView[] {
  return items
    .filter((item) => typeof item.kind === 'string' && typeof item.status === 'string')
    .map((item) => ({
      kind: item.kind as EvidenceKind,
      status: item.status as EvidenceStatus,
      reasonCodes: Array.isArray(item.reasonCodes) ? (item.reasonCodes as EvidenceReasonCode[]) : [],
      tags: Array.isArray(item.tags) ? (item.tags as EvidenceTag[]) : [],
    }));
}

function institutionPart(draft: unknown): Record<string, unknown> {
  const inst = (draft as { institution?: unknown } | undefined)?.institution;
  return inst && typeof inst === 'object' ? (inst as Record<string, unknown>) : {};
}

/**
 * The live pre-check of a draft: the screening rules run on it against the
 * pilot register, to show findings beside the fields while the applicant
 * types. Not binding: the outcome that counts is the one of screening after
 * submission. A complete form is screened whole; an incomplete one gets the
 * list of what is missing and the eligibility check (Art.3(2)), which needs
 * only the institution.
 */
export function precheckDraft(input: {
  draft: unknown;
  institution: ScreeningInstitution;
  pilotRegister: readonly PilotCollege[];
  evidence: readonly EvidenceItemView[];
  standardVersion: string;
}): Precheck {
  const full = applicationFormSchema.safeParse(input.draft);
  if (full.success) {
    const result = screenApplication({ ...input, form: full.data });
    return { binding: false, complete: true, missing: [], outcome: result.outcome, eligible: result.eligible, standardVersion: result.standardVersion, findings: result.findings };
  }
  const missing = full.error.issues.map((issue) => {
    const path = issue.path.join('.');
    const label = labelForPath(path);
    return { path, message: issue.message, ...(label ? { label } : {}) };
  });
  const given = institutionPart(input.draft);
  const entry = input.pilotRegister.find((p) => p.creditCode === input.institution.creditCode);
  // Eligibility reads only these three fields; the rest of the form is not consulted.
  const partialForm = {
    institution: {
      creditCode: typeof given.creditCode === 'string' ? given.creditCode : input.institution.creditCode,
      name: typeof given.name === 'string' ? given.name : (entry?.name ?? input.institution.name ?? ''),
      cityCode: typeof given.cityCode === 'string' ? given.cityCode : (entry?.cityCode ?? ''),
    },
  } as unknown as ApplicationForm;
  const { findings } = checkEligibility(partialForm, input.institution, input.pilotRegister);
  return {
    binding: false,
    complete: false,
    missing,
    eligible: !findings.some(isRefusal),
    standardVersion: input.standardVersion,
    findings: applyRuleMarks(findings, getStandard(input.standardVersion)),
  };
}
