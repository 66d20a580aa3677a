import { BatchWriteItemCommand, DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, inject } from 'vitest';
import { documentClient } from '../../functions/adapters/aws-clients.ts';
import { resetIdempotencyClient } from '../../functions/adapters/idempotency-store.ts';
import type { Item } from '../../functions/adapters/stores/table.ts';
import { ensureTable } from '../../local/dynamodb/dynamodb-local.ts';

/**
 * The one table fixture of the unit tests: the real stores run against the
 * DynamoDB Local that `test/support/dynamodb-global-setup.ts` starts once per
 * run, in a table created exactly as the stack creates it (same keys, GSIs
 * and projections), so a condition, update or key expression DynamoDB would
 * refuse fails here too. Each vitest worker has its own table; it is emptied
 * before every test.
 *
 * The test seeds items as stored (`await table.put(item)`), calls the
 * handler or use case, and reads what was written (`get`, `withPk`,
 * `audits`). `sent(Command)` gives the inputs of the commands the stores
 * sent during the test, for tests whose point is how DynamoDB is asked (an
 * index rather than a Scan, a ConditionCheck inside the transaction).
 * To make DynamoDB fail where that is the point of a test,
 * `table.mockStores()` puts aws-sdk-client-mock on the stores' client with
 * every other command passed through:
 * `table.mockStores().on(TransactWriteCommand).rejectsOnce(error)`.
 */

/** The table of this vitest worker (workers run at once; files within one worker run one after another). */
export const TEST_TABLE_NAME = `exam-site-test-${process.env.VITEST_POOL_ID ?? '0'}`;

export interface TestTable {
  /** Writes items as they are stored (keys and all), replacing any at the same key. */
  put(...items: Item[]): Promise<void>;
  /** The item at a key, or undefined. */
  get(pk: string, sk: string): Promise<Item | undefined>;
  /** Every item whose pk starts with `prefix`, ordered by pk then sk. */
  withPk(prefix: string): Promise<Item[]>;
  /** Every item in the table, ordered by pk then sk. */
  all(): Promise<Item[]>;
  /** The audit items of an owner (`APP#…`, `SITE#…`), oldest first. */
  audits(ownerPk: string): Promise<Item[]>;
  /** Deletes the item at a key. */
  delete(pk: string, sk: string): Promise<void>;
  /** Deletes every item (done before each test). */
  clear(): Promise<void>;
  /** Inputs of the commands of this class that the stores sent since the test began, in order. */
  sent<I extends object>(command: abstract new (input: I) => { readonly input: I }): I[];
  /** Inputs of every command the stores sent since the test began. */
  sent(): object[];
  /**
   * aws-sdk-client-mock on the stores' client, for a test whose point is a
   * DynamoDB failure: every command still reaches the table unless the test
   * gives it another behaviour (`.on(TransactWriteCommand).rejectsOnce(error)`).
   * Restored after the test.
   */
  mockStores(): AwsClientStub<DynamoDBDocumentClient>;
  /** Sends a command to the table past the mock (for a `callsFake` that fails only some calls). */
  passThrough(command: { input: object }): Promise<unknown>;
}

let sentCommands: Array<{ input: object }> = [];
const recording = new WeakSet<object>();
let storeMock: AwsClientStub<DynamoDBDocumentClient> | undefined;

/** The stores' client's own send, under any mock of the instance. */
function sendThrough(command: { input: object }): Promise<unknown> {
  const client = documentClient();
  sentCommands.push(command);
  const inherited = (Object.getPrototypeOf(client) as { send: (command: { input: object }) => Promise<unknown> }).send;
  return inherited.call(client, command);
}

/** Records what the stores' document client sends, then sends it as it would (through any mock on its class). */
function recordStoreCommands(): void {
  const client = documentClient();
  if (recording.has(client)) return;
  recording.add(client);
  const own = client as unknown as { send: (command: { input: object }, ...rest: unknown[]) => Promise<unknown> };
  own.send = (command) => sendThrough(command);
}

function byKey(a: Item, b: Item): number {
  return String(a.pk).localeCompare(String(b.pk)) || String(a.sk).localeCompare(String(b.sk));
}

const toItem = (raw: Record<string, AttributeValue>): Item => unmarshall(raw);
const toRaw = (item: Item): Record<string, AttributeValue> => marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: false });

