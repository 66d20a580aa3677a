import type { Context } from 'aws-lambda';
import type { HttpEvent } from '../../../../functions/shared/http.ts';
import { resetConfigCache } from '../../../../functions/shared/env.ts';

/** The environment the registry and applications functions read. */
export function setRegistryEnv(): void {
  Object.assign(process.env, {
    AWS_REGION: 'cn-northwest-1',
    AWS_ACCESS_KEY_ID: 'AKIATESTEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'test/secret/key',
    TABLE_NAME: 'exam-site-test',
    MAIL_QUEUE_URL: 'https://sqs.cn-northwest-1.amazonaws.com.cn/000000000000/mail',
    LOG_LEVEL: 'error',
    APP_CONFIG: JSON.stringify({
      identity: { kind: 'oidc', issuerUrl: 'https://id.example.cn/oidc', audience: ['portal'], groupsClaim: 'cognito:groups' },
      mail: { transport: 'ses', sender: 'noreply@example.cn' },
      portalOrigin: 'https://portal.example.cn',
    }),
  });
  resetConfigCache();
}

export const lambdaContext = { awsRequestId: 'lambda-request-1' } as Context;

let requestCounter = 0;

/** An HTTP API v2 event as the JWT authorizer hands it over (groups stringified as `"[a b]"`). */
export function httpEvent(input: {
  method?: string;
  path?: string;
  sub: string;
  groups?: readonly string[];
  name?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}): HttpEvent {
  requestCounter += 1;
  return {
    version: '2.0',
    routeKey: `${input.method ?? 'GET'} ${input.path ?? '/v1/test'}`,
    rawPath: input.path ?? '/v1/test',
    rawQueryString: '',
    headers: input.headers ?? {},
    queryStringParameters: input.query,
    isBase64Encoded: false,
    pathParameters: input.pathParameters ?? {},
    body: input.rawBody ?? (input.body === undefined ? undefined : JSON.stringify(input.body)),
    requestContext: {
      requestId: `req-${requestCounter}`,
      http: { method: input.method ?? 'GET', path: input.path ?? '/v1/test' },
      authorizer: {
        jwt: {
          claims: { sub: input.sub, ...(input.name ? { name: input.name } : {}), 'cognito:groups': `[${(input.groups ?? []).join(' ')}]` },
          scopes: [],
        },
      },
    },
  } as unknown as HttpEvent;
}

export interface Response<T = Record<string, unknown>> {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: T;
}

/** Invokes a handler and parses its JSON body. */
export async function invoke<T = Record<string, unknown>>(
  handler: (event: HttpEvent, context: Context) => Promise<unknown>,
  event: HttpEvent,
): Promise<Response<T>> {
  const result = (await handler(event, lambdaContext)) as { statusCode: number; headers?: Record<string, string>; body?: string };
  return { statusCode: result.statusCode, headers: result.headers ?? {}, body: JSON.parse(result.body ?? 'null') as T };
}
