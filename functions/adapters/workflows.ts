import { SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { stateMachineArn } from '../shared/env.ts';
import { sfnClient } from './aws-clients.ts';

/**
 * The only code that calls Step Functions: start an execution, answer a
 * callback task. Task tokens pass through here and nowhere else that logs or
 * answers a request.
 */

/** Errors of SendTask* meaning the task no longer waits (timed out, closed, unknown token). */
const CLOSED_TASK_ERRORS = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

/** Answer of SendTaskSuccess/Failure: delivered, or the task no longer waits. */
export type TaskAnswer = 'delivered' | 'closed';

/**
 * Starts `workflow` with a deterministic execution name. Standard workflows
 * treat the same name with the same input as the same request (idempotent
 * while it runs), so a retried POST starts it once.
 * @returns the execution ARN; `ExecutionAlreadyExists` (same name, other input or closed) is rethrown.
 */
export async function startWorkflow(workflow: string, executionName: string, input: unknown): Promise<string> {
  const out = await sfnClient().send(
    new StartExecutionCommand({ stateMachineArn: stateMachineArn(workflow), name: executionName, input: JSON.stringify(input) }),
  );
  return out.executionArn ?? '';
}

function isClosedTaskError(error: unknown): boolean {
  return error instanceof Error && CLOSED_TASK_ERRORS.has(error.name);
}

/** SendTaskSuccess; `closed` when the task timed out or was closed meanwhile. Other errors are thrown. */
export async function sendTaskSuccess(taskToken: string, output: unknown): Promise<TaskAnswer> {
  try {
    await sfnClient().send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    return 'delivered';
  } catch (error) {
    if (isClosedTaskError(error)) return 'closed';
    throw error;
  }
}

/** SendTaskFailure; `closed` when the task no longer waits. */
export async function sendTaskFailure(taskToken: string, error: string, cause: string): Promise<TaskAnswer> {
  try {
    await sfnClient().send(new SendTaskFailureCommand({ taskToken, error, cause }));
    return 'delivered';
  } catch (failure) {
    if (isClosedTaskError(failure)) return 'closed';
    throw failure;
  }
}

/** The accreditation execution of an application: one per application. */
export function accreditationExecutionName(applicationId: string): string {
  return `accreditation-${applicationId}`;
}
