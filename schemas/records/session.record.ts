import * as z from 'zod/mini';
import { SESSION_STATUSES } from '../statuses.ts';

/** An exam session as stored (Art.13–14); no candidate data in it. */
export const sessionRecordSchema = z.looseObject({
  sessionId: z.string(),
  siteId: z.string(),
  /** The institution (credit code) whose members may write it. */
  institutionId: z.string(),
  title: z.optional(z.string()),
  status: z.enum(SESSION_STATUSES),
  version: z.number(),
  startsAt: z.string(),
  endsAt: z.string(),
  rooms: z.array(z.string()),
  capacity: z.number(),
  registeredCount: z.number(),
  /** The version of the eligibility rule its candidates were checked with (Art.14). */
  eligibilityRule: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  cancelled: z.optional(z.object({ at: z.string(), reason: z.string(), by: z.string() })),
  held: z.optional(
    z.object({
      at: z.string(),
      present: z.number(),
      absent: z.number(),
      countsAsHeld: z.boolean(),
      violations: z.array(z.object({ description: z.string(), candidateId: z.optional(z.string()) })),
      incidents: z.array(z.object({ description: z.string() })),
    }),
  ),
  /** Epoch seconds: DynamoDB TTL deletes the record after the retention setting. */
  expiresAt: z.number(),
});
export type SessionRecord = z.infer<typeof sessionRecordSchema>;

/**
 * A candidate of a session: the name, the masked ID number and the keyed
 * hash (the duplicate check, in the key) — never the ID number itself.
 */
export const candidateRecordSchema = z.looseObject({
  candidateId: z.string(),
  sessionId: z.string(),
  name: z.string(),
  idNumberMasked: z.string(),
  idHash: z.string(),
  category: z.string(),
  registeredAt: z.string(),
  registeredBy: z.string(),
  expiresAt: z.number(),
});
export type CandidateRecord = z.infer<typeof candidateRecordSchema>;

/** Attendance of a held session, one item beside its candidates (the session item stays small). */
export const sessionResultRecordSchema = z.looseObject({
  sessionId: z.string(),
  attendance: z.array(z.object({ candidateId: z.string(), present: z.boolean() })),
  recordedAt: z.string(),
  expiresAt: z.number(),
});
export type SessionResultRecord = z.infer<typeof sessionResultRecordSchema>;
