import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { UnsupportedDefinitionError } from './errors.ts';

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/** A retrier of a `Retry` field. */
export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

/** How a Task state reaches its resource. */
export type TaskIntegration = 'lambda-function' | 'lambda-invoke' | 'lambda-callback' | 'put-events' | 'start-execution' | 'start-execution-sync' | 'start-execution-sync2';

/** A Task state, as this engine runs it (its Retry and timeouts are taken out of the library's hands). */
export interface TaskSpec {
  readonly kind: 'task';
  readonly name: string;
  readonly resource: string;
  readonly integration: TaskIntegration;
  readonly timeoutSeconds?: number;
  readonly heartbeatSeconds?: number;
  readonly retry: readonly Retrier[];
  /** The library hands the override `{ [PARAMS]: …, [TIMEOUT]?: …, [HEARTBEAT]?: … }` because a `…SecondsPath` was given. */
  readonly wrapped: boolean;
}

/** A Wait state, run as a Task whose override resolves on a virtual timer. */
export interface WaitSpec {
  readonly kind: 'wait';
  readonly name: string;
  readonly seconds?: number;
  readonly timestamp?: string;
}

export type OverriddenState = TaskSpec | WaitSpec;

/** A definition ready to run: the original (substituted) and what the library is given. */
export interface CompiledDefinition {
  readonly name: string;
  /** The definition after substitutions, as AWS would store it. */
  readonly definition: JsonObject;
  /** The rewritten definition handed to aws-local-stepfunctions. */
  readonly runnable: JsonObject;
  /** Task and Wait states, by name (state names are unique across a whole machine in ASL). */
  readonly overridden: ReadonlyMap<string, OverriddenState>;
  /** The original `Type` of every state, by name. */
  readonly stateTypes: ReadonlyMap<string, string>;
  /** The Parallel or Map state enclosing a state of a branch or iterator, by state name. */
  readonly parents: ReadonlyMap<string, string>;
  /** Parallel/Map states with a Retry: the library retries them without the backoff delay (see README.md here). */
  readonly retryIntervalOverrides: Readonly<Record<string, number>>;
  /** The machine-wide `TimeoutSeconds`, enforced on the virtual clock. */
  readonly timeoutSeconds?: number;
}

/** Keys of the wrapper object the library passes to an override. */
export const WRAP = { params: '__local_params', timeout: '__local_timeout', heartbeat: '__local_heartbeat', input: '__local_input', seconds: '__local_seconds', timestamp: '__local_timestamp' } as const;

/**
 * Values of `$$.Task.Token`, `$$.State.*` while the library evaluates a Task's
 * Parameters; the override replaces them with the real values of the attempt.
 */
export const SENTINEL = {
  token: '\u0000local-sfn:Task.Token\u0000',
  stateName: '\u0000local-sfn:State.Name\u0000',
  enteredTime: '\u0000local-sfn:State.EnteredTime\u0000',
  retryCount: '\u0000local-sfn:State.RetryCount\u0000',
} as const;

/** Where the real execution start time and input live in the context (the library overwrites `StartTime`/`Input` per branch). */
export const CONTEXT_KEYS = { startTime: 'LocalStartTime', input: 'LocalInput' } as const;

/**
 * Longest real timer the library may arm without Node's 2^31-1 ms overflow
 * firing it at once; it only guards the library's own 60 s default, the real
 * timeouts run on the virtual clock.
 */
const LIBRARY_TIMEOUT_SECONDS = 2_147_483;

const PLACEHOLDER = /\$\{([^}]*)\}/g;

/** Definitions (after substitution) that already passed asl-validator: validation costs ~70 ms, tests register the same files often. */
const validated = new Set<string>();

/**
 * Applies `definitionSubstitutions` as CloudFormation does (every `${Key}` of
 * the definition text replaced by its value) and refuses any placeholder left
 * unsubstituted.
 */
export function substituteDefinition(name: string, text: string, substitutions: Readonly<Record<string, string>>): string {
  const out = text.replace(PLACEHOLDER, (match, key: string) => (Object.hasOwn(substitutions, key) ? substitutions[key]! : match));
  const left = [...new Set([...out.matchAll(PLACEHOLDER)].map((m) => m[0]))];
  if (left.length > 0) throw new UnsupportedDefinitionError(name, `unsubstituted placeholder(s) ${left.join(', ')}`);
  return out;
}

