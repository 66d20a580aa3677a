import { callerOf, httpHandler, json } from '../shared/http.ts';
import { getReports } from '../use-cases/reports/reports.ts';

/** `GET /v1/admin/reports` (admins): coverage, pipeline, review times, site health, campaigns. */
export const handler = httpHandler(async (event) => json(200, await getReports(callerOf(event))));
