import { callerOf, httpHandler, json, pathParam } from '../shared/http.ts';
import { getSiteSupervision } from '../use-cases/supervision/rectification.ts';

/** `GET /v1/sites/{siteId}/supervision` (its members and staff). */
export const handler = httpHandler(async (event) => json(200, await getSiteSupervision(callerOf(event), pathParam(event, 'siteId'))));
