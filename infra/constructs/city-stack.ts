/**
 * CityStack: everything one city runs on, built from shared/wiring.ts (table, queues, functions and
 * their triggers) and the city's validated config. One stack per city: `Proposals-<id>`.
 */
import { Annotations, CfnElement, CfnOutput, Duration, RemovalPolicy, Stack, Stage, Tags, Validations, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { isLoopbackUrl, type CityConfig } from '#domain/city-config.ts';
import { env, functions, httpRouting, queues, table as tableDecl, type Access, type FunctionName } from '#shared/wiring.ts';
import { writeCityConfigJson } from '#adapters/city-config-json.ts';
import { Mail } from './mail.ts';
import { Monitoring } from './monitoring.ts';
import { ProposalApi } from './proposal-api.ts';
import { bundledCityConfigPath, ProposalFunction } from './proposal-function.ts';
import { CognitoUsers, cognitoAvailable, externalIssuer, signIn, signInOrigins, type Issuer } from './users.ts';
import { consoleDist, consoleOffered, ConsoleSite, wafRateLimitRange, type ConsoleWaf } from './console.ts';

type QueueName = keyof typeof queues;

/**
 * Where SES notifications the bounces function failed on go (its on-failure destination: SNS invokes
 * it asynchronously, and Lambda retries twice). AWS only: the local runtime has no async invokes.
 */
export const bounceFailures = { name: 'bounce-failures', retentionDays: 14, retryAttempts: 2 } as const;

/** What each function touches (IAM is granted from this, nothing else). Event sources add their own reads. */
export interface CityStackProps extends StackProps {
  config: CityConfig;
  /** Directory for the generated city.json (default: the app's outdir). */
  configDir?: string;
  /** The console's build to deploy (default: web/dist). */
  consoleDir?: string;
}

export class CityStack extends Stack {
  readonly table: Table;
  readonly queues: Record<QueueName, Queue>;
  readonly noticesDlq: Queue;
  readonly bounceFailures: Queue;
  readonly functions: Record<FunctionName, ProposalFunction>;

  constructor(scope: Construct, id: string, props: CityStackProps) {
    const tags = { ...props.tags, ...cityTags(scope, props.config) };
    super(scope, id, { ...props, tags });
    // On the stack (CloudFormation copies them to what it creates) and on every taggable resource.
    for (const [key, value] of Object.entries(tags)) Tags.of(this).add(key, value);
    const { config } = props;
    const prefix = `proposals-${config.id}`;

    this.table = new Table(this, 'Table', {
      tableName: prefix,
      partitionKey: { name: tableDecl.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDecl.sortKey, type: AttributeType.STRING },
      stream: StreamViewType[tableDecl.stream],
      timeToLiveAttribute: tableDecl.timeToLiveAttribute,
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: TableEncryption.AWS_MANAGED,
    });
    for (const index of Object.values(tableDecl.indexes)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType[index.projection],
      });
    }

    const { notices, streamPoison, streamFailures } = queues;
    const queueDefaults = { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true } as const;
    this.noticesDlq = new Queue(this, 'NoticesDlq', {
      ...queueDefaults,
      queueName: `${prefix}-${notices.deadLetter.name}`,
      retentionPeriod: Duration.days(notices.deadLetter.retentionDays),
    });
    this.queues = {
      notices: new Queue(this, 'Notices', {
        ...queueDefaults,
        queueName: `${prefix}-${notices.name}`,
        visibilityTimeout: Duration.seconds(notices.visibilityTimeoutSeconds),
        deadLetterQueue: { queue: this.noticesDlq, maxReceiveCount: notices.deadLetter.maxReceiveCount },
      }),
      streamPoison: new Queue(this, 'StreamPoison', {
        ...queueDefaults,
        queueName: `${prefix}-${streamPoison.name}`,
        retentionPeriod: Duration.days(streamPoison.retentionDays),
      }),
      streamFailures: new Queue(this, 'StreamFailures', {
        ...queueDefaults,
        queueName: `${prefix}-${streamFailures.name}`,
        retentionPeriod: Duration.days(streamFailures.retentionDays),
      }),
    };
    Validations.of(this.queues.streamPoison).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself a dead-letter target: the reactor sets aside there the stream records it cannot handle.',
    });
    Validations.of(this.queues.streamFailures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself a dead-letter target: the on-failure destination of the reactor stream source.',
    });
    this.bounceFailures = new Queue(this, 'BounceFailures', {
      ...queueDefaults,
      queueName: `${prefix}-${bounceFailures.name}`,
      retentionPeriod: Duration.days(bounceFailures.retentionDays),
    });
    Validations.of(this.bounceFailures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself a dead-letter target: the on-failure destination of the bounces function.',
    });

    const feedbackSecret = new Secret(this, 'FeedbackSecret', {
      secretName: `${prefix}/feedback`,
      description: `Signs feedback links (满意度评价) in emails of ${config.name}`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(feedbackSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotated by hand, one command (docs/operations.md, "Rotating the feedback key"): links carry a key id and verify against the current and the previous version, so links already emailed keep working.',
    });

    const sesRegion = config.aws.sesRegion ?? config.aws.region;
    const environment = {
      [env.tableName]: this.table.tableName,
      [env.noticesQueueUrl]: this.queues.notices.queueUrl,
      [env.streamPoisonQueueUrl]: this.queues.streamPoison.queueUrl,
      [env.cityConfigFile]: bundledCityConfigPath,
      [env.sesRegion]: sesRegion,
    };
    const cityConfigJsonFile = writeCityConfigJson(config, props.configDir ?? Stage.of(this)?.outdir ?? '.');

    const mail = new Mail(this, 'Mail', { from: config.email.from, cityId: config.id, sesRegion });
    if (isLoopbackUrl(config.email.linkBase)) {
      Annotations.of(this).addWarningV2(
        'proposals:link-base-loopback',
        `email.linkBase is ${config.email.linkBase}: links in the emails of ${config.name} point to the reader's own machine. Set it in the city file to the API's public base URL (output ApiUrl…) and deploy again (docs/city-config.md).`,
      );
    }

    const fns: Partial<Record<FunctionName, ProposalFunction>> = {};
    // Secrets by their ARN only, to the functions allowed to read them: the functions read the values
    // at cold start (shared/adapters/secrets.ts), so no value is in any function's configuration.
    for (const [name, decl] of entries(functions)) {
      const fnEnvironment = {
        ...environment,
        ...(decl.access.sendsMail ? mail.senderEnvironment : {}),
        ...(feedbackKeyOf(decl) ? { [env.feedbackSecretArn]: feedbackSecret.secretArn } : {}),
      };
      fns[name] = new ProposalFunction(this, `${capitalize(name)}Function`, {
        decl,
        functionName: `${prefix}-${name}`,
        environment: fnEnvironment,
        cityConfigJsonFile,
      });
    }
    this.functions = complete(fns);

    for (const [name, { access }] of entries(functions)) {
      const fn = this.functions[name].fn;
      if (access.table === 'readWrite') this.table.grantReadWriteData(fn);
      else this.table.grantReadData(fn);
      for (const queue of access.sendsTo) this.queues[queue].grantSendMessages(fn);
      if (access.sendsMail) mail.grantSend(fn);
      if (feedbackKeyOf({ access })) feedbackSecret.grantRead(fn, [...feedbackSecretStages]);
    }

    // Sign-in: the city's Cognito user pool, or (cn-*) its own OIDC issuer. The console comes before
    // the API: its app client (callback on the console's domain) is one of the authorizer's
    // audiences, and the API joins the console's distribution under /v1/* after.
    const issuer: Issuer = cognitoAvailable(this.region)
      ? { users: new CognitoUsers(this, 'Users', { cityId: config.id }) }
      : externalIssuer(this, config.auth);
    const waf = consoleWaf(this);
    const site = consoleWanted(this)
      ? new ConsoleSite(this, 'Console', {
          cityId: config.id,
          distDir: props.consoleDir ?? consoleDist,
          connectSources: signInOrigins(issuer),
          ...(waf ? { waf } : {}),
        })
      : undefined;
    if (waf && !site)
      Annotations.of(this).addWarningV2(
        'proposals:waf-no-console',
        `-c ${'rateLimit' in waf ? 'wafRateLimit' : 'consoleWebAcl'} has no effect without the console: WAF cannot be attached to an HTTP API. The public routes keep their own throttles (docs/operations.md, "Rate limit per client (WAF)").`,
      );
    const { authorizer, auth } = signIn(issuer, site?.url);
    if (!consoleOffered(this.region)) {
      // CDK's own check (CloudFormation-Validate::F3006) knows these resource types are missing there too.
      if (site)
        Validations.of(site).acknowledge({
          id: 'CloudFormation-Validate::F3006',
          reason: `-c console=true in ${this.region}: the CloudFront Function and origin access control are deployed on purpose (warning proposals:console-china).`,
        });
      Annotations.of(this).addWarningV2(
        'proposals:console-china',
        site
          ? `The console of ${config.name} is deployed with -c console=true: CloudFront in ${this.region} must offer CloudFront Functions and origin access control, and serves only an ICP-registered (备案) domain added to the distribution (docs/operations.md, China regions).`
          : `CloudFront in ${this.region} offers neither CloudFront Functions nor origin access control: the stack of ${config.name} has no web console (工作台); the API is unchanged (docs/operations.md, China regions).`,
      );
    } else if (!site) {
      Annotations.of(this).addWarningV2(
        'proposals:console-off',
        `-c console=false: the stack of ${config.name} has no web console (工作台); the API is unchanged.`,
      );
    }

    // One HTTP API, routed as the wiring says.
    const routing = httpRouting();
    const api = new ProposalApi(this, 'Api', {
      apiName: prefix,
      handler: this.functions[routing.byDefault].fn,
      routes: routing.routes.map(({ route, fn }) => ({ route, handler: this.functions[fn].fn })),
      authorizer,
    });
    site?.addApi(api.api);
    site?.writeConfig({ city: { id: config.id, name: config.name, timeZone: config.timeZone }, apiBase: '', auth });
    for (const [name, decl] of entries(functions)) {
      const fn = this.functions[name].fn;
      const trigger = decl.trigger;
      switch (trigger.type) {
        case 'http':
          break; // the HTTP API above
        case 'dynamodbStream':
          fn.addEventSource(
            new DynamoEventSource(this.table, {
              startingPosition: StartingPosition[trigger.startingPosition],
              batchSize: trigger.batchSize,
              maxBatchingWindow: Duration.seconds(trigger.maxBatchingWindowSeconds),
              retryAttempts: trigger.retryAttempts,
              bisectBatchOnError: trigger.bisectBatchOnError,
              reportBatchItemFailures: trigger.reportBatchItemFailures,
              filters: trigger.filterPatterns.map((p) => FilterCriteria.filter(p)),
              onFailure: new SqsDlq(this.queues[trigger.onFailure]),
            }),
          );
          break;
        case 'sqs':
          fn.addEventSource(
            new SqsEventSource(this.queues[trigger.queue], {
              batchSize: trigger.batchSize,
              maxBatchingWindow: Duration.seconds(trigger.maxBatchingWindowSeconds),
              reportBatchItemFailures: trigger.reportBatchItemFailures,
            }),
          );
          break;
        case 'schedule':
          new Rule(this, `${capitalize(name)}Schedule`, {
            description: `Runs the ${name} function every ${trigger.everyMinutes} minutes`,
            schedule: Schedule.rate(Duration.minutes(trigger.everyMinutes)),
            targets: [new LambdaFunction(fn)],
          });
          break;
        case 'sesNotifications':
          // Also when connected by hand: a failed notification waits in the queue instead of being dropped.
          fn.configureAsyncInvoke({ onFailure: new SqsDestination(this.bounceFailures), retryAttempts: bounceFailures.retryAttempts });
          if (mail.notifications) mail.notifications.addSubscription(new LambdaSubscription(fn));
          else
            Annotations.of(this).addWarningV2(
              'proposals:ses-notifications',
              `SES is in ${sesRegion}, not ${this.region}: connect its bounce and complaint notifications to the ${name} function by hand, or rely on SES's account-level suppression list (docs/operations.md).`,
            );
          break;
      }
    }

    const monitoring = new Monitoring(this, 'Monitoring', {
      cityId: config.id,
      functions: mapValues(this.functions, (f) => f.fn),
      notices: this.queues.notices,
      noticesDlq: this.noticesDlq,
      streamPoison: this.queues.streamPoison,
      streamFailures: this.queues.streamFailures,
      bounceFailures: this.bounceFailures,
    });
    this.acknowledgeCommonFindings();

    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'NoticesQueueUrl', { value: this.queues.notices.queueUrl });
    new CfnOutput(this, 'NoticesDlqUrl', { value: this.noticesDlq.queueUrl });
    new CfnOutput(this, 'StreamPoisonUrl', { value: this.queues.streamPoison.queueUrl });
    new CfnOutput(this, 'StreamFailuresUrl', { value: this.queues.streamFailures.queueUrl });
    new CfnOutput(this, 'BounceFailuresUrl', { value: this.bounceFailures.queueUrl });
    new CfnOutput(this, 'FeedbackSecretArn', { value: feedbackSecret.secretArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: monitoring.topic.topicArn });
  }

  /** Findings accepted for every function, with the reason. */
  private acknowledgeCommonFindings(): void {
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'nodejs22.x is the project decision: development, tests and CI run the same Node 22 (.nvmrc, .ci/run).',
    });
    const tableChild = this.table.node.defaultChild;
    if (!(tableChild instanceof CfnElement)) throw new Error('table has no CloudFormation resource');
    const tableId = this.getLogicalId(tableChild);
    for (const [name, decl] of entries(functions)) {
      const role = this.functions[name].role;
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${tableId}.Arn>/index/*]`,
        reason: 'Table read/write covers its GSIs (<table ARN>/index/*); actions are listed, never wildcards.',
      });
      if (decl.trigger.type === 'dynamodbStream') {
        Validations.of(role).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason: 'The stream event source needs dynamodb:ListStreams, which has no resource-level permissions.',
        });
      }
    }
  }
}

/**
 * The tags of every resource: `city` (the city id), `stage` (`-c stage=`, default `prod`) and `owner`
 * (`-c owner=`, default the office's first address: who answers for the stack).
 */
export function cityTags(scope: Construct, config: CityConfig): { city: string; stage: string; owner: string } {
  const given = (key: string): string | undefined => {
    const v: unknown = scope.node.tryGetContext(key);
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  return { city: config.id, stage: given('stage') ?? 'prod', owner: given('owner') ?? config.email.office[0] ?? config.id };
}

/** The versions of the feedback secret the functions read (and so may read): the current key and the one before. */
export const feedbackSecretStages = ['AWSCURRENT', 'AWSPREVIOUS'] as const;

function feedbackKeyOf(decl: { access: Access }): boolean {
  return decl.access.feedbackKey === true;
}

function entries<K extends string, V>(record: Record<K, V>): [K, V][] {
  return Object.entries(record) as [K, V][];
}

function mapValues<K extends string, V, W>(record: Record<K, V>, f: (v: V) => W): Record<K, W> {
  return Object.fromEntries(entries(record).map(([k, v]) => [k, f(v)])) as Record<K, W>;
}

function complete<K extends FunctionName, V>(partial: Partial<Record<K, V>>): Record<K, V> {
  for (const name of Object.keys(functions)) if (!(name in partial)) throw new Error(`function ${name} was not built`);
  return partial as Record<K, V>;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * WAF for the console's distribution, from `-c wafRateLimit=<requests per 5 minutes per client IP>`
 * (the stack creates the web ACL: only in us-east-1, where CloudFront's web ACLs live) or
 * `-c consoleWebAcl=<ARN of a web ACL ops made in us-east-1>`. Neither: none.
 */
function consoleWaf(stack: Stack): ConsoleWaf | undefined {
  const given = (key: string): string | undefined => {
    const v: unknown = stack.node.tryGetContext(key);
    return typeof v === 'number' ? String(v) : typeof v === 'string' && v !== '' ? v : undefined;
  };
  const rate = given('wafRateLimit');
  const arn = given('consoleWebAcl');
  const how = 'docs/operations.md, "Rate limit per client (WAF)"';
  const refuse = (message: string) => void Annotations.of(stack).addError(`${message} (${how})`);
  if (rate !== undefined && arn !== undefined) return refuse('-c wafRateLimit and -c consoleWebAcl: give one of them');
  if (arn !== undefined) return { webAclArn: arn };
  if (rate === undefined) return undefined;
  const rateLimit = Number(rate);
  if (!Number.isInteger(rateLimit) || rateLimit < wafRateLimitRange.min || rateLimit > wafRateLimitRange.max)
    return refuse(`-c wafRateLimit=${rate}: requests per 5 minutes from one client, an integer from ${wafRateLimitRange.min}`);
  if (stack.region !== 'us-east-1')
    return refuse(
      `-c wafRateLimit: CloudFront's web ACLs are made in us-east-1, and this stack is in ${stack.region}. Create the web ACL there and pass -c consoleWebAcl=<its ARN>`,
    );
  return { rateLimit };
}

/** The console is deployed where CloudFront offers what it needs, unless `-c console=false` (or `-c console=true` to force it). */
function consoleWanted(stack: Stack): boolean {
  const v: unknown = stack.node.tryGetContext('console');
  if (v === undefined) return consoleOffered(stack.region);
  return v === true || v === 'true';
}
