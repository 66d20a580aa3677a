import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { IDEMPOTENCY_PARTITION, resetIdempotencyClient } from '../../functions/adapters/idempotency-store.ts';
import { ensureTable, startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb/dynamodb-local.ts';

/**
 * DynamoDB Local for the `Idempotency-Key` tests of handlers whose other data
 * access is mocked: the Powertools persistence layer uses its own raw client,
 * which this points at a real DynamoDB (conditions, TTL attribute and all).
 * One per test file; the port follows TEST_PORT_BASE and the vitest worker.
 */
export async function startIdempotencyTable(): Promise<{ records: () => Promise<Array<Record<string, unknown>>>; stop: () => Promise<void> }> {
  const port = Number(process.env.TEST_PORT_BASE ?? 5200) + 300 + Number(process.env.VITEST_POOL_ID ?? 0) * 20;
  const ddb: DynamoDbLocal = await startDynamoDbLocal({ port });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = ddb.endpoint;
  resetIdempotencyClient();
  const client = new DynamoDBClient({ endpoint: ddb.endpoint });
  const tableName = process.env.TABLE_NAME ?? 'exam-site-test';
  await ensureTable(client, tableName);
  return {
    /** Every idempotency record in the table. */
    records: async () => {
      const out = await client.send(
        new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: IDEMPOTENCY_PARTITION } }, ConsistentRead: true }),
      );
      return (out.Items ?? []).map((item) => unmarshall(item));
    },
    stop: async () => {
      client.destroy();
      delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
      await ddb.stop();
    },
  };
}
