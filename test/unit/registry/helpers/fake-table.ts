import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { type Item } from '../../../../functions/adapters/stores/table.ts';

type Names = Record<string, string> | undefined;
type Values = Record<string, unknown> | undefined;

/**
 * An in-memory single table behind aws-sdk-client-mock, evaluating the small
 * subset of condition, update and key expressions the repository writes
 * (`attribute_(not_)exists`, `=`, `<`, `IN`, `AND`/`OR`; `SET a = :v`;
 * `#pk = :pk [AND begins_with(#sk, :sk) | #sk < :before]`), so that handler
 * tests see conditional writes and transactions behave as DynamoDB's do.
 */
export class FakeTable {
  readonly items = new Map<string, Item>();
  /** TransactWriteItems calls so far. */
  transactions = 0;
  /** The 1-based transaction that fails as a service error would (nothing written). */
  failTransaction: number | undefined;

  put(item: Item): this {
    this.items.set(`${String(item.pk)}|${String(item.sk)}`, structuredClone(item));
    return this;
  }

  get(pk: string, sk: string): Item | undefined {
    return this.items.get(`${pk}|${sk}`);
  }

  /** Items whose pk starts with `prefix`. */
  withPk(prefix: string): Item[] {
    return [...this.items.values()].filter((i) => String(i.pk).startsWith(prefix));
  }

  private name(token: string, names: Names): string {
    return token.startsWith('#') ? (names?.[token] ?? token) : token;
  }

  private atom(expr: string, item: Item | undefined, names: Names, values: Values): boolean {
    const e = expr.trim().replace(/^\((.*)\)$/, '$1');
    let m = e.match(/^attribute_not_exists\((.+)\)$/);
    if (m) return item === undefined || item[this.name(m[1]!, names)] === undefined;
    m = e.match(/^attribute_exists\((.+)\)$/);
    if (m) return item !== undefined && item[this.name(m[1]!, names)] !== undefined;
    m = e.match(/^(\S+) IN \((.+)\)$/);
    if (m) return m[2]!.split(',').some((v) => item?.[this.name(m![1]!, names)] === values?.[v.trim()]);
    m = e.match(/^(\S+) (=|<) (\S+)$/);
    if (m) {
      const left = item?.[this.name(m[1]!, names)];
      const right = values?.[m[3]!];
      if (left === undefined) return false;
      return m[2] === '=' ? left === right : (left as number | string) < (right as number | string);
    }
    throw new Error(`FakeTable cannot evaluate: ${e}`);
  }

  condition(expr: string | undefined, item: Item | undefined, names: Names, values: Values): boolean {
    if (!expr) return true;
    return expr.split(' OR ').some((alt) => alt.split(' AND ').every((a) => this.atom(a, item, names, values)));
  }

  private applyUpdate(key: { pk: string; sk: string }, update: string, names: Names, values: Values): void {
    const current = this.get(key.pk, key.sk) ?? { ...key };
    const at = update.indexOf('REMOVE ');
    const setPart = (at < 0 ? update : update.slice(0, at)).trim();
    const removePart = at < 0 ? '' : update.slice(at + 'REMOVE '.length);
    if (setPart) {
      for (const set of setPart.replace(/^SET /, '').split(', ')) {
        const [left, right] = set.split(' = ');
        current[this.name(left!.trim(), names)] = structuredClone(values?.[right!.trim()]);
      }
    }
    for (const token of removePart.split(',').map((t) => t.trim()).filter(Boolean)) delete current[this.name(token, names)];
    this.put(current);
  }

  private query(input: {
    IndexName?: string;
    KeyConditionExpression?: string;
    FilterExpression?: string;
    ConsistentRead?: boolean;
    ExpressionAttributeNames?: Names;
    ExpressionAttributeValues?: Values;
    ScanIndexForward?: boolean;
    Select?: string;
    Limit?: number;
    ExclusiveStartKey?: Item;
  }) {
    const pkName = input.IndexName ? `${input.IndexName}pk` : 'pk';
    const skName = input.IndexName ? `${input.IndexName}sk` : 'sk';
    const v = input.ExpressionAttributeValues ?? {};
    const kce = input.KeyConditionExpression ?? '';
    let found = [...this.items.values()].filter((i) => i[pkName] === v[':pk']);
    if (kce.includes('begins_with')) found = found.filter((i) => String(i[skName]).startsWith(String(v[':sk'])));
    if (kce.includes('<')) found = found.filter((i) => String(i[skName]) < String(v[':before']));
    if (input.FilterExpression) found = found.filter((i) => this.condition(input.FilterExpression, i, input.ExpressionAttributeNames, v));
    if (input.ConsistentRead && input.IndexName) throw new Error('DynamoDB refuses ConsistentRead on a GSI');
    found.sort((a, b) => String(a[skName]).localeCompare(String(b[skName])));
    if (input.ScanIndexForward === false) found.reverse();
    const startAt = input.ExclusiveStartKey ? found.findIndex((i) => i.pk === input.ExclusiveStartKey?.pk && i.sk === input.ExclusiveStartKey?.sk) + 1 : 0;
    const page = found.slice(startAt, input.Limit ? startAt + input.Limit : undefined);
    const last = page[page.length - 1];
    const more = startAt + page.length < found.length;
    if (input.Select === 'COUNT') return { Count: found.length };
    return { Items: structuredClone(page), Count: page.length, LastEvaluatedKey: more && last ? { pk: last.pk, sk: last.sk } : undefined };
  }

