import { callerOf, httpHandler, json, pathParam } from '../shared/http.ts';
import { deactivatePilotCollege } from '../use-cases/registry/pilot-register.ts';

/** `DELETE /v1/admin/pilot-colleges/{creditCode}`: marks the entry inactive. */
export const handler = httpHandler(async (event) =>
  json(200, await deactivatePilotCollege(callerOf(event), pathParam(event, 'creditCode'))),
);
