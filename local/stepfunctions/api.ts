/**
 * The Step Functions API as the local endpoint serves it: execution and
 * history shapes and the operations `http.ts` calls. `engine.ts` implements
 * it; neither imports the other's module.
 */

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** What DescribeExecution returns. */
export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: Date;
  stopDate?: Date;
}

/** One event of GetExecutionHistory; `details` is what AWS puts under `<type>EventDetails`. */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: Date;
  type: string;
  details?: Record<string, unknown>;
}

/** Input of `startExecution`, as the API takes it. */
export interface StartExecutionInput {
  stateMachineArn: string;
  name?: string;
  /** The execution input as a JSON string (default `{}`). */
  input?: string;
}

/** Output of `startExecution`. */
export interface StartExecutionOutput {
  executionArn: string;
  startDate: Date;
}

/** The operations the AWS-JSON endpoint serves. */
export interface StepFunctionsApi {
  describeStateMachine(stateMachineArn: string): { stateMachineArn: string; name: string; definition: string; creationDate: Date };
  listStateMachines(): Array<{ stateMachineArn: string; name: string; creationDate: Date }>;
  startExecution(request: StartExecutionInput): StartExecutionOutput;
  describeExecution(executionArn: string): ExecutionDescription;
  stopExecution(executionArn: string, error?: string, cause?: string): { stopDate: Date };
  listExecutions(stateMachineArn: string, statusFilter?: ExecutionStatus): ExecutionDescription[];
  getExecutionHistory(executionArn: string): HistoryEvent[];
  sendTaskSuccess(taskToken: string, output: string): void;
  sendTaskFailure(taskToken: string, error?: string, cause?: string): void;
  sendTaskHeartbeat(taskToken: string): void;
}
