import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { handlerEntry } from '../functions/catalog.ts';

type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * Runs the real handler modules in-process, as Lambda would: one module load
 * per function (a cold start), then warm invocations with a fresh Context.
 * Errors propagate with their `name`, which the local Step Functions engine
 * turns into the Step Functions error name, as Lambda does.
 */
export class LocalLambdaRuntime {
  private readonly loaded = new Map<string, Promise<LambdaHandler>>();
  private readonly tally = new Map<string, { invocations: number; billedMs: number }>();

  constructor(
    private readonly root: string,
    private readonly region = 'us-east-1',
    private readonly account = '000000000000',
  ) {}

  /** True when the function's handler file exists. */
  has(name: string): boolean {
    return existsSync(join(this.root, handlerEntry(name)));
  }

  arn(name: string): string {
    return `arn:aws:lambda:${this.region}:${this.account}:function:${name}`;
  }

  async invoke(name: string, event: unknown): Promise<unknown> {
    const handler = await this.load(name);
    const requestId = randomUUID();
    const context: Context = {
      callbackWaitsForEmptyEventLoop: false,
      functionName: name,
      functionVersion: '$LATEST',
      invokedFunctionArn: this.arn(name),
      memoryLimitInMB: '256',
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${name}`,
      logStreamName: 'local',
      getRemainingTimeInMillis: () => 30_000,
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
    const started = performance.now();
    try {
      return await handler(event, context);
    } finally {
      // Lambda bills each invocation's duration rounded up to the millisecond.
      const t = this.tally.get(name) ?? { invocations: 0, billedMs: 0 };
      t.invocations += 1;
      t.billedMs += Math.max(1, Math.ceil(performance.now() - started));
      this.tally.set(name, t);
    }
  }

  /**
   * Invocations and their durations (wall time in this process, each rounded
   * up to the millisecond as Lambda bills it) per function so far; the
   * bench's Lambda figures. The module load (a cold start's import) is not
   * in the duration.
   */
  invocationTally(): Record<string, { readonly invocations: number; readonly billedMs: number }> {
    return Object.fromEntries([...this.tally.entries()].map(([name, t]) => [name, { ...t }]));
  }

  private load(name: string): Promise<LambdaHandler> {
    let pending = this.loaded.get(name);
    if (!pending) {
      const file = join(this.root, handlerEntry(name));
      pending = import(pathToFileURL(file).href).then((mod: { handler?: LambdaHandler }) => {
        if (typeof mod.handler !== 'function') throw new Error(`${file} exports no handler`);
        return mod.handler;
      });
      this.loaded.set(name, pending);
    }
    return pending;
  }
}
