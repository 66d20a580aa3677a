import type { z } from 'zod/mini';

/** What each area's `schemas/api/<area>.schema.ts` says about one HTTP route (collected in `index.ts`). */
export interface ApiRouteSchemas {
  readonly summary: string;
  readonly description?: string;
  /** Grouping in the document (`registry`, `applications`, …). */
  readonly tag?: string;
  /** JSON body. */
  readonly request?: z.ZodMiniType;
  /** Other accepted body media types, e.g. `text/csv`, with their schema. */
  readonly requestAlternatives?: Readonly<Record<string, z.ZodMiniType>>;
  /** Query-string parameters (an object schema of strings). */
  readonly query?: z.ZodMiniObject;
  /** Optional request headers by name, with a description. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly response?: z.ZodMiniType;
  /** Status of the success response; default 200. */
  readonly status?: number;
  /** Other success answers by status (e.g. 202 while a report is being computed), each with its body. */
  readonly otherResponses?: Readonly<Record<number, { readonly description: string; readonly schema: z.ZodMiniType }>>;
  /** Error statuses the route documents besides 400/401/403/500. */
  readonly errors?: readonly number[];
}
