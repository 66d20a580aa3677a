import * as z from 'zod/mini';
import { isProvinceCode } from './validators/region-codes.ts';
import { deadlineLifetimeProblems } from './validators/workflow-lifetime.ts';

/**
 * The one typed configuration of the system. Read from CDK context at synth
 * (`infra/config.ts`) and from the environment at cold start
 * (`functions/shared/config.ts`); validated both times with this schema.
 *
 * Schemas use `zod/mini` so that handler bundles stay small (DESIGN.md).
 */
const text = z.string().check(z.minLength(1));
const int = (min: number, max: number) => z.int().check(z.gte(min), z.lte(max));

export const mailConfigSchema = z.discriminatedUnion('transport', [
  z.object({
    transport: z.literal('ses'),
    sender: z.email(),
    /** SES configuration set recording bounces and complaints. */
    configurationSet: z.optional(text),
    /** Messages per second the mail queue may send (SES sandbox: 1). */
    ratePerSecond: z._default(z.number().check(z.positive(), z.lte(100)), 1),
  }),
  z.object({
    transport: z.literal('smtp'),
    sender: z.email(),
    host: text,
    port: z._default(int(1, 65535), 465),
    /** Name of the Secrets Manager secret holding `{ "username", "password" }`; never the password itself. */
    credentialsSecretName: text,
    ratePerSecond: z._default(z.number().check(z.positive(), z.lte(100)), 1),
  }),
]);

export const identityConfigSchema = z.discriminatedUnion('kind', [
  /** A Cognito user pool made by the stack (not offered in the China regions). */
  z.object({ kind: z.literal('cognito'), domainPrefix: z.string().check(z.regex(/^[a-z0-9-]{3,63}$/)) }),
  /** Any OIDC issuer (e.g. Authing, Keycloak) whose JWTs the API accepts. */
  z.object({
    kind: z.literal('oidc'),
    issuerUrl: z.url(),
    audience: z.array(text).check(z.minLength(1)),
    /** Claim holding the user's groups (applicant / reviewer / admin). */
    groupsClaim: z._default(text, 'cognito:groups'),
  }),
]);

export const deadlinesSchema = z.object({
  /** Days the applicant has to correct a returned application. */
  returnDays: z._default(int(1, 90), 14),
  /** Rounds of return-for-correction before the application is closed. */
  maxReturnRounds: z._default(int(1, 10), 3),
  /** Days a reviewer has for the material review before escalation. */
  reviewDays: z._default(int(1, 90), 10),
  /** Hours before a review deadline the reminder goes out. */
  reminderHours: z._default(int(1, 24 * 30), 48),
  /** Days for recording the site visit. */
  siteVisitDays: z._default(int(1, 120), 30),
  /** Days for the final decision. */
  decisionDays: z._default(int(1, 90), 10),
  /** Expiry of a presigned upload POST, seconds (at most 15 min). */
  uploadExpirySeconds: z._default(int(30, 900), 600),
  /** Expiry of a presigned evidence GET for reviewers, seconds. */
  downloadExpirySeconds: z._default(int(10, 900), 120),
  /** Due process (policy): days a site has to answer a revocation notice before an admin decides (not for urgent cases). */
  representationDays: z._default(int(1, 90), 14),
  /** Art.23(1) interpretation (policy): days without an exam held before revocation. */
  inactivityDays: z._default(int(30, 3650), 730),
}).check(
  // No workflow may outlive a Standard execution (one year): the worst path, summed and named.
  z.superRefine((deadlines, ctx) => {
    for (const message of deadlineLifetimeProblems(deadlines)) ctx.issues.push({ code: 'custom', message, input: deadlines });
  }),
);

/**
 * Where `SiteRevoked` goes for the relevant platforms (Art.21 "有关平台"): an
 * EventBridge API destination. The credential is a Secrets Manager secret
 * (by name) that EventBridge's connection reads at deploy time; it is never
 * in the code, the config or a log.
 */
