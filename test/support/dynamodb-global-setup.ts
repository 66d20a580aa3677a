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
 * on the 2-core machine); here it boots once, before the first file runs
 * (`startDynamoDbLocal` answers when the emulator does). Each worker
 * has its own table in it (test/support/table.ts), so parallel files never
 * see each other's items.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const port = Number(process.env.TEST_PORT_BASE ?? 5200) + 310;
  project.provide('dynamoDbLocalEndpoint', `http://127.0.0.1:${port}`);
  let local: DynamoDbLocal | undefined;
  try {
    local = await startDynamoDbLocal({ port });
  } catch (error) {
    // The fixture reports the unreachable port to the tests that need it; say why here once.
    console.error(`DynamoDB Local for the unit tests did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  return async () => {
    await local?.stop();
  };
}
