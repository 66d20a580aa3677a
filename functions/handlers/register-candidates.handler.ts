import { callerOf, httpHandler, json, pathParam } from '../shared/http.ts';
import { parseCandidateRows, registerCandidates } from '../use-cases/site-operations/sessions.ts';

/**
 * `POST /v1/sites/{siteId}/sessions/{sessionId}/candidates`: JSON
 * `{ candidates: [...] }` or `text/csv`. 200 when every row was registered,
 * 207 when some rows were refused (the report lists them by row).
 */
export const handler = httpHandler(async (event) => {
  const body = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
  const report = await registerCandidates(callerOf(event), pathParam(event, 'siteId'), pathParam(event, 'sessionId'), parseCandidateRows(body, event.headers?.['content-type']));
  return json(report.rowErrors.length ? 207 : 200, report);
});
