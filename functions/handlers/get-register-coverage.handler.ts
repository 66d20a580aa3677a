import { cacheableJson, httpHandler } from '../shared/http.ts';
import { publicCoverage } from '../use-cases/sites/public-register.ts';

/** `GET /v1/register/coverage` (public: Art.8 coverage, counts only; ETag, 304). */
export const handler = httpHandler(async (event) => cacheableJson(event, await publicCoverage()));
