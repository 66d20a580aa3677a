import { rectificationReportBodySchema } from '../../schemas/api/rectification.schema.ts';
import { callerOf, httpHandler, json, parseBody, pathParam } from '../shared/http.ts';
import { submitRectificationReport } from '../use-cases/supervision/rectification.ts';

/** `PUT /v1/sites/{siteId}/rectifications/{rectificationId}/report` (the site's members; once, by the deadline). */
export const handler = httpHandler(async (event) =>
  json(200, await submitRectificationReport(callerOf(event), pathParam(event, 'siteId'), pathParam(event, 'rectificationId'), parseBody(event, rectificationReportBodySchema))),
);
