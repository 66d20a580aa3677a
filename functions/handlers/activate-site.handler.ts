import { activateSiteTaskSchema } from '../../schemas/api/accreditation.schema.ts';
import { taskHandler } from '../shared/task.ts';
import { activateSite } from '../use-cases/accreditation/activate-site.ts';

/** Task function `activate-site` of the accreditation workflows (see workflows/*.asl.json). */
export const handler = taskHandler(activateSiteTaskSchema, activateSite);
