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

/**
 * Where a rule comes from: the regulation's text (`regulation`, with its
 * article), the organisation's reading of it (`policy`, with the reason), or
 * the consistency of the data itself (`integrity`: no article).
 */
export const RULE_BASES = ['regulation', 'policy', 'integrity'] as const;
export type RuleBasis = (typeof RULE_BASES)[number];

export const findingSchema = z.object({
  code: z.string().check(z.regex(/^[A-Z][A-Z0-9_]*$/)),
  /** The article the rule comes from; absent for data-integrity checks. */
  article: z.optional(z.string().check(z.minLength(1))),
  severity: z.enum(FINDING_SEVERITIES),
  /** Absent in results stored before rules were marked. */
  basis: z.optional(z.enum(RULE_BASES)),
  /** For a `policy` rule: why the organisation reads the text this way. */
  policy: z.optional(z.object({ zh: z.string(), en: z.string() })),
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
