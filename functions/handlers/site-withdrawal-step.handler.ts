import { withdrawalStepSchema } from '../../schemas/api/site-exit.schema.ts';
import { taskHandler } from '../shared/task.ts';
import { withdrawalStep } from '../use-cases/site-operations/withdrawal.ts';

/** Task function `site-withdrawal-step` of workflows/site-withdrawal (Art.22). */
export const handler = taskHandler(withdrawalStepSchema, withdrawalStep);
