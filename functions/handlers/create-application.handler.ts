import { idempotentRequests } from '../shared/idempotency.ts';
import { callerOf, httpHandler, json } from '../shared/http.ts';
import { createApplication } from '../use-cases/applications/create-application.ts';

/** `POST /v1/applications` (Idempotency-Key supported). */
export const handler = httpHandler(
  async (event) => {
    const caller = callerOf(event);
    const application = await createApplication(caller);
    return json(201, application, { location: `/v1/applications/${application.id}`, etag: `"${application.version}"` });
  },
).use(idempotentRequests());
