import { evaluationReportBodySchema } from '../../schemas/api/supervision.schema.ts';
import { callerOf, httpHandler, json, parseBody, pathParam } from '../shared/http.ts';
import { submitEvaluationReport } from '../use-cases/supervision/campaigns.ts';

/** `PUT /v1/sites/{siteId}/evaluations/{campaignId}/report` (the site's members; PUT: repeating it changes nothing more). */
export const handler = httpHandler(async (event) =>
  json(200, await submitEvaluationReport(callerOf(event), pathParam(event, 'siteId'), pathParam(event, 'campaignId'), parseBody(event, evaluationReportBodySchema))),
);
