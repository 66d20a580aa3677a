import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An error answered in the AWS JSON protocol shape (`{"__type": ..., "message": ...}`). */
export class AwsServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }
}

/** Reads a request body as a string (bounded, to keep a bad client from filling memory). */
export async function readBody(req: IncomingMessage, limit = 10 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new AwsServiceError('RequestEntityTooLarge', 'request body too large', 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  const text = JSON.stringify(body ?? {});
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Listens on 127.0.0.1:`port` (0 = any free port) and resolves with the bound port. */
export function listenLocal(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}

export type AwsJsonOperation = (input: Record<string, unknown>) => Promise<unknown> | unknown;

/**
 * An HTTP server for an AWS JSON-protocol service (`X-Amz-Target: <Prefix>.<Operation>`),
 * as the real SDK clients call it. Unknown operations answer `UnknownOperationException`.
 */
export function createAwsJsonServer(
  targetPrefix: string,
  operations: Record<string, AwsJsonOperation>,
  contentType = 'application/x-amz-json-1.1',
): Server {
  return createServer((req, res) => {
    void (async () => {
      try {
        const target = String(req.headers['x-amz-target'] ?? '');
        const [prefix, op] = target.split('.');
        const operation = prefix === targetPrefix && op ? operations[op] : undefined;
        if (!operation) throw new AwsServiceError('UnknownOperationException', `unknown operation ${target}`);
        const raw = (await readBody(req)).toString('utf8');
        const input = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
        sendJson(res, 200, await operation(input), contentType);
      } catch (error) {
        if (error instanceof AwsServiceError) {
          sendJson(res, error.statusCode, { __type: error.type, message: error.message }, contentType);
        } else {
          console.error(`[${targetPrefix}] internal error`, error);
          sendJson(res, 500, { __type: 'InternalFailure', message: 'internal error' }, contentType);
        }
      }
    })();
  });
}
