import { httpHandler, json } from '../shared/http.ts';
import { callerOf } from '../use-cases/registry/caller.ts';
import { getMe } from '../use-cases/registry/me.ts';

/** `GET /v1/me`. */
export const handler = httpHandler(async (event) => json(200, await getMe(callerOf(event))));
