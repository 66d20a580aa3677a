import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AwsStub } from 'aws-sdk-client-mock';
import type { ServiceInputTypes, ServiceOutputTypes, DynamoDBDocumentClientResolvedConfig } from '@aws-sdk/lib-dynamodb';
import { type DecisionRecord, decisionItem } from '../../../functions/adapters/stores/decisions.ts';
import { type Item } from '../../../functions/adapters/stores/table.ts';

export { bodyOf, httpEvent, lambdaContext } from '../../support/http-event.ts';

/** The environment of the accreditation functions (functions/shared/env.ts). */
export function setAccreditationEnv(): void {
  Object.assign(process.env, {
    AWS_REGION: 'cn-north-1',
    AWS_ACCESS_KEY_ID: 'AKIATESTEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'test/secret/key',
    TABLE_NAME: 'exam-site-test',
    MAIL_QUEUE_URL: 'https://sqs.cn-north-1.amazonaws.com.cn/000000000000/mail',
    EVIDENCE_BUCKET: 'exam-site-test-evidence',
    STATE_MACHINE_ARNS: JSON.stringify({
      accreditation: 'arn:aws-cn:states:cn-north-1:000000000000:stateMachine:exam-site-test-accreditation',
      'decision-reminder': 'arn:aws-cn:states:cn-north-1:000000000000:stateMachine:exam-site-test-decision-reminder',
      'site-milestone': 'arn:aws-cn:states:cn-north-1:000000000000:stateMachine:exam-site-test-site-milestone',
    }),
    SCHEDULE_GROUP: 'exam-site-test',
    SCHEDULER_ROLE_ARN: 'arn:aws-cn:iam::000000000000:role/exam-site-test-scheduler',
    LOG_LEVEL: 'error',
    APP_CONFIG: JSON.stringify({
      identity: { kind: 'cognito', domainPrefix: 'exam-site-test' },
      mail: { transport: 'ses', sender: 'noreply@example.cn' },
      portalOrigin: 'https://portal.example.cn',
    }),
  });
}




/** Items by `pk|sk`, served to GetCommand; QueryCommand serves items whose index partition matches. */
export class TableStub {
  readonly items = new Map<string, Item>();

  put(item: Item): this {
    this.items.set(`${String(item.pk)}|${String(item.sk)}`, item);
    return this;
  }

  wire(ddb: AwsStub<ServiceInputTypes, ServiceOutputTypes, DynamoDBDocumentClientResolvedConfig>): void {
    ddb.on(GetCommand).callsFake((input: { Key: { pk: string; sk: string } }) => ({ Item: this.items.get(`${input.Key.pk}|${input.Key.sk}`) }));
    ddb.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: Array<{ pk: string; sk: string }> }> }) => ({
      Responses: Object.fromEntries(
        Object.entries(input.RequestItems).map(([table, request]) => [table, request.Keys.map((k) => this.items.get(`${k.pk}|${k.sk}`)).filter((i): i is Item => i !== undefined)]),
      ),
    }));
    ddb.on(QueryCommand).callsFake((input: { IndexName?: string; ExpressionAttributeValues?: Record<string, unknown> }) => {
        const pkName = input.IndexName ? `${input.IndexName}pk` : 'pk';
        const skName = input.IndexName ? `${input.IndexName}sk` : 'sk';
        const values = input.ExpressionAttributeValues ?? {};
        const pk = values[':pk'];
        const prefix = (values[':sk'] ?? values[':pending']) as string | undefined;
        const found = [...this.items.values()].filter((i) => i[pkName] === pk && (prefix === undefined || String(i[skName]).startsWith(prefix)));
        return { Items: found, Count: found.length };
    });
  }
}

export const APP_ID = '01JAPPLICATION0000000000001';
export const CREDIT_CODE = '12440100455861238H';
export const OTHER_CREDIT_CODE = '91110000600037341L';
export const REVIEWER = 'sub-reviewer-a';
export const OTHER_REVIEWER = 'sub-reviewer-b';
export const VISITOR = 'sub-reviewer-visitor';
export const ADMIN = 'sub-admin';
export const APPLICANT = 'sub-applicant';
/** A token shaped like a real one; it must never leave the server except towards Step Functions. */
export const TOKEN = 'AQCEAAAAKgAAAAMAAAAAAAAAAeTESTTOKENxU3VwZXJTZWNyZXRUYXNrVG9rZW4tZG8tbm90LWxlYWs=';
export const DECISION_ID = 'dGhpcy1pcy1hLXJhbmRvbS1kZWNpc2lvbi1pZC0zMmI';

export function decision(overrides: Partial<DecisionRecord> = {}): Item {
  const record: DecisionRecord = {
    decisionId: DECISION_ID,
    kind: 'material-review',
    applicationId: APP_ID,
    institutionId: CREDIT_CODE,
    institutionName: '广州示范职业技术学院',
    assigneeSub: REVIEWER,
    excludedSub: null,
    status: 'pending',
    createdAt: '2025-03-01T00:00:00.000Z',
    deadline: '2025-03-11T00:00:00.000Z',
    deadlineMs: Date.parse('2025-03-11T00:00:00.000Z'),
    stepKey: `accreditation-${APP_ID}#WaitForMaterialReview#2025-03-01T00:00:00.000Z`,
    taskToken: TOKEN,
    findingsCount: 2,
    ...overrides,
  };
  return decisionItem(record);
}

export function application(status: string, overrides: Item = {}): Item {
  return {
    pk: `APP#${APP_ID}`,
    sk: 'APP',
    type: 'application',
    id: APP_ID,
    creditCode: CREDIT_CODE,
    institutionName: '广州示范职业技术学院',
    provinceCode: '440000',
    cityCode: '440100',
    status,
    version: 3,
    standardVersion: '2020-1',
    round: 1,
    form: {},
    createdAt: '2025-02-01T00:00:00.000Z',
    updatedAt: '2025-02-01T00:00:00.000Z',
    createdBy: APPLICANT,
    screening: { standardVersion: '2020-1', eligible: true, outcome: 'pass', findings: [] },
    ...overrides,
  };
}

export function staff(sub: string, role: 'reviewer' | 'admin', email: string): Item {
  return {
    pk: `STAFF#${sub}`,
    sk: 'STAFF',
    sub,
    name: sub,
    email,
    role,
    active: true,
    updatedAt: '2025-01-01T00:00:00.000Z',
    updatedBy: 'seed',
    gsi2pk: `STAFF#${role}#ACTIVE`,
    gsi2sk: `${sub}#${sub}`,
  };
}

export function membership(sub: string, creditCode: string): Item {
  return {
    pk: `USER#${sub}`,
    sk: 'MEMBERSHIP',
    sub,
    creditCode,
    institutionName: '广州示范职业技术学院',
    provinceCode: '440000',
    cityCode: '440100',
    role: 'site-manager',
    email: `${sub}@college.example.cn`,
    name: '站点负责人',
    invitationId: 'inv-1',
    createdAt: '2025-01-01T00:00:00.000Z',
    gsi3pk: `INST#${creditCode}#MEMBERS`,
    gsi3sk: sub,
  };
}
