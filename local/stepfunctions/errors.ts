/**
 * Errors of the local Step Functions engine: API errors named exactly as the
 * AWS API names them (so the real SDK raises the same exception classes) and
 * the task errors a state machine sees.
 */

/** The error codes of the Step Functions API this engine raises. */
export type SfnErrorCode =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'InvalidArn'
  | 'InvalidExecutionInput'
  | 'InvalidName'
  | 'InvalidOutput'
  | 'InvalidToken'
  | 'StateMachineDoesNotExist'
  | 'TaskTimedOut'
  | 'ValidationException'
  | 'UnknownOperationException';

/** An error of the Step Functions API: `name` is the AWS error code, all are HTTP 400 as on AWS. */
export class SfnServiceError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly code: SfnErrorCode,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/** Thrown at load time when a definition uses what this engine cannot run faithfully. */
export class UnsupportedDefinitionError extends Error {
  constructor(machine: string, reason: string) {
    super(`state machine ${machine}: ${reason}`);
    this.name = 'UnsupportedDefinitionError';
  }
}

/**
 * An error as a state machine sees it: `name` is the Step Functions error name
 * matched by `ErrorEquals`, `message` becomes the `Cause`.
 */
export class TaskError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

/**
 * What AWS Lambda reports for a function error: the error name becomes the
 * Step Functions error, the cause is the JSON the runtime writes.
 */
export function lambdaFunctionError(error: unknown): TaskError {
  const errorType = error instanceof Error ? error.name || 'Error' : typeof error === 'string' ? 'string' : 'Error';
  const errorMessage = error instanceof Error ? error.message : String(error);
  return new TaskError(errorType, JSON.stringify({ errorMessage, errorType }));
}

/** Raised into pending work of an execution that was stopped or timed out; never caught or retried. */
export class ExecutionClosedError extends Error {
  readonly isCatchable = false;
  readonly isRetryable = false;
  constructor() {
    super('the execution is closed');
    this.name = 'States.Runtime';
  }
}
