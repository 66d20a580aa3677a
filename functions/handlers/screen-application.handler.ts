import { screenTaskSchema } from '../../schemas/api/accreditation.schema.ts';
import { taskHandler } from '../shared/task.ts';
import { screenApplicationStep } from '../use-cases/accreditation/screen-application.ts';

/** Task function `screen-application` of the accreditation workflows (see workflows/*.asl.json). */
export const handler = taskHandler(screenTaskSchema, screenApplicationStep);
