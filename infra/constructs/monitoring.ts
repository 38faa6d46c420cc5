/**
 * Alarms and a dashboard for one city. Every alarm notifies the city's SNS topic (subscribe the ops
 * team's email to it after the first deploy, see docs/operations.md).
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Dashboard, GraphWidget, type IMetric, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionName } from '#shared/wiring.ts';
import type { MetricName } from '#app/ports.ts';
import { metricsNamespace } from '#adapters/emf-metrics.ts';

/** The oldest notice waiting longer than this means the mailer is stuck or SES refuses mail. */
export const maxNoticeAgeSeconds = 15 * 60;
/** The sweep runs every few minutes; none for this long means timers (reminders, 催办) stopped. */
export const sweepSilenceMinutes = 30;

export interface MonitoringProps {
  cityId: string;
  functions: Record<FunctionName, IFunction>;
  notices: Queue;
  noticesDlq: Queue;
  streamPoison: Queue;
  streamFailures: Queue;
  bounceFailures: Queue;
}

export class Monitoring extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Alarms', { displayName: `Proposals ${props.cityId} alarms`, enforceSSL: true });
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry no personal data; CloudWatch cannot publish to a topic encrypted with the AWS managed SNS key, and a customer key per city is not worth its cost here.',
    });
    const action = new SnsAction(this.topic);
    const alarm = (name: string, metric: IMetric, threshold: number, description: string, below = false): Alarm => {
      const a = new Alarm(this, name, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: below ? ComparisonOperator.LESS_THAN_THRESHOLD : ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: below ? TreatMissingData.BREACHING : TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(action);
      return a;
    };
    const fiveMin = { period: Duration.minutes(5) };
    // The business counts the functions write (EMF, shared/adapters/emf-metrics.ts), for this city.
    const count = (metricName: MetricName) =>
      new Metric({
        namespace: metricsNamespace,
        metricName,
        dimensionsMap: { city: props.cityId, service: 'proposals' },
        statistic: 'Sum',
        ...fiveMin,
      });
    const business = (names: MetricName[]) => names.map(count);

    alarm(
      'NoticesDlqNotEmpty',
      props.noticesDlq.metricApproximateNumberOfMessagesVisible({ ...fiveMin, statistic: 'Maximum' }),
      1,
      'Notices reached the DLQ: emails were not sent. See docs/operations.md "Notices in the DLQ".',
    );
    alarm(
      'StreamPoisonNotEmpty',
      props.streamPoison.metricApproximateNumberOfMessagesVisible({ ...fiveMin, statistic: 'Maximum' }),
      1,
      'The reactor set aside stream records it could not handle: their notices were not sent (the proposals go on). See docs/operations.md "Poison stream records".',
    );
    alarm(
      'StreamFailuresNotEmpty',
      props.streamFailures.metricApproximateNumberOfMessagesVisible({ ...fiveMin, statistic: 'Maximum' }),
      1,
      'The reactor gave up on stream records: some events were not handled. See docs/operations.md "Stream failures".',
    );
    alarm(
      'BounceFailuresNotEmpty',
      props.bounceFailures.metricApproximateNumberOfMessagesVisible({ ...fiveMin, statistic: 'Maximum' }),
      1,
      'The bounces function gave up on SES notifications: bounced addresses not suppressed, the office not told. See docs/operations.md "Bounce failures".',
    );
    alarm(
      'NoticesOldest',
      props.notices.metricApproximateAgeOfOldestMessage({ ...fiveMin, statistic: 'Maximum' }),
      maxNoticeAgeSeconds,
      `A notice has waited more than ${maxNoticeAgeSeconds / 60} minutes for the mailer.`,
    );
    for (const [name, fn] of Object.entries(props.functions)) {
      alarm(`${name}Errors`, fn.metricErrors({ ...fiveMin, statistic: 'Sum' }), 1, `The ${name} function failed.`);
      alarm(`${name}Throttles`, fn.metricThrottles({ ...fiveMin, statistic: 'Sum' }), 1, `The ${name} function was throttled.`);
    }
    alarm(
      'SweepSilent',
      props.functions.sweep.metricInvocations({ period: Duration.minutes(sweepSilenceMinutes), statistic: 'Sum' }),
      1,
      `No sweep for ${sweepSilenceMinutes} minutes: reminders and escalations (催办/督办) are not firing.`,
      true,
    );
    alarm(
      'TimersFailed',
      count('TimersFailed'),
      1,
      'The sweep could not fire some timers (reminders, 督办); the others fired. Each is logged with its key and tried again an hour later. See docs/operations.md "Timers that fail".',
    );
    alarm(
      'ReactorIteratorAge',
      props.functions.reactor.metric('IteratorAge', { ...fiveMin, statistic: 'Maximum' }),
      5 * 60 * 1000,
      'The reactor is more than 5 minutes behind the table stream.',
    );

    const perFunction = (title: string, pick: (fn: IFunction) => Metric): GraphWidget =>
      new GraphWidget({ title, width: 12, left: Object.values(props.functions).map(pick) });
    new Dashboard(this, 'Dashboard', {
      dashboardName: `proposals-${props.cityId}`,
      widgets: [
        [perFunction('Invocations', (fn) => fn.metricInvocations(fiveMin)), perFunction('Errors', (fn) => fn.metricErrors(fiveMin))],
        [
          perFunction('Duration p95', (fn) => fn.metricDuration({ ...fiveMin, statistic: 'p95' })),
          perFunction('Throttles', (fn) => fn.metricThrottles(fiveMin)),
        ],
        [
          new GraphWidget({
            title: 'Queues: visible messages',
            width: 12,
            left: [props.notices, props.noticesDlq, props.streamPoison, props.streamFailures, props.bounceFailures].map((q) =>
              q.metricApproximateNumberOfMessagesVisible(fiveMin),
            ),
          }),
          new GraphWidget({ title: 'Oldest notice (s)', width: 12, left: [props.notices.metricApproximateAgeOfOldestMessage(fiveMin)] }),
        ],
        [
          new GraphWidget({
            title: 'Proposals and events',
            width: 12,
            left: business([
              'ProposalsSubmitted',
              'EventsHandled',
              'EventsFailed',
              'EventsPoisoned',
              'TimersFired',
              'TimersDeferred',
              'TimersFailed',
            ]),
          }),
          new GraphWidget({
            title: 'Notices',
            width: 12,
            left: business([
              'NoticesSent',
              'NoticesDuplicate',
              'NoticesFailed',
              'NoticesSuppressed',
              'NoticesRetried',
              'NoticesUnrecorded',
              'NoticesBounced',
              'AddressesSuppressed',
            ]),
          }),
        ],
      ],
    });
  }
}
