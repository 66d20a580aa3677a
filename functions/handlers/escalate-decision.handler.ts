import { escalateDecisionTaskSchema } from '../../schemas/api/accreditation.schema.ts';
import { taskHandler } from '../shared/task.ts';
import { escalateDecision } from '../use-cases/decisions/escalate-decision.ts';

/** Task function `escalate-decision` of the decision-task workflow (workflows/decision-task). */
export const handler = taskHandler(escalateDecisionTaskSchema, escalateDecision);
