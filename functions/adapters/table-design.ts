/**
 * The single table's key design, shared by the CDK stateful stack and the
 * local stack (which creates the same table in DynamoDB Local).
 *
 * Items use overloaded keys (`pk`/`sk`) and three overloaded GSIs; all
 * projections are ALL. Access patterns and their key shapes are listed in
 * `functions/adapters/repository.ts`.
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

export interface GsiDesign {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

export const GSIS: readonly GsiDesign[] = [
  /** Lists by owner: applications of an institution, tasks of an assignee. */
  { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** Lists by status (sharded): applications by status, sites by status, overdue tasks. */
  { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  /** Lookups by secondary identifier: evidence by SHA-256, sites by next milestone, membership by institution. */
  { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
];

/** Attribute read by DynamoDB TTL (epoch seconds): idempotency records, expired upload grants. */
export const TTL_ATTRIBUTE = 'expiresAt';

/**
 * Partition prefix of the invitations' e-mail index (`INVITEMAIL#<sha256(email)>`):
 * the only partitions the Cognito pre-sign-up trigger may query (its IAM
 * policy names this prefix in `dynamodb:LeadingKeys`).
 */
export const INVITATION_EMAIL_PREFIX = 'INVITEMAIL#';
