import { callerOf, httpHandler, pathParam, queryOf } from '../shared/http.ts';
import { campaignResultsCsv } from '../use-cases/supervision/campaigns.ts';

/** `GET /v1/admin/campaigns/{campaignId}/results` (staff): a page of the results as CSV; the next cursor in `x-next-cursor`. */
export const handler = httpHandler(async (event) => {
  const campaignId = pathParam(event, 'campaignId');
  const out = await campaignResultsCsv(callerOf(event), campaignId, queryOf(event).cursor);
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="campaign-${campaignId.replace(/[^0-9A-Za-z-]/g, '')}.csv"`,
      'cache-control': 'no-store',
      ...(out.cursor ? { 'x-next-cursor': out.cursor } : {}),
    },
    body: out.csv,
  };
});
