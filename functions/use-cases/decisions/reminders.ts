import { createHash } from 'node:crypto';
import { startWorkflow } from '../../adapters/workflows.ts';
import { nowMs } from '../../shared/clock.ts';
import { logger } from '../../shared/logger.ts';

/** One reminder execution per decision; the name hides the decision id (names show in consoles and logs). */
export function reminderExecutionName(decisionId: string): string {
  return `remind-${createHash('sha256').update(decisionId).digest('hex').slice(0, 40)}`;
}

/**
 * Starts the `decision-reminder` workflow, which waits until deadline −
 * reminderSeconds and then reminds the assignee if the decision is still
 * pending. Nothing is started when that moment has already passed. A repeat
 * with the same decision is a no-op (same name, same input).
 */
export async function scheduleReminder(decisionId: string, deadlineMs: number, reminderSeconds: number | undefined): Promise<boolean> {
  if (!reminderSeconds) return false;
  const remindAtMs = deadlineMs - reminderSeconds * 1000;
  if (remindAtMs <= nowMs()) return false;
  try {
    await startWorkflow('decision-reminder', reminderExecutionName(decisionId), { decisionId, remindAt: new Date(remindAtMs).toISOString() });
  } catch (error) {
    // Already started by an earlier try of the same step (and maybe finished): nothing to do.
    if (error instanceof Error && error.name === 'ExecutionAlreadyExists') return true;
    throw error;
  }
  logger.info('decision reminder scheduled', { remindAt: new Date(remindAtMs).toISOString() });
  return true;
}
