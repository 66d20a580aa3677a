import * as z from 'zod/mini';

/**
 * A finding of the screening rules: one check of Art.3 or Art.9–11 that the
 * application does not meet. `blocking` means the minimum of the standard is
 * not met (the application is returned or refused); `advisory` means it is
 * below the recommended configuration or needs a reviewer's judgement.
 *
 * `path` is a dotted path into the application form (`examRooms.0.seats`)
 * or `evidence.<kind>` for supporting evidence; `params` carries the figures
 * the messages name, for the portal to highlight.
 */
export const FINDING_SEVERITIES = ['blocking', 'advisory'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

export const findingSchema = z.object({
  code: z.string().check(z.regex(/^[A-Z][A-Z0-9_]*$/)),
  article: z.string().check(z.minLength(1)),
  severity: z.enum(FINDING_SEVERITIES),
  path: z.string(),
  zh: z.string().check(z.minLength(1)),
  en: z.string().check(z.minLength(1)),
  params: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))),
});
export type Finding = z.infer<typeof findingSchema>;

export const SCREENING_OUTCOMES = ['pass', 'return', 'refuse'] as const;
export type ScreeningOutcome = (typeof SCREENING_OUTCOMES)[number];

/** What screening stores with the application and sends to the workflow. */
export const screeningResultSchema = z.object({
  standardVersion: z.string().check(z.minLength(1)),
  eligible: z.boolean(),
  outcome: z.enum(SCREENING_OUTCOMES),
  findings: z.array(findingSchema),
});
export type ScreeningResult = z.infer<typeof screeningResultSchema>;
