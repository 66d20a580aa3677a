import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { AppConfig } from '../config.ts';
import type { SesMailResources, SmtpMailResources } from './app-function.ts';
import { SecureQueue } from './secure-queue.ts';

/** SES event types that mean a recipient did not get, or did not want, a notice. */
export const MAIL_FEEDBACK_DETAIL_TYPES = ['Email Bounced', 'Email Complaint Received', 'Email Rejected'];

/** Props of {@link Mail}. */
export interface MailProps {
  readonly config: AppConfig;
  /** The domain event bus, where bounces and complaints are recorded (and archived). */
  readonly eventBus: events.IEventBus;
  /** Timeout of the sender function, for the queue's visibility timeout. */
  readonly senderTimeout: Duration;
}

/**
 * Outgoing mail: the queue every notice goes through (so a campaign of
 * 10,000 notices waits instead of being dropped) and the transport. With SES,
 * a configuration set sends bounce/complaint events to the default bus, where
 * a rule copies them onto the domain bus (archived). With SMTP (the China
 * regions, where SES is not offered), only a reference to the credentials
 * secret by name: its value never passes through CDK.
 */
export class Mail extends Construct {
  readonly queue: SecureQueue;
  readonly resources: SesMailResources | SmtpMailResources;
  /** Rule matching bounces and complaints (SES only). */
  readonly feedbackRule?: events.Rule;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    const { mail } = props.config;
    this.queue = new SecureQueue(this, 'Outbox', {
      visibilityTimeout: Duration.seconds(props.senderTimeout.toSeconds() * 6),
      // SES throttling comes back as a batch item failure; leave room for it.
      maxReceiveCount: 10,
    });

    if (mail.transport === 'smtp') {
      this.resources = {
        transport: 'smtp',
        secret: secretsmanager.Secret.fromSecretNameV2(this, 'SmtpCredentials', mail.credentialsSecretName),
      };
      return;
    }

    const configurationSetName = mail.configurationSet as string;
    const configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', { configurationSetName });
    const defaultBus = events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    configurationSet.addEventDestination('Feedback', {
      destination: ses.EventDestination.eventBus(defaultBus),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT, ses.EmailSendingEvent.REJECT],
    });
    this.feedbackRule = new events.Rule(this, 'FeedbackRule', {
      description: 'Records SES bounces, complaints and rejections of this deployment on the domain bus.',
      eventPattern: {
        source: ['aws.ses'],
        detailType: MAIL_FEEDBACK_DETAIL_TYPES,
        detail: { mail: { tags: { 'ses:configuration-set': [configurationSetName] } } },
      },
      targets: [new targets.EventBus(props.eventBus)],
    });
    this.resources = { transport: 'ses', configurationSetName, sender: mail.sender };
  }
}