export const platformNoticesSchema = z.object({
  /** HTTPS endpoint receiving the events (POST, JSON body = the event's detail). */
  endpoint: z.url().check(z.regex(/^https:\/\//, 'must be https')),
  /** How the connection authenticates: an API key header, or HTTP basic. */
  authorization: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('api-key'), headerName: z._default(text, 'x-api-key'), secretName: text, secretField: z._default(text, 'apiKey') }),
    z.object({ kind: z.literal('basic'), secretName: text, usernameField: z._default(text, 'username'), passwordField: z._default(text, 'password') }),
  ]),
  /** Invocations per second the destination accepts. */
  ratePerSecond: z._default(int(1, 300), 5),
});

const provinceCode = z.string().check(z.refine(isProvinceCode, 'not a GB/T 2260 province code (440000)'));

export const appConfigSchema = z.object({
  /** Short name of the deployment, used in resource names. */
  stage: z._default(z.string().check(z.regex(/^[a-z][a-z0-9-]{1,20}$/)), 'dev'),
  identity: identityConfigSchema,
  mail: mailConfigSchema,
  /** Origin of the web portal (CORS, links in e-mails). */
  portalOrigin: z.url(),
  deadlines: z._default(deadlinesSchema, () => deadlinesSchema.parse({})),
  /**
   * Provincial education authorities by GB/T 2260 province code (`440000`),
   * mailed when a site of their province is revoked (Art.21 for failed
   * rectification; policy for the Art.23 causes).
   */
  provincialAuthorities: z._default(z.record(provinceCode, z.email()), {}),
  /**
   * The provinces that have (or may get) exam sites: every one needs an
   * address in `provincialAuthorities` (checked below), so a revocation
   * there never skips the authority's notice silently. A site outside
   * these provinces makes its revocation fail loudly at the notice step.
   */
  siteProvinces: z._default(z.array(provinceCode).check(z.maxLength(40)), []),
  /** The API destination of `SiteRevoked` (the platforms); absent: the event stays on the bus (and its archive) and synth warns. */
  platformNotices: z.optional(platformNoticesSchema),
  /** Days evidence (ID-card copies included) is kept after the application is closed, then expired. */
  evidenceRetentionDays: z._default(int(30, 3650), 1095),
  /** Days quarantined (invalid) uploads and non-current versions are kept. */
  quarantineRetentionDays: z._default(int(1, 365), 30),
  /** Who is e-mailed when an alarm fires (failed workflows, dead letters, mail bounces); subscriptions are confirmed by the recipient. */
  alarmEmails: z._default(z.array(z.email()).check(z.maxLength(20)), []),
  /** Log retention, days. */
  logRetentionDays: z._default(int(1, 3653), 365),
  /** CloudWatch namespace of the business metrics (EMF lines written by the functions). */
  metricsNamespace: z._default(z.string().check(z.regex(/^[A-Za-z0-9._#:/-]{1,255}$/)), 'ExamSite'),
  /**
   * Days an exam session's records (candidates with their masked ID numbers
   * and keyed hashes, attendance, violations, incidents) are kept after the
   * session ends, then expired by DynamoDB TTL (PIPL: no longer than the
   * purpose needs; Art.20 evaluations read the last periods).
   */
  sessionRetentionDays: z._default(int(30, 3650), 1095),
}).check(
  // Art.21: no province with sites may lack its authority's address (a configuration error, not a silent skip).
  z.superRefine((config, ctx) => {
    for (const code of config.siteProvinces) {
      if (!config.provincialAuthorities[code]) {
        ctx.issues.push({ code: 'custom', path: ['provincialAuthorities', code], message: `province ${code} has sites (siteProvinces) but no provincial education authority address: revocations there must notify it (Art.21)`, input: config });
      }
    }
  }),
);

export type AppConfig = z.infer<typeof appConfigSchema>;
export type MailConfig = z.infer<typeof mailConfigSchema>;
export type Deadlines = z.infer<typeof deadlinesSchema>;
export type PlatformNoticesConfig = z.infer<typeof platformNoticesSchema>;
