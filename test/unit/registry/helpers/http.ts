import { TEST_TABLE_NAME } from '../../../support/table.ts';
import type { Context } from 'aws-lambda';
import type { HttpEvent } from '../../../../functions/shared/http.ts';
import { resetConfigCache } from '../../../../functions/shared/env.ts';

import { lambdaContext } from '../../../support/http-event.ts';
export { bodyOf, httpEvent, lambdaContext } from '../../../support/http-event.ts';

/** The environment the registry and applications functions read. */
export function setRegistryEnv(): void {
  Object.assign(process.env, {
    AWS_REGION: 'cn-northwest-1',
    AWS_ACCESS_KEY_ID: 'AKIATESTEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'test/secret/key',
    TABLE_NAME: TEST_TABLE_NAME,
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
