import { getPilotCollege } from '../../adapters/stores/register.ts';
import { listEvidenceRecords } from '../../adapters/stores/evidence.ts';
import { transitionApplication, type ApplicationRecord } from '../../adapters/stores/applications.ts';
import { screenApplication } from '../../domain/screening/index.ts';
import type { EvidenceItemView } from '../../domain/evidence-requirements.ts';
import { ValidationError } from '../../domain/errors.ts';
import { applicationFormSchema, pruneEmpty, upgradeStoredForm } from '../../../schemas/application-form.schema.ts';
import type { ScreenTaskInput } from '../../../schemas/api/accreditation.schema.ts';
import type { ScreeningOutcome, ScreeningResult } from '../../../schemas/findings.schema.ts';
import { nowMs } from '../../shared/clock.ts';
import { appConfig } from '../../shared/env.ts';
import { isSubmittedEvidence } from '../../domain/evidence-requirements.ts';
import { mustGetApplication, stepAuditKey, workflowActor, workflowDeadlines } from './workflow-step.ts';
import { businessMetrics } from '../../shared/metrics.ts';

/** What `ScreenApplication` hands the workflow (its `$.screening`). */
export interface ScreeningStepResult {
  readonly applicationId: string;
  readonly institutionId: string;
  readonly outcome: ScreeningOutcome;
  /** Submission round (1 for the first). */
  readonly round: number;
  /** Returns so far; `CheckReturnRounds` compares it with `maxReturnRounds`. */
  readonly returnsSoFar: number;
  readonly maxReturnRounds: number;
  readonly findingsCount: number;
  readonly deadlines: ReturnType<typeof workflowDeadlines>;
}

/** The workflow's `$.screening` of an application (also what a resumed execution starts with). */
export function screeningStepResult(app: ApplicationRecord & { returnCount?: number }, screening: ScreeningResult | undefined = app.screening): ScreeningStepResult {
  return {
    applicationId: app.id,
    institutionId: app.creditCode,
    outcome: screening?.outcome ?? 'pass',
    round: app.round ?? 1,
    returnsSoFar: app.returnCount ?? 0,
    maxReturnRounds: appConfig().deadlines.maxReturnRounds,
    findingsCount: screening?.findings.length ?? 0,
    deadlines: workflowDeadlines(),
  };
}

/**
 * SUBMITTED → SCREENING with the screening result (Art.3, Art.9–11) stored in
 * the same transaction. The form is screened as stored, with the evidence
 * summary and the applicant's pilot-register entry (eligibility, Art.3(2)).
 * A retry after the write returns the stored result.
 */
export async function screenApplicationStep(input: ScreenTaskInput): Promise<ScreeningStepResult> {
  const app: ApplicationRecord = await mustGetApplication(input.applicationId);
  if (app.creditCode !== input.institutionId) {
    throw new ValidationError([{ path: 'institutionId', message: 'does not match the application' }]);
  }
  const key = stepAuditKey(input.audit);
  if (app.status === 'SCREENING' && app.screening && app.screenedAt === key.at) return screeningStepResult(app, app.screening);

  const form = applicationFormSchema.safeParse(pruneEmpty(upgradeStoredForm(app.form)));
  if (!form.success) throw new ValidationError(form.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })), 'The stored form is not complete.', '已保存的申请表不完整。');
  // As the portal lists them (list-evidence): an upload granted but never made, or withdrawn, is no evidence;
  // counted as pending it would hide what is really missing behind "still being validated".
  const atMs = nowMs();
  const evidence: EvidenceItemView[] = (await listEvidenceRecords(app.id))
    .filter((item) => isSubmittedEvidence(item, atMs))
    .map((item) => ({
      kind: item.kind as EvidenceItemView['kind'],
      status: item.status as EvidenceItemView['status'],
      reasonCodes: (item.reasonCodes ?? []) as EvidenceItemView['reasonCodes'],
      tags: item.tags as EvidenceItemView['tags'],
    }));
  const pilot = await getPilotCollege(app.creditCode);
  const screening = screenApplication({
    form: form.data,
    evidence,
    institution: { creditCode: app.creditCode, name: app.institutionName },
    pilotRegister: pilot ? [pilot] : [],
    standardVersion: app.standardVersion,
  });
  const { record } = await transitionApplication({
    id: app.id,
    triggers: ['start-screening'],
    set: { screening, screenedAt: key.at, screeningOutcome: screening.outcome },
    audit: {
      key,
      event: {
        actor: workflowActor(input.audit),
        reason: `screening ${screening.outcome} (${screening.findings.length} findings, standard ${screening.standardVersion})`,
        details: { outcome: screening.outcome, findings: screening.findings.length, standardVersion: screening.standardVersion },
      },
    },
  });
  businessMetrics.screeningOutcome(screening.outcome);
  return screeningStepResult(record, record.screening ?? screening);
}
