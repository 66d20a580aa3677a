import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { Construct } from 'constructs';

/** Props of {@link Operations}. */
export interface OperationsProps {
  readonly stage: string;
  readonly stateMachines: ReadonlyMap<string, sfn.IStateMachine>;
  readonly deadLetterQueues: ReadonlyMap<string, sqs.IQueue>;
  readonly functions: ReadonlyMap<string, lambda.IFunction>;
  readonly api: apigwv2.IHttpApi;
  /** The rule matching SES bounces/complaints, when mail goes through SES. */
  readonly mailFeedbackRule?: events.IRule;
  /** Addresses e-mailed by the alarm topic. */
  readonly alarmEmails?: readonly string[];
}

/**
 * Alarms (failed and timed-out executions per state machine, any message in a
 * DLQ, any mail bounce or complaint), the encrypted SNS topic every alarm
 * notifies (e-mail subscriptions from `alarmEmails`; chat or paging tools can
 * subscribe too) and one dashboard.
 */
export class Operations extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarmTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const period = Duration.minutes(5);
    const topicKey = new kms.Key(this, 'AlarmTopicKey', {
      enableKeyRotation: true,
      description: `exam-site ${props.stage}: encrypts the alarm topic`,
    });
    // CloudWatch publishes alarm notifications to the encrypted topic: it needs the key.
    topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `exam-site ${props.stage} alarms`,
      masterKey: topicKey,
      enforceSSL: true,
    });
    for (const address of props.alarmEmails ?? []) this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(address));
    const notify = new cloudwatchActions.SnsAction(this.alarmTopic);
    const atLeastOnce = (alarmId: string, metric: cloudwatch.IMetric, description: string) => {
      const alarm = new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      alarm.addAlarmAction(notify);
      this.alarms.push(alarm);
      return alarm;
    };

    const executionWidgets: cloudwatch.IWidget[] = [];
    for (const [name, machine] of props.stateMachines) {
      const failed = machine.metricFailed({ period, statistic: 'Sum' });
      const timedOut = machine.metricTimedOut({ period, statistic: 'Sum' });
      atLeastOnce(`${name}-failed`, failed, `Workflow ${name}: an execution failed.`);
      atLeastOnce(`${name}-timed-out`, timedOut, `Workflow ${name}: an execution timed out.`);
      executionWidgets.push(
        new cloudwatch.GraphWidget({
          title: `Workflow ${name}`,
          left: [machine.metricStarted({ period }), machine.metricSucceeded({ period }), failed, timedOut],
          width: 8,
        }),
      );
    }

    const queueWidgets: cloudwatch.IWidget[] = [];
    for (const [name, queue] of props.deadLetterQueues) {
      const depth = queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' });
      atLeastOnce(`${name}-dlq-not-empty`, depth, `Dead-letter queue ${name} holds messages: they were not processed.`);
      queueWidgets.push(new cloudwatch.GraphWidget({ title: `DLQ ${name}`, left: [depth], width: 8 }));
    }

    if (props.mailFeedbackRule) {
      const bounces = new cloudwatch.Metric({
        namespace: 'AWS/Events',
        metricName: 'MatchedEvents',
        dimensionsMap: { RuleName: props.mailFeedbackRule.ruleName },
        period,
        statistic: 'Sum',
      });
      atLeastOnce('mail-bounces', bounces, 'A notice bounced, was rejected, or drew a complaint: check the recipient address.');
      queueWidgets.push(new cloudwatch.GraphWidget({ title: 'Mail bounces and complaints', left: [bounces], width: 8 }));
    }

    const functionWidgets = [...props.functions].map(
      ([name, fn]) =>
        new cloudwatch.GraphWidget({
          title: `Function ${name}`,
          left: [fn.metricInvocations({ period }), fn.metricErrors({ period }), fn.metricThrottles({ period })],
          right: [fn.metricDuration({ period, statistic: 'p95' })],
          width: 8,
        }),
    );
    const apiWidget = new cloudwatch.GraphWidget({
      title: 'HTTP API',
      left: [props.api.metricCount({ period }), props.api.metricClientError({ period }), props.api.metricServerError({ period })],
      right: [props.api.metricLatency({ period, statistic: 'p95' })],
      width: 8,
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `exam-site-${props.stage}`,
      widgets: [
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 })],
        [apiWidget, ...executionWidgets],
        [...queueWidgets],
        [...functionWidgets],
      ].filter((row) => row.length > 0),
    });
  }
}
