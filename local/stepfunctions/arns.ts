/**
 * ARNs of the local stack. The account and region are fixed fakes: nothing
 * leaves 127.0.0.1, and a fixed shape lets the handlers parse them exactly as
 * they parse real ones.
 */

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_PARTITION = 'aws';

/** `arn:aws:lambda:us-east-1:000000000000:function:<name>`. */
export function localFunctionArn(name: string): string {
  return `arn:${LOCAL_PARTITION}:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${name}`;
}

/** `arn:aws:states:us-east-1:000000000000:stateMachine:<name>`. */
export function localStateMachineArn(name: string): string {
  return `arn:${LOCAL_PARTITION}:states:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:stateMachine:${name}`;
}

/** `arn:aws:states:us-east-1:000000000000:execution:<machine>:<name>`. */
export function localExecutionArn(machine: string, name: string): string {
  return `arn:${LOCAL_PARTITION}:states:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:execution:${machine}:${name}`;
}

const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:([A-Za-z0-9_-]{1,80})$/;
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:([A-Za-z0-9_-]{1,80}):([^:]{1,80})$/;
const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]{1,64})(?::[A-Za-z0-9$_-]+)?$/;

/** The state machine name of a state machine ARN, or undefined when it is not one. */
export function parseStateMachineArn(arn: string): string | undefined {
  return STATE_MACHINE_ARN.exec(arn)?.[1];
}

/** The machine and execution names of an execution ARN, or undefined when it is not one. */
export function parseExecutionArn(arn: string): { machine: string; name: string } | undefined {
  const m = EXECUTION_ARN.exec(arn);
  return m ? { machine: m[1]!, name: m[2]! } : undefined;
}

/**
 * The function name Lambda would resolve from `FunctionName`: a full ARN (with
 * or without a qualifier), a partial `name:qualifier`, or a bare name.
 */
export function functionNameOf(functionNameOrArn: string): string {
  const full = FUNCTION_ARN.exec(functionNameOrArn);
  if (full) return full[1]!;
  const [name] = functionNameOrArn.split(':');
  return name ?? functionNameOrArn;
}
