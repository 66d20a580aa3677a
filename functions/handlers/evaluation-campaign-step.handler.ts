import { campaignStepSchema } from '../../schemas/api/supervision.schema.ts';
import { taskHandler } from '../shared/task.ts';
import { campaignStep } from '../use-cases/supervision/campaigns.ts';

/** Task function `evaluation-campaign-step` of the `evaluation-campaign` workflow. */
export const handler = taskHandler(campaignStepSchema, campaignStep);
