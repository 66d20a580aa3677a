import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { httpEvent } from '../../support/http-event.ts';
import { httpHandler, json } from '../../../functions/shared/http.ts';
import { logger, REDACTED, redact } from '../../../functions/shared/logger.ts';
import { taskHandler } from '../../../functions/shared/task.ts';
import * as z from 'zod/mini';

const context = {
  awsRequestId: 'lambda-req-1',
  functionName: 'decide',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:cn-north-1:123456789012:function:decide',
  memoryLimitInMB: '256',
} as Context;

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhLTEiLCJjb2duaXRvOmdyb3VwcyI6IlthcHBsaWNhbnRdIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const ID_NUMBER = '11010519491231002X';
const TASK_TOKEN = `AQB8AAAAKgAAAAMAAAAAAAAAAU${'x9Yq'.repeat(60)}`;

describe('shared/logger (Powertools Logger)', () => {
  const lines: string[] = [];
  beforeEach(() => {
    lines.length = 0;
    logger.setLogLevel('INFO');
    for (const method of ['log', 'error', 'warn', 'info', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
    }
  });
  afterEach(() => {
    logger.setLogLevel('ERROR');
    vi.restoreAllMocks();
  });

  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

  describe('redact', () => {
    it('masks secret-named fields whatever their value', () => {
      expect(redact('taskToken', 'abc')).toBe(REDACTED);
      expect(redact('Authorization', 'Bearer x')).toBe(REDACTED);
      expect(redact('idNumber', ID_NUMBER)).toBe(REDACTED);
    });

    it('masks JWTs, ID numbers and task tokens inside any string, and leaves other text alone', () => {
      expect(redact('message', `token ${JWT} of ${ID_NUMBER} with ${TASK_TOKEN}`)).toBe(`token ${REDACTED} of ${REDACTED} with ${REDACTED}`);
      expect(redact('applicationId', '01JD8ZK6W3Q1R2S3T4V5W6X7Y8')).toBe('01JD8ZK6W3Q1R2S3T4V5W6X7Y8');
      expect(redact('creditCode', '12440000MB2C58471K')).toBe('12440000MB2C58471K');
      expect(redact('count', 3)).toBe(3);
    });
  });

  it('never writes a JWT, a task token or an ID number, even when a caller passes one', () => {
    logger.info(`received ${JWT}`, { taskToken: TASK_TOKEN, details: { form: { managerIdNumber: ID_NUMBER } }, note: `token=${TASK_TOKEN}` });

    expect(lines).toHaveLength(1);
    for (const secret of [JWT, TASK_TOKEN, ID_NUMBER]) expect(lines[0]).not.toContain(secret);
    expect(entries()[0]).toMatchObject({ level: 'INFO', taskToken: REDACTED, details: { form: { managerIdNumber: REDACTED } } });
  });

  it('puts the Lambda context, the cold-start flag and the API request id as correlation id on an HTTP handler line', async () => {
    const handler = httpHandler(async () => {
      logger.info('inside');
      return json(200, {});
    });

    await handler(httpEvent({ sub: 'a-1', requestId: 'api-req-7' }), context);
    await handler(httpEvent({ sub: 'a-1', requestId: 'api-req-8' }), context);

    const [first, second] = entries().filter((e) => e.message === 'inside');
    expect(first).toMatchObject({ correlation_id: 'api-req-7', function_name: 'decide', function_request_id: 'lambda-req-1' });
    // The flag is true on the first invocation of the process only (an earlier test may have been it).
    expect(typeof first?.cold_start).toBe('boolean');
    expect(second).toMatchObject({ correlation_id: 'api-req-8', cold_start: false });
  });

  it('takes the execution name as correlation id on a task function line, and drops it after the invocation', async () => {
    const handler = taskHandler(z.object({ audit: z.object({ executionName: z.string() }) }), async () => {
      logger.info('step');
      return 'ok';
    });

    await handler({ audit: { executionName: 'app-01J-accreditation' } }, context);
    logger.info('after');

    expect(entries().find((e) => e.message === 'step')).toMatchObject({ correlation_id: 'app-01J-accreditation', function_name: 'decide' });
    expect(entries().find((e) => e.message === 'after')?.correlation_id).toBeUndefined();
  });
});
