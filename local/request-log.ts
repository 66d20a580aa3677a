import { createServer, request, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A request log in the local DynamoDB path: a pass-through HTTP proxy in
 * front of DynamoDB Local that counts every operation by its type (the
 * `X-Amz-Target` header: `Query`, `Scan`, `TransactWriteItems`, …). Every
 * client of the local stack (handlers, workflows' tasks, seeds) goes through
 * it, so "no Scan" is read from the log, not assumed.
 */
export class DynamoDbRequestLog {
  private readonly counts = new Map<string, number>();
  private server: Server | undefined;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  constructor(private readonly target: string) {}

  /** Starts the proxy on 127.0.0.1 (`port` 0: any free port); resolves to its endpoint. */
  async start(port = 0): Promise<string> {
    const upstream = new URL(this.target);
    this.server = createServer((req, res) => {
      const operation = String(req.headers['x-amz-target'] ?? 'unknown').split('.').pop() ?? 'unknown';
      this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
      const forward = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent: this.agent },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', (error) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`DynamoDB Local unreachable: ${error.message}`);
      });
      req.pipe(forward);
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Operations since the start (or the last reset), by type, sorted by name. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** How many operations of one type were sent. */
  count(operation: string): number {
    return this.counts.get(operation) ?? 0;
  }

  reset(): void {
    this.counts.clear();
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
