import { recordOutcomeSchema } from '../../schemas/api/accreditation.schema.ts';
import { taskHandler } from '../shared/task.ts';
import { recordOutcome } from '../use-cases/accreditation/record-outcome.ts';

/** Task function `record-outcome` of the accreditation workflows (see workflows/*.asl.json). */
export const handler = taskHandler(recordOutcomeSchema, recordOutcome);
