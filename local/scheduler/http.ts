import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SchedulerServiceError, type Schedule, type ScheduleRequest, type SchedulerApi } from './api.ts';

type Body = Record<string, unknown>;

/** Timestamps travel as epoch seconds in the REST-JSON protocol. */
function epoch(date: Date | undefined): number | undefined {
  return date ? date.getTime() / 1000 : undefined;
}

function scheduleBody(s: Schedule): Body {
  return {
    ...s,
    StartDate: epoch(s.StartDate),
    EndDate: epoch(s.EndDate),
    CreationDate: epoch(s.CreationDate),
    LastModificationDate: epoch(s.LastModificationDate),
  };
}

function requestOf(name: string, body: Body): ScheduleRequest {
  const date = (value: unknown) => (typeof value === 'number' ? new Date(value * 1000) : undefined);
  return { ...(body as unknown as ScheduleRequest), Name: name, StartDate: date(body.StartDate), EndDate: date(body.EndDate) };
}

function paged<T>(items: T[], query: URLSearchParams): { items: T[]; NextToken?: string } {
  const max = Number(query.get('MaxResults') ?? 100) || 100;
  const start = Number(query.get('NextToken') ?? 0) || 0;
  return { items: items.slice(start, start + max), ...(start + max < items.length ? { NextToken: String(start + max) } : {}) };
}

/** One REST-JSON request against the scheduler: returns the response body. */
export function dispatchSchedulerRequest(scheduler: SchedulerApi, method: string, url: URL, body: Body): Body {
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const [collection, name] = parts;
  const query = url.searchParams;
  if (collection === 'schedules' && parts.length === 2 && name) {
    switch (method) {
      case 'POST':
        return scheduler.createSchedule(requestOf(name, body));
      case 'PUT':
        return scheduler.updateSchedule(requestOf(name, body));
      case 'GET':
        return scheduleBody(scheduler.getSchedule(name, query.get('groupName') ?? 'default'));
      case 'DELETE':
        scheduler.deleteSchedule(name, query.get('groupName') ?? 'default');
        return {};
    }
  }
  if (collection === 'schedules' && parts.length === 1 && method === 'GET') {
    const state = query.get('State');
    const all = scheduler.listSchedules({
      groupName: query.get('ScheduleGroup') ?? undefined,
      namePrefix: query.get('NamePrefix') ?? undefined,
      state: state === 'ENABLED' || state === 'DISABLED' ? state : undefined,
    });
    const { items, NextToken } = paged(all, query);
    return {
      Schedules: items.map((s) => ({ Arn: s.Arn, Name: s.Name, GroupName: s.GroupName, State: s.State, CreationDate: epoch(s.CreationDate), LastModificationDate: epoch(s.LastModificationDate), Target: { Arn: s.Target.Arn } })),
      NextToken,
    };
  }
  if (collection === 'schedule-groups' && parts.length === 2 && name) {
    switch (method) {
      case 'POST':
        return scheduler.createScheduleGroup(name);
      case 'GET': {
        const g = scheduler.getScheduleGroup(name);
        return { ...g, CreationDate: epoch(g.CreationDate), LastModificationDate: epoch(g.LastModificationDate) };
      }
      case 'DELETE':
        scheduler.deleteScheduleGroup(name);
        return {};
    }
  }
  if (collection === 'schedule-groups' && parts.length === 1 && method === 'GET') {
    const { items, NextToken } = paged(scheduler.listScheduleGroups(), query);
    return { ScheduleGroups: items.map((g) => ({ ...g, CreationDate: epoch(g.CreationDate), LastModificationDate: epoch(g.LastModificationDate) })), NextToken };
  }
  throw new SchedulerServiceError('ValidationException', `${method} ${url.pathname} is not an operation of the local scheduler`);
}

function send(res: ServerResponse, status: number, body: Body, errorType?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(text);
}

async function handle(scheduler: SchedulerApi, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    let body: Body;
    try {
      const text = Buffer.concat(chunks).toString('utf8');
      body = (text ? JSON.parse(text) : {}) as Body;
    } catch {
      throw new SchedulerServiceError('ValidationException', 'the request body is not JSON');
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    send(res, 200, dispatchSchedulerRequest(scheduler, req.method ?? 'GET', url, body));
  } catch (error) {
    if (error instanceof SchedulerServiceError) {
      send(res, error.statusCode, { Message: error.message }, error.code);
    } else {
      console.error('[scheduler] internal error', error);
      send(res, 500, { Message: 'internal error of the local scheduler' }, 'InternalServerException');
    }
  }
}

/** Starts the REST-JSON endpoint for `scheduler`; resolves with the server and its port. */
export function startSchedulerHttpServer(scheduler: SchedulerApi, port: number, host: string): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    handle(scheduler, req, res).catch((error: unknown) => {
      console.error('[scheduler] request failed', error);
      if (!res.headersSent) send(res, 500, { Message: 'internal error' }, 'InternalServerException');
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