/** The machine name of an ASL file: the file name without `.asl.json` (`workflows/accreditation/accreditation.asl.json` → `accreditation`). */
export function workflowNameOf(path: string): string {
  return basename(path).replace(/\.asl\.json$/, '').replace(/\.json$/, '');
}

/**
 * Loads, substitutes, validates and rewrites a definition. Throws at load what
 * the engine cannot run as AWS would: unsubstituted placeholders, JSONata,
 * variables (`Assign`), unsupported Task resources, context fields it cannot
 * supply where they are used.
 */
export function compileDefinition(
  name: string,
  source: string | object,
  substitutions: Readonly<Record<string, string>>,
): CompiledDefinition {
  const text = typeof source === 'string' ? (source.trimStart().startsWith('{') ? source : readFileSync(source, 'utf8')) : JSON.stringify(source);
  let definition: JsonObject;
  let substituted: string;
  try {
    substituted = substituteDefinition(name, text, substitutions);
    definition = JSON.parse(substituted) as JsonObject;
  } catch (error) {
    if (error instanceof UnsupportedDefinitionError) throw error;
    throw new UnsupportedDefinitionError(name, `not valid JSON: ${(error as Error).message}`);
  }
  if (definition.QueryLanguage === 'JSONata') throw new UnsupportedDefinitionError(name, 'JSONata is not supported (QueryLanguage: JSONata); use JSONPath');
  if (!validated.has(substituted)) {
    try {
      // Validation only: the library's own validator (asl-validator).
      new StateMachine(definition as unknown as StateMachineDefinition, { validationOptions: { checkArn: true, checkPaths: true } });
    } catch (error) {
      throw new UnsupportedDefinitionError(name, (error as Error).message);
    }
    validated.add(substituted);
  }

  const overridden = new Map<string, OverriddenState>();
  const stateTypes = new Map<string, string>();
  const parents = new Map<string, string>();
  const retryIntervalOverrides: Record<string, number> = {};
  const runnable = rewriteMachine(name, structuredClone(definition), { overridden, stateTypes, parents, retryIntervalOverrides }, undefined);
  const timeoutSeconds = typeof definition.TimeoutSeconds === 'number' ? definition.TimeoutSeconds : undefined;
  delete runnable.TimeoutSeconds;
  return { name, definition, runnable, overridden, stateTypes, parents, retryIntervalOverrides, timeoutSeconds };
}

interface RewriteSink {
  overridden: Map<string, OverriddenState>;
  stateTypes: Map<string, string>;
  parents: Map<string, string>;
  retryIntervalOverrides: Record<string, number>;
}

function rewriteMachine(machine: string, def: JsonObject, sink: RewriteSink, parent: string | undefined): JsonObject {
  const states = def.States as Record<string, JsonObject>;
  for (const [stateName, state] of Object.entries(states)) {
    if (parent) sink.parents.set(stateName, parent);
    states[stateName] = rewriteState(machine, stateName, state, sink);
  }
  return def;
}

function rewriteState(machine: string, name: string, state: JsonObject, sink: RewriteSink): JsonObject {
  const type = String(state.Type);
  if (sink.stateTypes.has(name)) throw new UnsupportedDefinitionError(machine, `state name ${name} is used twice`);
  sink.stateTypes.set(name, type);
  if (state.QueryLanguage === 'JSONata') throw new UnsupportedDefinitionError(machine, `state ${name}: JSONata is not supported`);
  for (const field of ['Assign', 'Arguments', 'Output', 'Items', 'ItemReader', 'ResultWriter', 'ItemBatcher']) {
    if (field in state) {
      const why = field === 'Assign' ? 'variables (Assign) are not supported' : `${field} is not supported`;
      throw new UnsupportedDefinitionError(machine, `state ${name}: ${why}`);
    }
  }
  checkContextReferences(machine, name, state);
  rewriteContextPaths(state);
  // `ResultPath: "$"` means "the result replaces the input", as no ResultPath does; the library would nest it under a key named "$".
  if (state.ResultPath === '$') delete state.ResultPath;
  for (const catcher of (Array.isArray(state.Catch) ? state.Catch : []) as JsonObject[]) {
    if (catcher.ResultPath === '$') delete catcher.ResultPath;
  }

  if (type === 'Choice' && Array.isArray(state.Choices)) state.Choices = state.Choices.map((rule) => rewriteIsPresentFalse(rule as JsonObject));
  if (type === 'Task') return rewriteTask(machine, name, state, sink);
  if (type === 'Wait') return rewriteWait(name, state, sink);
  if (type === 'Parallel') {
    for (const branch of state.Branches as JsonObject[]) rewriteMachine(machine, branch, sink, name);
  }
  if (type === 'Map') {
    const processor = (state.ItemProcessor ?? state.Iterator) as JsonObject;
    const config = processor.ProcessorConfig as JsonObject | undefined;
    if (config?.Mode === 'DISTRIBUTED') throw new UnsupportedDefinitionError(machine, `state ${name}: distributed Map is not supported`);
    rewriteMachine(machine, processor, sink, name);
  }
  if ((type === 'Parallel' || type === 'Map') && Array.isArray(state.Retry)) sink.retryIntervalOverrides[name] = 0;
  return state;
}

