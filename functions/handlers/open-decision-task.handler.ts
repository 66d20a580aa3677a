import { openDecisionTaskSchema } from '../../schemas/api/accreditation.schema.ts';
import { taskHandler } from '../shared/task.ts';
import { openDecisionTask } from '../use-cases/decisions/open-decision-task.ts';

/** Task function `open-decision-task` of the accreditation workflows (see workflows/*.asl.json). */
export const handler = taskHandler(openDecisionTaskSchema, openDecisionTask);
