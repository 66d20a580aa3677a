import * as z from 'zod/mini';

/** ULIDs: anything else cannot be an application id (404 without a read). */
export const applicationIdSchema = z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/));
