import { submitApplication } from '../use-cases/accreditation/submit-application.ts';
import { idempotentRequests } from '../shared/idempotency.ts';
import { callerOf, httpHandler, json, pathParam } from '../shared/http.ts';
import { requireMembership } from '../use-cases/registry/membership.ts';
import { requireGroup } from '../shared/identity.ts';

/** `POST /v1/applications/{applicationId}/submit`: DRAFT or RETURNED → SUBMITTED; starts or resumes the accreditation workflow. */
export const handler = httpHandler(
  async (event) => {
    const caller = callerOf(event);
    requireGroup(caller, 'applicant');
    const membership = await requireMembership(caller);
    return json(202, await submitApplication(caller, membership, pathParam(event, 'applicationId'), caller.requestId));
  },
).use(idempotentRequests());