function rewriteTask(machine: string, name: string, state: JsonObject, sink: RewriteSink): JsonObject {
  const resource = String(state.Resource);
  const integration = integrationOf(resource);
  if (!integration) throw new UnsupportedDefinitionError(machine, `state ${name}: Task resource ${resource} is not supported by the local engine`);
  if (integration !== 'lambda-function' && !isObject(state.Parameters)) {
    throw new UnsupportedDefinitionError(machine, `state ${name}: ${resource} needs Parameters`);
  }
  if (integration === 'lambda-callback' && !JSON.stringify(state.Parameters).includes('$$.Task.Token')) {
    throw new UnsupportedDefinitionError(machine, `state ${name}: a .waitForTaskToken task must pass $$.Task.Token`);
  }
  if (integration.startsWith('start-execution')) {
    const params = state.Parameters as JsonObject;
    if (!('StateMachineArn' in params) && !('StateMachineArn.$' in params)) {
      throw new UnsupportedDefinitionError(machine, `state ${name}: ${resource} needs Parameters.StateMachineArn`);
    }
  }
  const timeoutPath = typeof state.TimeoutSecondsPath === 'string' ? state.TimeoutSecondsPath : undefined;
  const heartbeatPath = typeof state.HeartbeatSecondsPath === 'string' ? state.HeartbeatSecondsPath : undefined;
  const wrapped = timeoutPath !== undefined || heartbeatPath !== undefined;
  const spec: TaskSpec = {
    kind: 'task',
    name,
    resource,
    integration,
    timeoutSeconds: typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : undefined,
    heartbeatSeconds: typeof state.HeartbeatSeconds === 'number' ? state.HeartbeatSeconds : undefined,
    retry: Array.isArray(state.Retry) ? (state.Retry as unknown as Retrier[]) : [],
    wrapped,
  };
  sink.overridden.set(name, spec);

  const out: JsonObject = { ...state };
  for (const key of ['Retry', 'TimeoutSeconds', 'TimeoutSecondsPath', 'HeartbeatSeconds', 'HeartbeatSecondsPath', 'Credentials']) delete out[key];
  out.TimeoutSeconds = LIBRARY_TIMEOUT_SECONDS;
  if (wrapped) {
    const params: JsonObject = isObject(state.Parameters) ? { [WRAP.params]: state.Parameters } : { [`${WRAP.params}.$`]: '$' };
    if (timeoutPath) params[`${WRAP.timeout}.$`] = timeoutPath;
    if (heartbeatPath) params[`${WRAP.heartbeat}.$`] = heartbeatPath;
    out.Parameters = params;
  }
  return out;
}

function rewriteWait(name: string, state: JsonObject, sink: RewriteSink): JsonObject {
  sink.overridden.set(name, {
    kind: 'wait',
    name,
    seconds: typeof state.Seconds === 'number' ? state.Seconds : undefined,
    timestamp: typeof state.Timestamp === 'string' ? state.Timestamp : undefined,
  });
  const params: JsonObject = { [`${WRAP.input}.$`]: '$' };
  if (typeof state.SecondsPath === 'string') params[`${WRAP.seconds}.$`] = state.SecondsPath;
  if (typeof state.TimestampPath === 'string') params[`${WRAP.timestamp}.$`] = state.TimestampPath;
  const out: JsonObject = {
    Type: 'Task',
    Resource: 'arn:aws:states:::local:wait',
    TimeoutSeconds: LIBRARY_TIMEOUT_SECONDS,
    Parameters: params,
  };
  for (const key of ['Comment', 'InputPath', 'OutputPath', 'Next', 'End']) if (key in state) out[key] = state[key]!;
  return out;
}

