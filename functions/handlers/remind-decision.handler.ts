import { remindTaskSchema } from '../../schemas/api/accreditation.schema.ts';
import { taskHandler } from '../shared/task.ts';
import { remindDecision } from '../use-cases/decisions/remind-decision.ts';

/** Task function `remind-decision` of the accreditation workflows (see workflows/*.asl.json). */
export const handler = taskHandler(remindTaskSchema, remindDecision);
