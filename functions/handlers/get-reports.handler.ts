import { reportsQuerySchema } from '../../schemas/api/reports.schema.ts';
import { callerOf, httpHandler, json, queryOf } from '../shared/http.ts';
import { parseWith } from '../shared/validation.ts';
import { getReports } from '../use-cases/reports/reports.ts';

const RETRY_AFTER_SECONDS = 5;
/** Time kept back from the function's remaining time for answering. */
const ANSWER_MARGIN_MS = 3_000;

/**
 * `GET /v1/admin/reports[?refresh=true]` (admins): coverage, pipeline,
 * review times, site health, campaigns; from a snapshot at most a minute old
 * unless refreshed; 202 with `Retry-After` while the first one is computed.
 */
export const handler = httpHandler(async (event, context) => {
  const query = parseWith(reportsQuerySchema, queryOf(event));
  const answer = await getReports(callerOf(event), { refresh: query.refresh === 'true', waitMs: context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS });
  if ('computing' in answer) {
    return json(
      202,
      { status: 'computing', retryAfterSeconds: RETRY_AFTER_SECONDS, message: { zh: '报表正在生成，请稍后刷新。', en: 'The reports are being computed; please try again in a few seconds.' } },
      { 'retry-after': String(RETRY_AFTER_SECONDS) },
    );
  }
  return json(200, answer.reports);
});
