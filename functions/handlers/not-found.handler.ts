import { RouteNotFoundError } from '../domain/errors.ts';
import { httpHandler } from '../shared/http.ts';

/**
 * The `$default` route: a request no route matches gets 404 ROUTE_NOT_FOUND
 * in the API's one error shape (API Gateway alone would answer
 * `{"message":"Not Found"}`). Public, reads nothing.
 */
export const handler = httpHandler(async (event) => {
  throw new RouteNotFoundError(event.requestContext?.http?.method ?? '', event.rawPath ?? '');
});
