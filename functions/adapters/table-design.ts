/**
 * The single table's key design, shared by the CDK stateful stack and the
 * local stack (which creates the same table in DynamoDB Local).
 *
 * Items use overloaded keys (`pk`/`sk`) and three overloaded GSIs. Each GSI
 * projects only what its list views read (DESIGN.md, "indexes lean"): a
 * write that changes no projected attribute costs no index write. Key
 * shapes and access patterns are listed in each store under
 * `functions/adapters/stores/`.
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

export interface GsiDesign {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  /** KEYS_ONLY (lists then read the records by key) or INCLUDE these never-changing attributes. */
  readonly projection: { readonly type: 'KEYS_ONLY' } | { readonly type: 'INCLUDE'; readonly attributes: readonly string[] };
}

export const GSIS: readonly GsiDesign[] = [
  /** Lists by owner: applications and sites of an institution, pending tasks of an assignee (sparse). */
  { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: { type: 'KEYS_ONLY' } },
  /**
   * Lists by status (sharded `#0..9`): applications and sites by status, pending tasks (sparse), staff by role.
   * The dashboard counts and groups from the index alone: it includes the attributes it groups by, none of which
   * ever changes on an item.
   */
  {
    indexName: 'gsi2',
    partitionKey: 'gsi2pk',
    sortKey: 'gsi2sk',
    projection: { type: 'INCLUDE', attributes: ['provinceCode', 'cityCode', 'siteId', 'decisionId', 'applicationId', 'kind', 'assigneeSub', 'deadline'] },
  },
  /** Lookups by secondary identifier: evidence by SHA-256, sites by next milestone (sharded), members, decisions of an application. */
  { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk', projection: { type: 'KEYS_ONLY' } },
];

/** Attribute read by DynamoDB TTL (epoch seconds): idempotency records, expired upload grants. */
export const TTL_ATTRIBUTE = 'expiresAt';

/**
 * Partition prefix of the invitations' e-mail index (`INVITEMAIL#<sha256(email)>`):
 * the only partitions the Cognito pre-sign-up trigger may query (its IAM
 * policy names this prefix in `dynamodb:LeadingKeys`).
 */
export const INVITATION_EMAIL_PREFIX = 'INVITEMAIL#';

/**
 * Partition of the organisation's report snapshot (`REPORTS#admin`): the
 * only items the reports function may write (its IAM policy names this
 * prefix in `dynamodb:LeadingKeys`); everything else it only reads.
 */
export const REPORT_SNAPSHOT_PREFIX = 'REPORTS#';
