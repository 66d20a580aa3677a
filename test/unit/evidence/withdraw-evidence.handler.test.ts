import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetConfigCache } from '../../../functions/shared/env.ts';
import { APP_ID, APPLICANT, CREDIT_CODE, application, evidenceItem, membership } from './fixtures.ts';
import { bodyOf, httpEvent, lambdaContext, setEvidenceEnv } from './helpers.ts';
import { useTestTable } from '../../support/table.ts';

setEvidenceEnv();
const { handler } = await import('../../../functions/handlers/withdraw-evidence.handler.ts');

const table = useTestTable();
const ITEM = '01JB0000000000000000000T0A';

function withdraw() {
  return handler(httpEvent({ sub: APPLICANT, groups: ['applicant'], pathParameters: { applicationId: APP_ID, itemId: ITEM }, requestId: 'req-w-1' }), lambdaContext);
}

describe('withdraw-evidence handler', () => {
  beforeEach(async () => {
    resetConfigCache();
    await table.put(membership(APPLICANT, CREDIT_CODE));
    await table.put(evidenceItem('policies', ITEM, { status: 'valid' }));
  });

  it('marks the file withdrawn with its audit event in one transaction while the application is a draft (Art.4)', async () => {
    await table.put(application('DRAFT'));
    const result = await withdraw();
    expect(result.statusCode).toBe(204);
    const items = table.sent(TransactWriteCommand)[0]?.TransactItems ?? [];
    expect(Object.values(items[0]?.Update?.ExpressionAttributeValues ?? {})).toContain('withdrawn');
    expect(items[1]?.Put?.Item).toMatchObject({ action: 'evidence-withdrawn', from: 'valid', to: 'withdrawn', actor: { id: APPLICANT } });
  });

  it('refuses with 409 once the application is under review (Art.4)', async () => {
    await table.put(application('UNDER_REVIEW'));
    const result = await withdraw();
    expect(result.statusCode).toBe(409);
    expect(bodyOf(result)).toMatchObject({ code: 'APPLICATION_NOT_EDITABLE' });
    expect(table.sent(TransactWriteCommand)).toHaveLength(0);
  });
});
