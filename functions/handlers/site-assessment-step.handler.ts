import { assessmentStepSchema } from '../../schemas/api/rectification.schema.ts';
import { taskHandler } from '../shared/task.ts';
import { assessmentStep } from '../use-cases/supervision/assessment.ts';

/** Task function `site-assessment-step` of workflows/site-assessment (Art.21). */
export const handler = taskHandler(assessmentStepSchema, assessmentStep);
