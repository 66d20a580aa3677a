import { callerOf, httpHandler, json } from '../shared/http.ts';
import { getMe } from '../use-cases/registry/me.ts';

/** `GET /v1/me`. */
export const handler = httpHandler(async (event) => json(200, await getMe(callerOf(event))));
