import { join } from 'node:path';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
  ValidationException,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock, parseDuration } from '../../local/clock.ts';
import { LocalScheduler, atExpression, parseAtExpression } from '../../local/scheduler/index.ts';
import { LocalStepFunctions, advanceInSteps } from '../../local/stepfunctions/index.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const START = Date.parse('2025-01-01T00:00:00Z');
const ROLE = 'arn:aws:iam::000000000000:role/scheduler';

let clock: VirtualClock;
let engine: LocalStepFunctions;
let scheduler: LocalScheduler;
let client: SchedulerClient;
let machineArn: string;

async function advance(duration: string | number): Promise<void> {
  await advanceInSteps(clock, typeof duration === 'number' ? duration : parseDuration(duration), [engine, scheduler]);
}

/** A one-time schedule starting `start-only` with a deterministic execution name, as the site milestones do. */
function milestone(name: string, at: number, extra: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommandInput {
  return {
    Name: name,
    GroupName: 'exam-site',
    ScheduleExpression: atExpression(at),
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    Target: {
      Arn: 'arn:aws:scheduler:::aws-sdk:sfn:startExecution',
      RoleArn: ROLE,
      Input: JSON.stringify({ StateMachineArn: machineArn, Name: `${name}-run`, Input: JSON.stringify({ siteId: name }) }),
    },
    ...extra,
  };
}

function executionNames(): string[] {
  return engine.listExecutions(machineArn).map((e) => e.name);
}

describe('LocalScheduler (through @aws-sdk/client-scheduler)', () => {
  beforeEach(async () => {
    clock = new VirtualClock(() => START);
    engine = new LocalStepFunctions({ clock, invokeFunction: async () => ({}) });
    machineArn = engine.register('start-only', join(FIXTURES, 'start-only.asl.json'));
    scheduler = new LocalScheduler({ clock, stepFunctions: engine });
    const port = await scheduler.listen(0);
    client = new SchedulerClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });

  afterEach(async () => {
    client.destroy();
    await scheduler.close();
    await engine.close();
    clock.dispose();
  });

  describe('CreateSchedule', () => {
    it('fires a one-time schedule once at its time, not before, starting the execution with the given name', async () => {
      const at = START + parseDuration('P60D');
      await client.send(new CreateScheduleCommand(milestone('site-1', at)));

      await advance(parseDuration('P60D') - 1000);
      expect(executionNames()).toEqual([]);
      expect(scheduler.fireHistory()).toEqual([]);

      await advance(1000);
      expect(executionNames()).toEqual(['site-1-run']);
      const execution = engine.listExecutions(machineArn)[0]!;
      expect(execution.startDate.getTime()).toBe(at);
      expect(JSON.parse(execution.input)).toEqual({ siteId: 'site-1' });
      expect(execution.status).toBe('SUCCEEDED');

      await advance('P400D');
      expect(scheduler.fireHistory().map((f) => [f.name, f.outcome, f.scheduledTime.getTime()])).toEqual([['site-1', 'started', at]]);
    });

    it('answers ConflictException when the name is taken in the group', async () => {
      await client.send(new CreateScheduleCommand(milestone('site-2', START + 1000)));
      await expect(client.send(new CreateScheduleCommand(milestone('site-2', START + 2000)))).rejects.toBeInstanceOf(ConflictException);
    });

    it('answers ValidationException for a recurring expression', async () => {
      await expect(client.send(new CreateScheduleCommand(milestone('site-3', START, { ScheduleExpression: 'rate(1 day)' })))).rejects.toBeInstanceOf(ValidationException);
    });

    it('reads the at() time in ScheduleExpressionTimezone', async () => {
      await client.send(
        new CreateScheduleCommand(milestone('site-4', 0, { ScheduleExpression: 'at(2025-03-01T09:00:00)', ScheduleExpressionTimezone: 'Asia/Shanghai' })),
      );
      await advance(Date.parse('2025-03-01T00:59:59Z') - START);
      expect(executionNames()).toEqual([]);
      await advance(1000);
      expect(engine.listExecutions(machineArn)[0]?.startDate.toISOString()).toBe('2025-03-01T01:00:00.000Z');
    });

    it('starts a state machine target with its templated Input and a generated name', async () => {
      await client.send(
        new CreateScheduleCommand(
          milestone('site-5', START + 5000, {
            Target: { Arn: machineArn, RoleArn: ROLE, Input: JSON.stringify({ siteId: 'site-5', schedule: '<aws.scheduler.schedule-arn>' }) },
          }),
        ),
      );
      await advance(5000);
      const [execution] = engine.listExecutions(machineArn);
      expect(JSON.parse(execution!.input)).toEqual({ siteId: 'site-5', schedule: 'arn:aws:scheduler:us-east-1:000000000000:schedule/exam-site/site-5' });
      expect(execution!.name).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('ActionAfterCompletion', () => {
    it('deletes a DELETE schedule after it fired: GetSchedule and UpdateSchedule answer 404', async () => {
      await client.send(new CreateScheduleCommand(milestone('site-6', START + 60_000)));
      expect((await client.send(new GetScheduleCommand({ Name: 'site-6', GroupName: 'exam-site' }))).State).toBe('ENABLED');
      await advance(60_000);
      const get = client.send(new GetScheduleCommand({ Name: 'site-6', GroupName: 'exam-site' }));
      await expect(get).rejects.toBeInstanceOf(ResourceNotFoundException);
      await expect(get).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
      await expect(client.send(new UpdateScheduleCommand(milestone('site-6', START + 120_000)))).rejects.toBeInstanceOf(ResourceNotFoundException);
    });

    it('keeps a NONE schedule after it fired, without firing it again', async () => {
      await client.send(new CreateScheduleCommand(milestone('site-7', START + 60_000, { ActionAfterCompletion: 'NONE' })));
      await advance('P2D');
      const kept = await client.send(new GetScheduleCommand({ Name: 'site-7', GroupName: 'exam-site' }));
      expect(kept.ActionAfterCompletion).toBe('NONE');
      expect(scheduler.fireHistory()).toHaveLength(1);
    });
  });

  describe('UpdateSchedule', () => {
    it('moves the time of an existing schedule', async () => {
      await client.send(new CreateScheduleCommand(milestone('site-8', START + parseDuration('P10D'))));
      await client.send(new UpdateScheduleCommand(milestone('site-8', START + parseDuration('P20D'))));
      const moved = await client.send(new GetScheduleCommand({ Name: 'site-8', GroupName: 'exam-site' }));
      expect(moved.ScheduleExpression).toBe(atExpression(START + parseDuration('P20D')));

      await advance('P19D');
      expect(executionNames()).toEqual([]);
      await advance('P1D');
      expect(executionNames()).toEqual(['site-8-run']);
    });
  });

  describe('DeleteSchedule and ListSchedules', () => {
    it('lists the group and never fires a deleted schedule', async () => {
      await client.send(new CreateScheduleCommand(milestone('site-9', START + 1000)));
      await client.send(new CreateScheduleCommand(milestone('site-10', START + 2000)));
      const listed = await client.send(new ListSchedulesCommand({ GroupName: 'exam-site' }));
      expect(listed.Schedules?.map((s) => s.Name)).toEqual(['site-10', 'site-9']);
      await client.send(new DeleteScheduleCommand({ Name: 'site-9', GroupName: 'exam-site' }));
      await advance(5000);
      expect(executionNames()).toEqual(['site-10-run']);
    });
  });
});

describe('at-expression', () => {
  describe('parseAtExpression', () => {
    it('reads the wall-clock time in the given zone across daylight saving', () => {
      expect(parseAtExpression('at(2025-07-01T12:00:00)', 'Europe/Paris')).toEqual({ at: Date.parse('2025-07-01T10:00:00Z') });
      expect(parseAtExpression('at(2025-01-01T12:00:00)', 'Europe/Paris')).toEqual({ at: Date.parse('2025-01-01T11:00:00Z') });
    });

    it('refuses an impossible date and an unknown zone', () => {
      expect(parseAtExpression('at(2025-02-30T00:00:00)')).toHaveProperty('error');
      expect(parseAtExpression('at(2025-02-01T00:00:00)', 'Mars/Olympus')).toHaveProperty('error');
    });
  });
});
