import { registerQuerySchema } from '../../schemas/api/register.schema.ts';
import { cacheableJson, httpHandler, pageOf, queryOf } from '../shared/http.ts';
import { parseWith } from '../shared/validation.ts';
import { listRegister } from '../use-cases/sites/public-register.ts';

/** `GET /v1/register/sites?province=&city=&cursor=&limit=` (public: no sign-in, no personal data; ETag, 304). */
export const handler = httpHandler(async (event) => {
  const query = parseWith(registerQuerySchema, queryOf(event));
  return cacheableJson(event, await listRegister({ provinceCode: query.province, cityCode: query.city, ...pageOf(query) }));
});