/** Creates this worker's table in the run's DynamoDB Local (started and answering before any file runs: the global setup). */
async function createTable(endpoint: string, client: DynamoDBClient): Promise<void> {
  try {
    await ensureTable(client, TEST_TABLE_NAME);
  } catch (error) {
    throw new Error(`DynamoDB Local is not answering at ${endpoint} (started by test/support/dynamodb-global-setup.ts; is the port taken?): ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Points the stores (and the Powertools idempotency layer) at this worker's
 * table in the shared DynamoDB Local and empties it before each test (or,
 * with `clear: 'once'`, before the file's first test only, for files whose
 * tests read data seeded once in a `beforeAll`). Call it once at the top of a
 * test file, after the file's environment helper.
 */
export function useTestTable(options: { clear?: 'each' | 'once' } = {}): TestTable {
  const endpoint = inject('dynamoDbLocalEndpoint');
  const pointAtTable = () => {
    process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
    process.env.TABLE_NAME = TEST_TABLE_NAME;
    process.env.AWS_REGION ??= 'cn-north-1';
    process.env.AWS_ACCESS_KEY_ID ??= 'AKIATESTEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'test/secret/key';
  };
  pointAtTable();
  resetIdempotencyClient();
  const client = new DynamoDBClient({ endpoint, region: 'cn-north-1', credentials: { accessKeyId: 'fixture', secretAccessKey: 'fixture' } });

  async function scan(filter?: { prefix: string }): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const out = await client.send(
        new ScanCommand({
          TableName: TEST_TABLE_NAME,
          ConsistentRead: true,
          ExclusiveStartKey: start,
          ...(filter ? { FilterExpression: 'begins_with(pk, :prefix)', ExpressionAttributeValues: { ':prefix': { S: filter.prefix } } } : {}),
        }),
      );
      items.push(...(out.Items ?? []).map(toItem));
      start = out.LastEvaluatedKey;
    } while (start);
    return items.sort(byKey);
  }

  const table: TestTable = {
    async put(...items) {
      for (const item of items) await client.send(new PutItemCommand({ TableName: TEST_TABLE_NAME, Item: toRaw(item) }));
    },
    async get(pk, sk) {
      const out = await client.send(new GetItemCommand({ TableName: TEST_TABLE_NAME, Key: toRaw({ pk, sk }), ConsistentRead: true }));
      return out.Item ? toItem(out.Item) : undefined;
    },
    withPk: (prefix) => scan({ prefix }),
    all: () => scan(),
    async audits(ownerPk) {
      const out = await client.send(
        new QueryCommand({
          TableName: TEST_TABLE_NAME,
          ConsistentRead: true,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
          ExpressionAttributeValues: { ':pk': { S: ownerPk }, ':audit': { S: 'AUDIT#' } },
        }),
      );
      return (out.Items ?? []).map(toItem);
    },
    async delete(pk, sk) {
      await client.send(new DeleteItemCommand({ TableName: TEST_TABLE_NAME, Key: toRaw({ pk, sk }) }));
    },
    async clear() {
      const keys = (await scan()).map((item) => ({ DeleteRequest: { Key: toRaw({ pk: item.pk, sk: item.sk }) } }));
      for (let i = 0; i < keys.length; i += 25) {
        let batch: typeof keys | undefined = keys.slice(i, i + 25);
        while (batch && batch.length > 0) {
          const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [TEST_TABLE_NAME]: batch } }));
          batch = out.UnprocessedItems?.[TEST_TABLE_NAME] as typeof keys | undefined;
        }
      }
    },
    mockStores() {
      storeMock ??= mockClient(documentClient());
      storeMock.reset();
      storeMock.send.callThrough();
      return storeMock;
    },
    passThrough: sendThrough,
    sent(command?: abstract new (input: never) => unknown) {
      return sentCommands.filter((c) => command === undefined || c instanceof command).map((c) => c.input as never);
    },
  };

  beforeAll(async () => {
    await createTable(endpoint, client);
    recordStoreCommands();
    if (options.clear === 'once') await table.clear();
  });
  afterEach(() => {
    storeMock?.restore();
    storeMock = undefined;
  });
  beforeEach(async () => {
    // A test may have reset the environment (its env helper); the stores read TABLE_NAME on every call.
    pointAtTable();
    sentCommands = [];
    if (options.clear !== 'once') await table.clear();
  });
  return table;
}
