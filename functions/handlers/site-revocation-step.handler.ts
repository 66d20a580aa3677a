import { revocationStepSchema } from '../../schemas/api/site-exit.schema.ts';
import { taskHandler } from '../shared/task.ts';
import { revocationStep } from '../use-cases/site-operations/revocation.ts';

/** Task function `site-revocation-step` of workflows/site-revocation (Art.23, Art.21). */
export const handler = taskHandler(revocationStepSchema, revocationStep);
