import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { SchedulerClient, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { PutObjectTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Item } from '../../../../functions/adapters/stores/table.ts';
import { storedEvidence } from '../../../../test/support/table-keys.ts';
import { APPLICATION_LIFECYCLE, type ApplicationStatus } from '../../../../functions/domain/application-lifecycle.ts';
import { installTimeSource } from '../../../../functions/shared/clock.ts';
import { resetConfigCache } from '../../../../functions/shared/env.ts';
import { APP_ID, APPLICANT, CREDIT_CODE, OTHER_REVIEWER, REVIEWER, TOKEN, application, lambdaContext, membership, setAccreditationEnv, staff } from '../../decisions/helpers.ts';
import { makeValidForm, validEvidence } from '../../domain/fixtures/valid-form.ts';
import { auditOf, pilotEntry } from './helpers.ts';
import { useTestTable } from '../../../support/table.ts';

setAccreditationEnv();
const screen = (await import('../../../../functions/handlers/screen-application.handler.ts')).handler;
const openTask = (await import('../../../../functions/handlers/open-decision-task.handler.ts')).handler;
const recordOutcome = (await import('../../../../functions/handlers/record-outcome.handler.ts')).handler;
const activate = (await import('../../../../functions/handlers/activate-site.handler.ts')).handler;

const table = useTestTable();
/** activate-site arms the site's two-year timer (Art.23(1)): UpdateSchedule answers as for an existing schedule. */
const scheduler = mockClient(SchedulerClient);
scheduler.on(UpdateScheduleCommand).resolves({});
const s3 = mockClient(S3Client);
s3.on(PutObjectTaggingCommand).resolves({});
const sqs = mockClient(SQSClient);
const sfn = mockClient(SFNClient);
const T0 = Date.parse('2025-03-01T00:00:00.000Z');
let step = 0;

/** Each step enters its state one minute after the previous one, as the workflow would. */
function audit(state: string) {
  step += 1;
  return auditOf(state, new Date(T0 + step * 60_000).toISOString());
}
const common = { applicationId: APP_ID, institutionId: CREDIT_CODE };
const DAY = 86_400;
const steps = {
  screen: () => screen({ ...common, audit: audit('ScreenApplication') }, lambdaContext),
  open: (kind: string, extra: Record<string, unknown> = {}) =>
    openTask({ ...common, taskToken: TOKEN, kind, timeoutSeconds: 10 * DAY, reminderSeconds: 3600, audit: audit(`WaitFor${kind}`), ...extra }, lambdaContext),
  outcome: (outcome: string, decision: unknown = null) =>
    recordOutcome({ ...common, outcome, decision, returnSeconds: 14 * DAY, audit: audit(`Record${outcome}`) }, lambdaContext),
  activate: () => activate({ ...common, decision: { outcome: 'approve', reason: 'meets the standard', findings: [] }, audit: audit('ActivateSite') }, lambdaContext),
};
const review = (outcome: string) => ({ outcome, reason: 'reviewer note for the applicant', findings: [{ article: 'Art.9(6)', zh: '不间断电源不足', en: 'UPS too short' }], decidedBy: REVIEWER });

/** Status changes of the application as audited, in the trail's (sort-key) order: [from, to, action, article]. */
async function auditedChanges(): Promise<Array<[string, string, string, string]>> {
  return (await table.audits(`APP#${APP_ID}`))
    .filter((a) => a.from !== undefined && a.to !== undefined && a.from !== a.to)
    .map((a) => [String(a.from), String(a.to), String(a.action), String(a.article)]);
}

/** The lifecycle table's row for a change, as [from, to, trigger, article]. */
function tableRow(from: ApplicationStatus, to: ApplicationStatus, trigger: string): [string, string, string, string] | undefined {
  const row = APPLICATION_LIFECYCLE.transitions.find((t) => t.from === from && t.to === to && t.trigger === trigger);
  return row ? [row.from, row.to, row.trigger, row.article] : undefined;
}

const scenarios: Array<[string, Item, () => Promise<void>]> = [
  ['screening, review, visit, final decision and activation (Art.3, Art.4, Art.5)', {}, async () => {
    await steps.screen();
    await steps.open('material-review');
    await steps.open('site-visit');
    await steps.open('final-decision', { excludedSub: REVIEWER });
    await steps.activate();
  }],
  ['refusal of a college not on the pilot register (Art.3(2))', { noPilot: true }, async () => {
    await steps.screen();
    await steps.outcome('refuse');
  }],
  ['return at screening and closing after the deadline (Art.3, Art.4)', { missingEvidence: true }, async () => {
    await steps.screen();
    await steps.outcome('return');
    await steps.outcome('close');
  }],
  ['return after material review (Art.4)', {}, async () => {
    await steps.screen();
    await steps.open('material-review');
    await steps.outcome('return', review('return'));
  }],
  ['rejection at material review (Art.7)', {}, async () => {
    await steps.screen();
    await steps.open('material-review');
    await steps.outcome('reject', review('reject'));
  }],
  ['closing at screening when the return rounds are used up (Art.3, policy)', { missingEvidence: true, returnCount: 3 }, async () => {
    await steps.screen();
    await steps.outcome('close');
  }],
  ['closing at review when the return rounds are used up (Art.4, policy)', { returnCount: 3 }, async () => {
    await steps.screen();
    await steps.open('material-review');
    await steps.outcome('close', review('return'));
  }],
];

describe('accreditation task functions', () => {
  beforeAll(() => installTimeSource({ now: () => T0 + step * 60_000 + 500 }));
  afterAll(() => installTimeSource(undefined));

  beforeEach(async () => {
    step = 0;
    sqs.reset();
    sfn.reset();
    sqs.on(SendMessageCommand).resolves({});
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:aws-cn:states:cn-north-1:000000000000:execution:r:x' });
    resetConfigCache();
  });

  describe.each(scenarios)('%s', (_name, setup, run) => {
    it('audits every status change as a transition of the application lifecycle table, with its trigger and article', async () => {
      await table.put(
        application('SUBMITTED', { form: makeValidForm(), screening: undefined, ...(setup.returnCount ? { returnCount: setup.returnCount, round: setup.returnCount + 1 } : {}) }),
        membership(APPLICANT, CREDIT_CODE),
        staff(REVIEWER, 'reviewer', 'a@org.example.cn'),
        staff(OTHER_REVIEWER, 'reviewer', 'b@org.example.cn'),
      );
      if (!setup.noPilot) await table.put(pilotEntry());
      for (const e of validEvidence.filter((x) => !(setup.missingEvidence && x.kind === 'venue-photo'))) {
        await table.put(storedEvidence(APP_ID, e.kind, e.evidenceId, { creditCode: CREDIT_CODE, status: 'valid', tags: e.tags, reasonCodes: [] }));
      }

      await run();

      const changes = await auditedChanges();
      expect(changes.length).toBeGreaterThan(0);
      for (const change of changes) expect(change).toEqual(tableRow(change[0] as ApplicationStatus, change[1] as ApplicationStatus, change[2]));
      // The audited chain follows the record: each change starts where the previous one ended.
      changes.slice(1).forEach(([from], i) => expect(from).toBe(changes[i]![1]));
      expect((await table.get(`APP#${APP_ID}`, 'APP'))!.status).toBe(changes.at(-1)![1]);
    });
  });
});
