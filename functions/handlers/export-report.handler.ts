import { exportQuerySchema, type ExportReport } from '../../schemas/api/reports.schema.ts';
import { NotFoundError } from '../domain/errors.ts';
import { callerOf, type HttpEvent, httpHandler, pathParam, queryOf } from '../shared/http.ts';
import { parseWith } from '../shared/validation.ts';
import { exportReport } from '../use-cases/reports/exports.ts';

/** Which export a route asks for, and the path parameter naming its subject. */
const ROUTES: Readonly<Record<string, { report: ExportReport; param?: string }>> = {
  'GET /v1/admin/exports/register': { report: 'register' },
  'GET /v1/admin/exports/coverage': { report: 'coverage' },
  'GET /v1/admin/exports/campaigns/{campaignId}': { report: 'campaign', param: 'campaignId' },
  'GET /v1/admin/exports/sites/{siteId}/audit': { report: 'site-audit', param: 'siteId' },
  'GET /v1/admin/exports/applications/{applicationId}/audit': { report: 'application-audit', param: 'applicationId' },
};

function routeOf(event: HttpEvent): { report: ExportReport; id?: string } {
  const route = ROUTES[event.routeKey];
  if (!route) throw new NotFoundError('Export', '导出');
  return { report: route.report, ...(route.param ? { id: pathParam(event, route.param) } : {}) };
}

/**
 * `GET /v1/admin/exports/…?format=csv|xlsx&lang=zh|en` (admins): a file to
 * download. CSV travels as text; a workbook base64-encoded, as API Gateway
 * passes binary answers.
 */
export const handler = httpHandler(async (event) => {
  const query = parseWith(exportQuerySchema, queryOf(event));
  const file = await exportReport(callerOf(event), { ...routeOf(event), format: query.format, lang: query.lang });
  const headers = {
    'content-type': file.contentType,
    'content-disposition': `attachment; filename="${file.filename}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
  return typeof file.body === 'string'
    ? { statusCode: 200, headers, body: file.body }
    : { statusCode: 200, headers, body: file.body.toString('base64'), isBase64Encoded: true };
});