  /** Routes every command of the mocked document client to this table. */
  wire(ddb: AwsClientStub<DynamoDBDocumentClient>): void {
    const stub = ddb;
    stub.on(GetCommand ).callsFake((input: { Key: { pk: string; sk: string } }) => ({ Item: structuredClone(this.get(input.Key.pk, input.Key.sk)) }));
    stub.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: Array<{ pk: string; sk: string }> }> }) => ({
      Responses: Object.fromEntries(
        Object.entries(input.RequestItems).map(([table, request]) => [
          table,
          request.Keys.map((k) => structuredClone(this.get(k.pk, k.sk))).filter((i): i is Item => i !== undefined),
        ]),
      ),
    }));
    stub.on(QueryCommand ).callsFake((input: Parameters<FakeTable['query']>[0]) => this.query(input));
    stub.on(PutCommand ).callsFake((input: { Item: Item; ConditionExpression?: string; ExpressionAttributeNames?: Names; ExpressionAttributeValues?: Values }) => {
      const existing = this.get(String(input.Item.pk), String(input.Item.sk));
      if (!this.condition(input.ConditionExpression, existing, input.ExpressionAttributeNames, input.ExpressionAttributeValues)) {
        throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
      }
      this.put(input.Item);
      return {};
    });
    stub.on(UpdateCommand ).callsFake((input: { Key: { pk: string; sk: string }; UpdateExpression: string; ConditionExpression?: string; ExpressionAttributeNames?: Names; ExpressionAttributeValues?: Values }) => {
      if (!this.condition(input.ConditionExpression, this.get(input.Key.pk, input.Key.sk), input.ExpressionAttributeNames, input.ExpressionAttributeValues)) {
        throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
      }
      this.applyUpdate(input.Key, input.UpdateExpression, input.ExpressionAttributeNames, input.ExpressionAttributeValues);
      return {};
    });
    stub.on(DeleteCommand ).callsFake((input: { Key: { pk: string; sk: string }; ConditionExpression?: string; ExpressionAttributeValues?: Values }) => {
      if (!this.condition(input.ConditionExpression, this.get(input.Key.pk, input.Key.sk), undefined, input.ExpressionAttributeValues)) {
        throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
      }
      this.items.delete(`${input.Key.pk}|${input.Key.sk}`);
      return {};
    });
    stub.on(TransactWriteCommand ).callsFake((input: { TransactItems: Array<Record<string, Record<string, unknown>>> }) => {
      this.transactions += 1;
      if (this.transactions === this.failTransaction) throw new Error('simulated service failure');
      const reasons = input.TransactItems.map((op) => {
        const [kind, body] = Object.entries(op)[0]!;
        const key = (kind === 'Put' ? { pk: (body.Item as Item).pk, sk: (body.Item as Item).sk } : body.Key) as { pk: string; sk: string };
        const ok = this.condition(body.ConditionExpression as string | undefined, this.get(key.pk, key.sk), body.ExpressionAttributeNames as Names, body.ExpressionAttributeValues as Values);
        return { Code: ok ? 'None' : 'ConditionalCheckFailed' };
      });
      if (reasons.some((r) => r.Code !== 'None')) {
        throw new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: reasons });
      }
      for (const op of input.TransactItems) {
        const [kind, body] = Object.entries(op)[0]!;
        if (kind === 'Put') this.put(body.Item as Item);
        else if (kind === 'Delete') this.items.delete(`${String((body.Key as Item).pk)}|${String((body.Key as Item).sk)}`);
        else if (kind === 'Update') {
          this.applyUpdate(body.Key as { pk: string; sk: string }, body.UpdateExpression as string, body.ExpressionAttributeNames as Names, body.ExpressionAttributeValues as Values);
        }
      }
      return {};
    });
  }
}

export { DynamoDBDocumentClient };
