import { callerOf, httpHandler, json } from '../shared/http.ts';
import { importRegister, parseImportRows } from '../use-cases/registry/pilot-register.ts';

/** `POST /v1/admin/pilot-colleges/import`: 200 when every batch was written, 207 when a batch failed. */
export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  const body = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
  const report = await importRegister(caller, parseImportRows(body, event.headers?.['content-type']));
  return json(report.complete ? 200 : 207, report);
});
