import { callerOf, httpHandler, json } from '../shared/http.ts';
import { getDashboard } from '../use-cases/applications/dashboard.ts';

/** `GET /v1/admin/dashboard`. */
export const handler = httpHandler(async (event) => json(200, await getDashboard(callerOf(event))));
