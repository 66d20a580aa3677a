import middy from '@middy/core';
import { nowIso } from '../shared/clock.ts';
import { loggerContext, setCorrelationId } from '../shared/logger.ts';
import { asTaskError } from '../shared/task.ts';
import { reconcileSiteTimers, type ReconciliationReport } from '../use-cases/site-operations/inactivity-timer.ts';

/** Daily (EventBridge Scheduler, `DAILY_SCHEDULE`): repairs drift between sites and their two-year timers; returns the report. */
export const handler = middy<unknown, ReconciliationReport>()
  .use(loggerContext())
  .handler(async () => {
    setCorrelationId(`reconcile-site-timers-${nowIso().slice(0, 10)}`);
    try {
      return await reconcileSiteTimers();
    } catch (error) {
      throw asTaskError(error);
    }
  });
