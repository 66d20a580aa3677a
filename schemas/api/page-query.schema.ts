import * as z from 'zod/mini';

/**
 * `?cursor=&limit=` of every paged list (the cursor is opaque). A module of
 * its own: the lists of every aggregate use it, and importing it from the
 * registry's schemas built all of those at every cold start.
 */
export const pageQuerySchema = z.object({
  cursor: z.optional(z.string().check(z.maxLength(2000))),
  limit: z.optional(z.string().check(z.regex(/^\d{1,3}$/, 'limit is a number from 1 to 200'))),
});
