import { pilotCollegeBodySchema } from '../../schemas/api/registry.schema.ts';
import { httpHandler, json, parseBody } from '../shared/http.ts';
import { callerOf, pathParam } from '../use-cases/registry/caller.ts';
import { upsertPilotCollege } from '../use-cases/registry/pilot-register.ts';

/** `PUT /v1/admin/pilot-colleges/{creditCode}`. */
export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  const body = parseBody(event, pilotCollegeBodySchema);
  return json(200, await upsertPilotCollege(caller, pathParam(event, 'creditCode'), body));
});
