import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb/dynamodb-local.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The DynamoDB Local that the table fixture (test/support/table.ts) uses; see this module. */
    dynamoDbLocalEndpoint: string;
  }
}

/**
 * One DynamoDB Local for the whole `vitest run`, on `TEST_PORT_BASE` (default
 * 5200) + 310. Vitest runs every test file in a fresh process, so an emulator
 * started by the files themselves would boot a JVM per file (3 to 15 s each
 * on the 2-core machine); here it boots once, in the background while vitest
 * collects the files, and the fixture waits for it on first use. Each worker
 * has its own table in it (test/support/table.ts), so parallel files never
 * see each other's items.
 */
export default function setup(project: TestProject): () => Promise<void> {
  const port = Number(process.env.TEST_PORT_BASE ?? 5200) + 310;
  project.provide('dynamoDbLocalEndpoint', `http://127.0.0.1:${port}`);
  const starting: Promise<DynamoDbLocal | undefined> = startDynamoDbLocal({ port }).catch((error: unknown) => {
    // The fixture reports the unreachable port to the tests that need it; say why here once.
    console.error(`DynamoDB Local for the unit tests did not start: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  });
  return async () => {
    await (await starting)?.stop();
  };
}
