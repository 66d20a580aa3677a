/** The shapes of the catalogue (`functions/catalog.ts`): each area file under `functions/catalog/` lists its entries with them. */

/** What a function may touch; the CDK construct turns each into the narrowest grant. */
export interface FunctionAccess {
  /** The single table. */
  table?: 'read' | 'readwrite';
  /** The evidence bucket: `read` (GetObject, presign GET), `write` (presign POST), `quarantine` (copy/tag invalid versions), `retain` (tag an ended application's files for expiry). */
  evidence?: ReadonlyArray<'read' | 'write' | 'quarantine' | 'retain'>;
  /** State machines by workflow name (file `workflows/<name>/<name>.asl.json`): start executions and/or answer callbacks. */
  workflows?: { start?: readonly string[]; sendTaskResult?: readonly string[] };
  /** Create/update/delete one-time schedules in the system's schedule group. */
  scheduler?: boolean;
  /**
   * Compute the keyed hash of candidates' ID numbers (Art.14, PIPL): on AWS
   * `kms:GenerateMac` on the one HMAC key (the key never leaves KMS);
   * locally a key generated at start.
   */
  candidateIdHash?: boolean;
  /** Enqueue mail (the mail queue); only `send-mail` talks to SES/SMTP. */
  mailQueue?: boolean;
  /** Send through SES/SMTP (the mail sender only). */
  mailSend?: boolean;
  /** Put domain events on the bus. */
  events?: boolean;
  /**
   * Query the invitations' e-mail index only (`INVITEMAIL#…` partitions,
   * through `dynamodb:LeadingKeys`): the Cognito pre-sign-up gate. No other
   * item of the table is readable.
   */
  invitationEmailIndex?: boolean;
  /**
   * Put and update the reports' snapshot item only (`REPORTS#…` partitions,
   * through `dynamodb:LeadingKeys`), beside `table: 'read'`.
   */
  reportSnapshot?: boolean;
  /** The Cognito user pool, where there is one: `add-to-group` (AdminAddUserToGroup), `read-user` (AdminGetUser). */
  userPool?: ReadonlyArray<'add-to-group' | 'read-user'>;
}

/** `identity-trigger`: a Cognito user-pool trigger, built with the pool in the stateful stack (catalog/accounts.ts). */
export type FunctionKind = 'http' | 'task' | 'queue' | 'schedule' | 'identity-trigger';

export interface FunctionSpec {
  readonly name: string;
  readonly kind: FunctionKind;
  readonly description: string;
  readonly access: FunctionAccess;
  readonly memoryMb?: number;
  readonly timeoutSeconds?: number;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteSpec {
  readonly method: HttpMethod;
  /** API Gateway route path, `{param}` style. */
  readonly path: string;
  /** Name of the function handling it. */
  readonly fn: string;
  /** `none` for the few public routes (OpenAPI document). */
  readonly auth: 'jwt' | 'none';
}

/**
 * The catch-all route (`$default` on the HTTP API; locally, any `/v1/…`
 * request no route matches): without it API Gateway answers an unknown
 * route with its own `{"message":"Not Found"}`, not the API's error shape.
 */
export interface DefaultRouteSpec {
  readonly fn: string;
  readonly auth: 'none';
}
