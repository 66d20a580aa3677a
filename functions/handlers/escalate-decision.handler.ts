import { escalateTaskSchema } from '../../schemas/api/accreditation.schema.ts';
import { taskHandler } from '../shared/task.ts';
import { escalateDecision } from '../use-cases/decisions/escalate-decision.ts';

/** Task function `escalate-decision` of the accreditation workflows (see workflows/*.asl.json). */
export const handler = taskHandler(escalateTaskSchema, escalateDecision);
