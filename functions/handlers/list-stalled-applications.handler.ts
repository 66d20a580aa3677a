import { callerOf, httpHandler, json } from '../shared/http.ts';
import { listStalled } from '../use-cases/accreditation/stalled.ts';

/** `GET /v1/admin/stalled-applications` (admin). */
export const handler = httpHandler(async (event) => json(200, await listStalled(callerOf(event))));
