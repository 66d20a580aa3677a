import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
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
    return handler(event, context);
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
