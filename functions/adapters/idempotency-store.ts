import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { requireEnv } from '../shared/env.ts';
import { TABLE_KEYS, TTL_ATTRIBUTE } from './table-design.ts';

/**
 * Where Powertools keeps idempotency records: the single table, under their
 * own partition key value (`IDEMPOTENCY`), the hashed key in `sk`, expiring
 * through the table's TTL attribute. The functions that take an
 * `Idempotency-Key` already read and write the table, so no grant is added.
 * Records are small (the stored response) and POSTs are few, so one
 * partition value is far from DynamoDB's per-partition limits.
 */
export const IDEMPOTENCY_PARTITION = 'IDEMPOTENCY';

/**
 * A persistence layer for one handler. Powertools configures a layer once,
 * with the first config it sees, so handlers that share a process (the local
 * stack) each need their own; the DynamoDB client is shared.
 */
export function idempotencyStore(): DynamoDBPersistenceLayer {
  client ??= new DynamoDBClient({});
  return new DynamoDBPersistenceLayer({
    tableName: requireEnv('TABLE_NAME'),
    keyAttr: TABLE_KEYS.partitionKey,
    sortKeyAttr: TABLE_KEYS.sortKey,
    staticPkValue: IDEMPOTENCY_PARTITION,
    expiryAttr: TTL_ATTRIBUTE,
    // A raw client of its own: Powertools sends raw (marshalled) commands.
    awsSdkV3Client: client,
  });
}

let client: DynamoDBClient | undefined;

/** Forgets the client (tests that point the DynamoDB endpoint elsewhere). */
export function resetIdempotencyClient(): void {
  client = undefined;
}
