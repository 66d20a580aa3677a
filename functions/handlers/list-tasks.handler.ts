import { listMyTasks } from '../use-cases/decisions/list-tasks.ts';
import { callerOf, httpHandler, json, pageOf, queryOf } from '../shared/http.ts';

/** `GET /v1/tasks`: my pending decisions with their deadlines. */
export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  return json(200, await listMyTasks(caller, pageOf(queryOf(event))));
});
