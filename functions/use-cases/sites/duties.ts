import { ulid } from 'ulid';
import type { z } from 'zod/mini';
import type { recordTrainingSchema, submitWorkSummarySchema, trainingViewSchema, workSummaryViewSchema } from '../../../schemas/api/duties.schema.ts';
import * as duties from '../../adapters/stores/duties.ts';
import type { Page } from '../../adapters/stores/table.ts';
import { DomainError } from '../../domain/errors.ts';
import { refuseDutyRecord } from '../../domain/site-operations/operating-rules.ts';
import { nowIso, nowMs } from '../../shared/clock.ts';
import { actorOf, type Caller } from '../../shared/identity.ts';
import { ownSite, readableSite } from './site-access.ts';

export type TrainingInput = z.infer<typeof recordTrainingSchema>;
export type TrainingView = z.infer<typeof trainingViewSchema>;
export type WorkSummaryInput = z.infer<typeof submitWorkSummarySchema>;
export type WorkSummaryView = z.infer<typeof workSummaryViewSchema>;

/** A date the request gives that cannot be right (in the future, or a period that ends before it starts). */
export class DutyDateError extends DomainError {
  constructor(code: 'TRAINING_DATE_IN_FUTURE' | 'PERIOD_ENDS_BEFORE_START' | 'PERIOD_NOT_ENDED', zh: string, en: string, article: string) {
    super(code, 'invalid', zh, en, article);
  }
}

/** Today in China (UTC+8), where the organisation and its sites are: a date the site gives is a local date. */
function todayInChina(): string {
  return new Date(nowMs() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** A site may record duties while accredited (ACTIVE or SUSPENDED); WITHDRAWN and REVOKED are refused with their article. */
async function siteForRecording(caller: Caller, siteId: string) {
  const site = await ownSite(caller, siteId);
  const refusal = refuseDutyRecord(site.status);
  if (refusal) throw new DomainError(refusal.code, 'conflict', refusal.zh, refusal.en, refusal.article);
  return site;
}

function trainingView(r: duties.TrainingRecord): TrainingView {
  return {
    trainingId: r.trainingId,
    siteId: r.siteId,
    traineeName: r.traineeName,
    ...(r.traineeRole ? { traineeRole: r.traineeRole } : {}),
    title: r.title,
    trainedOn: r.trainedOn,
    organiser: r.organiser,
    ...(r.hours !== undefined ? { hours: r.hours } : {}),
    recordedAt: r.recordedAt,
  };
}

function summaryView(r: duties.WorkSummaryRecord): WorkSummaryView {
  return { summaryId: r.summaryId, siteId: r.siteId, periodStart: r.periodStart, periodEnd: r.periodEnd, text: r.text, recordedAt: r.recordedAt };
}

/**
 * Art.15: the site records a training of its exam staff: its own training in
 * exam business and professional conduct, or the organisation's
 * exam-organisation training. The trainee is named (never an ID number);
 * the audit item on the site timeline holds no name.
 */
export async function recordTraining(caller: Caller, siteId: string, input: TrainingInput): Promise<TrainingView> {
  const site = await siteForRecording(caller, siteId);
  if (input.trainedOn > todayInChina()) {
    throw new DutyDateError('TRAINING_DATE_IN_FUTURE', '培训日期不能晚于今天。', 'The training date cannot be later than today.', 'Art.15');
  }
  const at = nowIso();
  const record: duties.TrainingRecord = {
    trainingId: ulid(nowMs()),
    siteId: site.siteId,
    traineeName: input.traineeName,
    ...(input.traineeRole ? { traineeRole: input.traineeRole } : {}),
    title: input.title,
    trainedOn: input.trainedOn,
    organiser: input.organiser,
    ...(input.hours !== undefined ? { hours: input.hours } : {}),
    recordedAt: at,
  };
  await duties.recordTraining(record, {
    key: { at, key: caller.requestId },
    event: { actor: actorOf(caller, 'applicant'), action: 'training-recorded', article: 'Art.15', details: { trainingId: record.trainingId, organiser: record.organiser } },
  });
  return trainingView(record);
}

/** Art.16: the site submits its periodic work summary (text only) for a period that has ended. */
export async function submitWorkSummary(caller: Caller, siteId: string, input: WorkSummaryInput): Promise<WorkSummaryView> {
  const site = await siteForRecording(caller, siteId);
  if (input.periodEnd < input.periodStart) {
    throw new DutyDateError('PERIOD_ENDS_BEFORE_START', '总结期间的结束日期早于开始日期。', 'The period ends before it starts.', 'Art.16');
  }
  if (input.periodEnd > todayInChina()) {
    throw new DutyDateError('PERIOD_NOT_ENDED', '只能总结已经结束的期间。', 'A summary covers a period that has ended.', 'Art.16');
  }
  const at = nowIso();
  const record: duties.WorkSummaryRecord = { summaryId: ulid(nowMs()), siteId: site.siteId, periodStart: input.periodStart, periodEnd: input.periodEnd, text: input.text, recordedAt: at };
  await duties.recordWorkSummary(record, {
    key: { at, key: caller.requestId },
    event: { actor: actorOf(caller, 'applicant'), action: 'work-summary-submitted', article: 'Art.16', details: { summaryId: record.summaryId, periodStart: record.periodStart, periodEnd: record.periodEnd } },
  });
  return summaryView(record);
}

/** A site's training records, newest first: its own members, reviewers and admins. */
export async function listTrainings(caller: Caller, siteId: string, page: { cursor?: string; limit?: number }): Promise<Page<TrainingView>> {
  await readableSite(caller, siteId);
  const out = await duties.listTrainings(siteId, page);
  return { items: out.items.map(trainingView), cursor: out.cursor };
}

/** A site's work summaries, newest first: its own members, reviewers and admins. */
export async function listWorkSummaries(caller: Caller, siteId: string, page: { cursor?: string; limit?: number }): Promise<Page<WorkSummaryView>> {
  await readableSite(caller, siteId);
  const out = await duties.listWorkSummaries(siteId, page);
  return { items: out.items.map(summaryView), cursor: out.cursor };
}