/** The type tests of the Amazon States Language, each of which may be set to false. */
const TYPE_TESTS = ['IsPresent', 'IsNull', 'IsString', 'IsNumeric', 'IsBoolean', 'IsTimestamp'] as const;

/**
 * The library answers a type test set to false (`IsPresent: false`,
 * `IsNull: false`, …) with false whatever the value (it evaluates
 * `IsNull && value === null`), so a paging loop's "is there a next page"
 * never matched and only the first page was read: rewritten to the
 * equivalent `Not: { IsNull: true }`, which it evaluates right.
 */
function rewriteIsPresentFalse(rule: JsonObject): JsonObject {
  const out: JsonObject = { ...rule };
  const test = TYPE_TESTS.find((key) => out[key] === false);
  if (test !== undefined && typeof out.Variable === 'string') {
    const { Next, Variable } = out;
    return { Not: { Variable, [test]: true }, ...(Next !== undefined ? { Next } : {}) };
  }
  for (const key of ['And', 'Or'] as const) if (Array.isArray(out[key])) out[key] = (out[key] as JsonObject[]).map(rewriteIsPresentFalse);
  if (isObject(out.Not)) out.Not = rewriteIsPresentFalse(out.Not);
  return out;
}

const LAMBDA_FUNCTION = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(?::[A-Za-z0-9$_-]+)?$/;

/** Which integration a Task `Resource` is, or undefined when this engine does not run it. */
export function integrationOf(resource: string): TaskIntegration | undefined {
  if (LAMBDA_FUNCTION.test(resource)) return 'lambda-function';
  const m = /^arn:aws[a-z-]*:states:::(.+)$/.exec(resource);
  switch (m?.[1]) {
    case 'lambda:invoke':
      return 'lambda-invoke';
    case 'lambda:invoke.waitForTaskToken':
      return 'lambda-callback';
    case 'events:putEvents':
      return 'put-events';
    case 'states:startExecution':
      return 'start-execution';
    case 'states:startExecution.sync':
      return 'start-execution-sync';
    case 'states:startExecution.sync:2':
      return 'start-execution-sync2';
    default:
      return undefined;
  }
}

/** Strings of a state that are evaluated as paths or intrinsic functions. */
function forEachPathString(value: Json | undefined, key: string, visit: (text: string, key: string) => string): Json | undefined {
  if (typeof value === 'string') {
    return key.endsWith('.$') || key.endsWith('Path') || key === 'Variable' ? visit(value, key) : value;
  }
  if (Array.isArray(value)) return value.map((v) => forEachPathString(v, key, visit) as Json);
  if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      // Nested state machines are visited state by state, on their own.
      if (k === 'Branches' || k === 'ItemProcessor' || k === 'Iterator') continue;
      value[k] = forEachPathString(v, k, visit) as Json;
    }
  }
  return value;
}

function rewriteContextPaths(state: JsonObject): void {
  forEachPathString(state, '', (text) =>
    text
      .replace(/\$\$\.Execution\.StartTime\b/g, `$$$$.Execution.${CONTEXT_KEYS.startTime}`)
      .replace(/\$\$\.Execution\.Input\b/g, `$$$$.Execution.${CONTEXT_KEYS.input}`),
  );
}

/**
 * `$$.Task.*` and `$$.State.*` change from state to state while the library
 * keeps one context per execution: they are only resolved inside a Task's
 * Parameters (where the override substitutes them), so refuse them elsewhere.
 */
function checkContextReferences(machine: string, name: string, state: JsonObject): void {
  for (const [key, value] of Object.entries(state)) {
    if (key === 'Branches' || key === 'ItemProcessor' || key === 'Iterator') continue;
    const allowed = state.Type === 'Task' && key === 'Parameters';
    forEachPathString(value, key, (text) => {
      if (!allowed && /\$\$\.(Task|State)\b/.test(text)) {
        throw new UnsupportedDefinitionError(machine, `state ${name}: ${text} is only supported inside a Task's Parameters`);
      }
      if (/\$\$\.Task\.Token\b/.test(text) && integrationOf(String(state.Resource)) !== 'lambda-callback') {
        throw new UnsupportedDefinitionError(machine, `state ${name}: $$.Task.Token is only available to .waitForTaskToken tasks`);
      }
      return text;
    });
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
