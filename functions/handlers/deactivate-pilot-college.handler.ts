import { httpHandler, json } from '../shared/http.ts';
import { callerOf, pathParam } from '../use-cases/registry/caller.ts';
import { deactivatePilotCollege } from '../use-cases/registry/pilot-register.ts';

/** `DELETE /v1/admin/pilot-colleges/{creditCode}`: marks the entry inactive. */
export const handler = httpHandler(async (event) =>
  json(200, await deactivatePilotCollege(callerOf(event), pathParam(event, 'creditCode'))),
);
