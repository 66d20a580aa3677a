import { Annotations, Duration, SecretValue } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PlatformNoticesConfig } from '../../schemas/config.schema.ts';
import { SITE_REVOKED } from '../../schemas/events/site-revoked.schema.ts';

/** Props of {@link PlatformNotices}. */
export interface PlatformNoticesProps {
  /** The domain event bus the revocation workflow publishes to. */
  readonly eventBus: events.IEventBus;
  /** The destination; undefined: no rule (synth warns). */
  readonly config: PlatformNoticesConfig | undefined;
  /** Undelivered events after the retries (alarmed by Operations). */
  readonly deadLetterQueue: sqs.IQueue;
}

/**
 * Art.21 "向……有关平台报备": `SiteRevoked` events go from the bus to the
 * platforms' HTTPS endpoint through an EventBridge API destination. The
 * connection's credential comes from a Secrets Manager secret by name (a
 * dynamic reference resolved by CloudFormation; EventBridge keeps its own
 * copy): never in the code, the template or a log. Delivery is retried for a
 * day, then the event goes to the dead-letter queue.
 */
export class PlatformNotices extends Construct {
  readonly rule?: events.Rule;
  readonly destination?: events.ApiDestination;

  constructor(scope: Construct, id: string, props: PlatformNoticesProps) {
    super(scope, id);
    const { config } = props;
    if (!config) {
      Annotations.of(this).addWarningV2(
        'exam-site:platform-notices-missing',
        'platformNotices is not configured: SiteRevoked events stay on the bus and in its archive; the platforms are not told (Art.21).',
      );
      return;
    }
    const auth = config.authorization;
    const authorization =
      auth.kind === 'api-key'
        ? events.Authorization.apiKey(auth.headerName, SecretValue.secretsManager(auth.secretName, { jsonField: auth.secretField }))
        : events.Authorization.basic(
            SecretValue.secretsManager(auth.secretName, { jsonField: auth.usernameField }).unsafeUnwrap(),
            SecretValue.secretsManager(auth.secretName, { jsonField: auth.passwordField }),
          );
    const connection = new events.Connection(this, 'Connection', {
      description: 'The platforms notified of revoked exam sites (Art.21); credential from Secrets Manager.',
      authorization,
    });
    this.destination = new events.ApiDestination(this, 'Destination', {
      description: 'HTTPS endpoint of the platforms receiving SiteRevoked.',
      connection,
      endpoint: config.endpoint,
      httpMethod: events.HttpMethod.POST,
      rateLimitPerSecond: config.ratePerSecond,
    });
    this.rule = new events.Rule(this, 'SiteRevoked', {
      description: 'SiteRevoked (v1, no personal data) to the platforms (Art.21).',
      eventBus: props.eventBus,
      eventPattern: { source: ['exam-site.revocation'], detailType: [SITE_REVOKED] },
      targets: [
        new targets.ApiDestination(this.destination, {
          event: events.RuleTargetInput.fromEventPath('$.detail'),
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
          deadLetterQueue: props.deadLetterQueue,
        }),
      ],
    });
  }
}
