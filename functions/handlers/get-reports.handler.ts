import { reportsQuerySchema } from '../../schemas/api/reports.schema.ts';
import { callerOf, httpHandler, json, queryOf } from '../shared/http.ts';
import { parseWith } from '../shared/validation.ts';
import { getReports } from '../use-cases/reports/reports.ts';

/** `GET /v1/admin/reports[?refresh=true]` (admins): coverage, pipeline, review times, site health, campaigns; from a snapshot at most a minute old unless refreshed. */
export const handler = httpHandler(async (event) => {
  const query = parseWith(reportsQuerySchema, queryOf(event));
  return json(200, await getReports(callerOf(event), { refresh: query.refresh === 'true' }));
});
