import { apiSchemas } from '../../schemas/api/index.ts';
import { buildOpenApiDocument } from '../../schemas/openapi.ts';
import { routes } from '../catalog.ts';
import { httpHandler, json } from '../shared/http.ts';

let document: Record<string, unknown> | undefined;

/** `GET /v1/openapi.json` (public): built once per cold start from the catalogue and the schemas. */
export const handler = httpHandler(async () => {
  document ??= buildOpenApiDocument(routes, apiSchemas);
  return json(200, document, { 'cache-control': 'public, max-age=300' });
});
