import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExecutionDescription, ExecutionStatus, HistoryEvent, StepFunctionsApi } from './api.ts';
import { SfnServiceError } from './errors.ts';

type Body = Record<string, unknown>;

/** Timestamps travel as epoch seconds in the AWS JSON 1.0 protocol. */
function epoch(date: Date | undefined): number | undefined {
  return date ? date.getTime() / 1000 : undefined;
}

function str(body: Body, key: string, required = true): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    if (required) throw new SfnServiceError('ValidationException', `1 validation error detected: Value null at '${key}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  if (typeof value !== 'string') throw new SfnServiceError('ValidationException', `${key} must be a string`);
  return value;
}

function execution(d: ExecutionDescription, full: boolean): Body {
  return {
    executionArn: d.executionArn,
    stateMachineArn: d.stateMachineArn,
    name: d.name,
    status: d.status,
    startDate: epoch(d.startDate),
    stopDate: epoch(d.stopDate),
    ...(full
      ? {
          input: d.input,
          inputDetails: { included: true },
          output: d.output,
          outputDetails: d.output !== undefined ? { included: true } : undefined,
          error: d.error,
          cause: d.cause,
          redriveCount: 0,
          redriveStatus: 'NOT_REDRIVABLE',
        }
      : {}),
  };
}

/** `TaskStateEntered` → `stateEnteredEventDetails`, `TaskScheduled` → `taskScheduledEventDetails`. */
function detailsKey(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
}

const EXECUTION_DATA = new Set(['input', 'output', 'parameters']);

function historyEvent(event: HistoryEvent, includeExecutionData: boolean): Body {
  const details = event.details
    ? Object.fromEntries(Object.entries(event.details).filter(([k]) => includeExecutionData || !EXECUTION_DATA.has(k)))
    : undefined;
  return {
    timestamp: epoch(event.timestamp),
    type: event.type,
    id: event.id,
    previousEventId: event.previousEventId,
    ...(details ? { [detailsKey(event.type)]: details } : {}),
  };
}

function page<T>(items: T[], body: Body): { items: T[]; nextToken?: string } {
  const max = typeof body.maxResults === 'number' && body.maxResults > 0 ? Math.min(body.maxResults, 1000) : 100;
  const start = typeof body.nextToken === 'string' ? Number.parseInt(body.nextToken, 10) || 0 : 0;
  const slice = items.slice(start, start + max);
  return { items: slice, ...(start + max < items.length ? { nextToken: String(start + max) } : {}) };
}

/** One AWS-JSON operation against the engine. */
export function dispatchSfnOperation(engine: StepFunctionsApi, operation: string, body: Body): Body {
  switch (operation) {
    case 'StartExecution': {
      const out = engine.startExecution({ stateMachineArn: str(body, 'stateMachineArn')!, name: str(body, 'name', false), input: str(body, 'input', false) });
      return { executionArn: out.executionArn, startDate: epoch(out.startDate) };
    }
    case 'DescribeExecution':
      return execution(engine.describeExecution(str(body, 'executionArn')!), true);
    case 'StopExecution':
      return { stopDate: epoch(engine.stopExecution(str(body, 'executionArn')!, str(body, 'error', false), str(body, 'cause', false)).stopDate) };
    case 'ListExecutions': {
      const all = engine.listExecutions(str(body, 'stateMachineArn')!, str(body, 'statusFilter', false) as ExecutionStatus | undefined);
      const { items, nextToken } = page(all, body);
      return { executions: items.map((d) => execution(d, false)), nextToken };
    }
    case 'GetExecutionHistory': {
      let events = engine.getExecutionHistory(str(body, 'executionArn')!);
      if (body.reverseOrder === true) events = events.reverse();
      const { items, nextToken } = page(events, body);
      return { events: items.map((e) => historyEvent(e, body.includeExecutionData !== false)), nextToken };
    }
    case 'SendTaskSuccess':
      engine.sendTaskSuccess(str(body, 'taskToken')!, str(body, 'output')!);
      return {};
    case 'SendTaskFailure':
      engine.sendTaskFailure(str(body, 'taskToken')!, str(body, 'error', false), str(body, 'cause', false));
      return {};
    case 'SendTaskHeartbeat':
      engine.sendTaskHeartbeat(str(body, 'taskToken')!);
      return {};
    case 'DescribeStateMachine': {
      const d = engine.describeStateMachine(str(body, 'stateMachineArn')!);
      return { stateMachineArn: d.stateMachineArn, name: d.name, status: 'ACTIVE', definition: d.definition, type: 'STANDARD', roleArn: 'arn:aws:iam::000000000000:role/local-stepfunctions', creationDate: epoch(d.creationDate) };
    }
    case 'ListStateMachines':
      return { stateMachines: engine.listStateMachines().map((m) => ({ stateMachineArn: m.stateMachineArn, name: m.name, type: 'STANDARD', creationDate: epoch(m.creationDate) })) };
    default:
      throw new SfnServiceError('UnknownOperationException', `operation ${operation} is not supported by the local Step Functions`);
  }
}

function send(res: ServerResponse, status: number, body: Body): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': randomUUID() });
  res.end(text);
}

async function handle(engine: StepFunctionsApi, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const target = String(req.headers['x-amz-target'] ?? '');
  const [prefix, operation] = target.split('.');
  try {
    if (req.method !== 'POST' || prefix !== 'AWSStepFunctions' || !operation) {
      throw new SfnServiceError('UnknownOperationException', 'expected POST with X-Amz-Target: AWSStepFunctions.<Operation>');
    }
    let body: Body;
    try {
      const text = Buffer.concat(chunks).toString('utf8');
      body = (text ? JSON.parse(text) : {}) as Body;
    } catch {
      throw new SfnServiceError('ValidationException', 'the request body is not JSON');
    }
    send(res, 200, dispatchSfnOperation(engine, operation, body));
  } catch (error) {
    if (error instanceof SfnServiceError) {
      send(res, error.statusCode, { __type: error.code, message: error.message });
    } else {
      console.error('[stepfunctions] internal error', error);
      send(res, 500, { __type: 'InternalFailure', message: 'internal error of the local Step Functions' });
    }
  }
}

/** Starts the AWS-JSON endpoint for `engine`; resolves with the server and its port. */
export function startSfnHttpServer(engine: StepFunctionsApi, port: number, host: string): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    handle(engine, req, res).catch((error: unknown) => {
      console.error('[stepfunctions] request failed', error);
      if (!res.headersSent) send(res, 500, { __type: 'InternalFailure', message: 'internal error' });
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({ server, port: (server.address() as AddressInfo).port });
    });
  });
}
