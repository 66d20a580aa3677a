import { pilotCollegeBodySchema } from '../../schemas/api/registry.schema.ts';
import { callerOf, httpHandler, json, parseBody, pathParam } from '../shared/http.ts';
import { upsertPilotCollege } from '../use-cases/registry/pilot-register.ts';

/** `PUT /v1/admin/pilot-colleges/{creditCode}`. */
export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  const body = parseBody(event, pilotCollegeBodySchema);
  return json(200, await upsertPilotCollege(caller, pathParam(event, 'creditCode'), body));
});
