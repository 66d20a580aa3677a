import type { z } from 'zod/mini';
import { ValidationError } from '../domain/errors.ts';

/** Validates any value with a zod/mini schema; `ValidationError` with the issues otherwise. */
export function parseWith<S extends z.ZodMiniType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ValidationError(
      result.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code, message: i.message })),
    );
  }
  return result.data as z.infer<S>;
}
