import * as z from 'zod/mini';
import { STAFF_ROLES } from '../form-fields.ts';

/**
 * The site's duties on record (Art.15–16), as stored (`functions/adapters/stores/duties.ts`).
 * A trainee is named, never identified by an ID number (PIPL: no more than the purpose needs).
 */

/** Art.15: who organised a training: the site itself (exam business and professional conduct), or the training-evaluation organisation (exam organisation). */
export const TRAINING_ORGANISERS = ['site', 'organisation'] as const;

export const trainingRecordSchema = z.looseObject({
  trainingId: z.string(),
  siteId: z.string(),
  traineeName: z.string(),
  /** Art.10: the trainee's role in the exam team, when given. */
  traineeRole: z.optional(z.enum(STAFF_ROLES)),
  title: z.string(),
  trainedOn: z.string(),
  organiser: z.enum(TRAINING_ORGANISERS),
  hours: z.optional(z.number()),
  recordedAt: z.string(),
});
export type TrainingRecord = z.infer<typeof trainingRecordSchema>;

/** Art.16: a periodic work summary; text only (no files). */
export const workSummaryRecordSchema = z.looseObject({
  summaryId: z.string(),
  siteId: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  text: z.string(),
  recordedAt: z.string(),
});
export type WorkSummaryRecord = z.infer<typeof workSummaryRecordSchema>;
