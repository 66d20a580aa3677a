import { rectificationStepSchema } from '../../schemas/api/rectification.schema.ts';
import { taskHandler } from '../shared/task.ts';
import { rectificationStep } from '../use-cases/supervision/rectification.ts';

/** Task function `site-rectification-step` of workflows/site-rectification (Art.21). */
export const handler = taskHandler(rectificationStepSchema, rectificationStep);
