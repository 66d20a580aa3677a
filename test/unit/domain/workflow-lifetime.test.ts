import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  accreditationWorstPath,
  DECISION_REOPENS,
  deadlineLifetimeProblems,
  decisionReminderWorstPath,
  MAX_WORKFLOW_LIFETIME_DAYS,
  workflowLifetime,
} from '../../../schemas/workflow-lifetime.ts';
import { appConfig, ConfigurationError, resetConfigCache } from '../../../functions/shared/env.ts';
import { appConfigSchema, deadlinesSchema, type Deadlines } from '../../../schemas/config.schema.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const defaults = (): Deadlines => deadlinesSchema.parse({});
/** The set the issue found accepted: every deadline and the rounds at their old maximum. */
const longest = (): Deadlines => ({ ...defaults(), returnDays: 90, maxReturnRounds: 10, reviewDays: 90, siteVisitDays: 120, decisionDays: 90 });

describe('functions/domain/workflow-lifetime', () => {
  describe('workflowLifetime', () => {
    it('adds up count × days of every step and explains the sum term by term', () => {
      const lifetime = workflowLifetime('withdrawal', [
        { label: 'answer', days: 30, count: 2, countLabel: 'rounds', setting: 'deadlines.answerDays' },
        { label: 'decision', days: 14 },
      ]);
      expect(lifetime).toMatchObject({ workflow: 'withdrawal', totalDays: 74, limitDays: 330, withinLimit: true });
      expect(lifetime.explanation).toBe('worst case 74 days = 2 rounds × 30 d answer (deadlines.answerDays) + 14 d decision');
    });

    it('accepts a path of exactly 330 days and refuses 331 (a Standard execution ends after 365)', () => {
      expect(MAX_WORKFLOW_LIFETIME_DAYS).toBe(330);
      expect(workflowLifetime('w', [{ label: 'wait', days: 330 }]).withinLimit).toBe(true);
      expect(workflowLifetime('w', [{ label: 'wait', days: 331 }]).withinLimit).toBe(false);
      expect(workflowLifetime('w', [{ label: 'wait', days: 110, count: 3 }]).withinLimit).toBe(true);
    });

    it('writes thousands with a separator and fractions of a day as they are', () => {
      expect(workflowLifetime('w', [{ label: 'wait', days: 1230 }]).explanation).toBe('worst case 1,230 days = 1,230 d wait');
      expect(workflowLifetime('w', [{ label: 'wait', days: 8.5 }]).explanation).toBe('worst case 8.5 days = 8.5 d wait');
    });

    it('is zero days for an empty path', () => {
      expect(workflowLifetime('w', [])).toMatchObject({ totalDays: 0, withinLimit: true, explanation: 'worst case 0 days = 0' });
    });
  });

  describe('accreditationWorstPath', () => {
    it('with the default deadlines lives at most 282 days: 3 rounds of 3 review attempts + 14 d correction, then review, visit and decision 3 attempts each', () => {
      const lifetime = workflowLifetime('accreditation', accreditationWorstPath(defaults()));
      expect(lifetime.totalDays).toBe(9 * 10 + 3 * 14 + 3 * 10 + 3 * 30 + 3 * 10);
      expect(lifetime.totalDays).toBe(282);
      expect(lifetime.withinLimit).toBe(true);
      expect(lifetime.explanation).toBe(
        'worst case 282 days = 9 attempts (3 return rounds × 3) × 10 d material review before each return (deadlines.reviewDays)' +
          ' + 3 return rounds × 14 d correction (deadlines.returnDays)' +
          ' + 3 attempts × 10 d material review (deadlines.reviewDays)' +
          ' + 3 attempts × 30 d site visit (deadlines.siteVisitDays)' +
          ' + 3 attempts × 10 d final decision (deadlines.decisionDays)',
      );
    });

    it('refuses the longest deadlines the schema once allowed: 4,500 days, with 10 return rounds × 90 d correction in the sum', () => {
      const lifetime = workflowLifetime('accreditation', accreditationWorstPath(longest()));
      expect(lifetime.totalDays).toBe(30 * 90 + 10 * 90 + 3 * 90 + 3 * 120 + 3 * 90);
      expect(lifetime.withinLimit).toBe(false);
      expect(lifetime.explanation).toMatch(/^worst case 4,500 days = /);
      expect(lifetime.explanation).toContain('10 return rounds × 90 d correction (deadlines.returnDays)');
    });

    it('draws the line at 330 days: final decision 26 d is accepted (330), 27 d refused (333)', () => {
      expect(workflowLifetime('accreditation', accreditationWorstPath({ ...defaults(), decisionDays: 26 })).totalDays).toBe(330);
      expect(deadlineLifetimeProblems({ ...defaults(), decisionDays: 26 })).toEqual([]);
      const [problem] = deadlineLifetimeProblems({ ...defaults(), decisionDays: 27 });
      expect(problem).toMatch(/^accreditation: worst case 333 days = .*3 attempts × 27 d final decision \(deadlines\.decisionDays\); more than 330 days/);
    });

    it('counts one attempt per wait when no task is reopened', () => {
      expect(workflowLifetime('accreditation', accreditationWorstPath(defaults(), 0)).totalDays).toBe(3 * 10 + 3 * 14 + 10 + 30 + 10);
    });
  });

  describe('decisionReminderWorstPath', () => {
    it('waits until reminderHours before the longest reviewer deadline: 120 d site visit less 48 h is 118 days', () => {
      const lifetime = workflowLifetime('decision-reminder', decisionReminderWorstPath({ ...defaults(), siteVisitDays: 120, reminderHours: 48 }));
      expect(lifetime.totalDays).toBe(118);
      expect(lifetime.explanation).toContain('site visit less deadlines.reminderHours');
    });
  });

  describe('the ASL files', () => {
    it('reopen a decision task at most DECISION_REOPENS times, the figure the worst path counts', () => {
      const found: number[] = [];
      const files = readdirSync(join(root, 'workflows'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.asl.json'));
      for (const file of files) {
        const text = readFileSync(join(root, 'workflows', file), 'utf8');
        for (const match of text.matchAll(/"maxEscalations"\s*:\s*(\d+)/g)) found.push(Number(match[1]));
      }
      // The accreditation hands maxEscalations to each decision task it starts (material review, site visit, final decision).
      expect(found.length).toBeGreaterThanOrEqual(3);
      for (const value of found) expect(value).toBe(DECISION_REOPENS);
    });
  });
});

describe('the deadlines in the configuration', () => {
  const raw = (deadlines: Partial<Deadlines>) => ({
    identity: { kind: 'cognito', domainPrefix: 'exam-site-test' },
    mail: { transport: 'ses', sender: 'noreply@example.com' },
    portalOrigin: 'https://portal.example.com',
    deadlines,
  });

  afterEach(() => {
    delete process.env.APP_CONFIG;
    resetConfigCache();
  });

  it('are refused by the config schema when a workflow could outlive its execution, the sum named', () => {
    const parsed = appConfigSchema.safeParse(raw({ returnDays: 90, maxReturnRounds: 10, reviewDays: 90, siteVisitDays: 120, decisionDays: 90 }));
    expect(parsed.success).toBe(false);
    const issue = parsed.error!.issues.find((i) => i.path.join('.') === 'deadlines');
    expect(issue?.message).toMatch(/^accreditation: worst case 4,500 days = /);
  });

  it('are refused at cold start (APP_CONFIG) with the sum in the error', () => {
    process.env.APP_CONFIG = JSON.stringify(raw({ returnDays: 90, maxReturnRounds: 10 }));
    expect(() => appConfig()).toThrow(ConfigurationError);
    expect(() => appConfig()).toThrow(/deadlines: accreditation: worst case 1,350 days = .*10 return rounds × 90 d correction/);
  });

  it('are accepted at cold start when every workflow fits', () => {
    process.env.APP_CONFIG = JSON.stringify(raw({}));
    expect(appConfig().deadlines.maxReturnRounds).toBe(3);
  });
});
