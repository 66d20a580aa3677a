/** The local Step Functions engine (see engine.ts) and its helpers. */
export {
  LocalStepFunctions,
  defaultSubstitutions,
  workflowArnSubstitutions,
  type EngineEvent,
  type InvokeFunction,
  type LocalStepFunctionsOptions,
  type PendingCallback,
  type PutEvents,
  type PutEventsEntry,
  type PutEventsResult,
} from './engine.ts';
export type { ExecutionDescription, ExecutionStatus, HistoryEvent, StartExecutionInput, StartExecutionOutput, StepFunctionsApi } from './api.ts';
export {
  LOCAL_ACCOUNT_ID,
  LOCAL_PARTITION,
  LOCAL_REGION,
  functionNameOf,
  localExecutionArn,
  localFunctionArn,
  localStateMachineArn,
  parseExecutionArn,
  parseStateMachineArn,
} from './arns.ts';
export { compileDefinition, substituteDefinition, workflowNameOf, type CompiledDefinition, type Json, type JsonObject } from './definition.ts';
export { SfnServiceError, TaskError, UnsupportedDefinitionError, lambdaFunctionError, type SfnErrorCode } from './errors.ts';
export { matchesErrorEquals, nextRetryDelay } from './retry.ts';
export { advanceInSteps, type ClockParticipant } from './stepping.ts';
