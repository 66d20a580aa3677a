import { siteMilestoneTaskSchema } from '../../schemas/api/sessions.schema.ts';
import { taskHandler } from '../shared/task.ts';
import { siteMilestoneStep } from '../use-cases/site-operations/site-milestone.ts';

/** Task function `site-milestone` of workflows/site-milestone (classify, warn, rearm, revoke). */
export const handler = taskHandler(siteMilestoneTaskSchema, siteMilestoneStep);
