/**
 * The CDK stack of every city file (infra/cities/*.yaml), synthesized once in one App (bundling
 * skipped), checked against the wiring and with cdk-nag AwsSolutions.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { parse as parseYaml } from 'yaml';
import { listCityFiles, loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { loadCityConfigJson } from '#adapters/city-config-json.ts';
import type { CityConfig } from '#domain/city-config.ts';
import { bounceFailures, CityStack, cityTags } from '#infra/constructs/city-stack.ts';
import { cfnGuard, guardExceptions } from '#infra/guard.ts';
import { apiThrottle, publicRouteThrottle } from '#infra/constructs/proposal-api.ts';
import { env, functions, publicRoutes, queues, reactorFilterPatterns, table, type Access, type FunctionName } from '#shared/wiring.ts';
import { cdkJsonContext } from './cdk-json.ts';

const cities = listCityFiles().map((file) => ({ file, config: loadCityConfigFile(file) }));
const first = cities[0]?.config;
if (!first) throw new Error('no city files in infra/cities');
/** A made-up city whose SES region is its stack region: the branch where the stack creates the SES identity. */
const sesHere: CityConfig = { ...first, id: 'seshere', aws: { account: '111111111111', region: 'ap-southeast-1' } };
const all = [...cities.map((c) => c.config), sesHere];

/** The external OIDC issuer the cn-* cities (no Cognito there) are deployed with. */
const jwtIssuer = 'https://idp.example.gov.cn';
const jwtAudience = 'proposals-web';
let outdir: string;
const templates = new Map<string, Template>();
const stacksById = new Map<string, CityStack>();
let nagErrors: string[] = [];
/** Control Tower rule ids (ct-lambda-pr-2) -> findings (rule at resource), with infra/guard.ts's exceptions and without any. */
let guardFindings: Record<string, string[]> = {};
let guardFindingsAll: Record<string, string[]> = {};
const stackTags = new Map<string, Record<string, string>>();

beforeAll(() => {
  outdir = mkdtempSync(path.join(os.tmpdir(), 'cdk-test-'));
  const app = new App({ outdir, context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [], jwtIssuer, jwtAudience } });
  // No console build (web/dist may or may not exist here): console.test.ts deploys a stand-in one.
  const consoleDir = path.join(outdir, 'no-console-build');
  const stacks = all.map(
    (config) =>
      new CityStack(app, `Proposals-${config.id}`, { config, consoleDir, env: { account: config.aws.account, region: config.aws.region } }),
  );
  const assembly = app.synth();
  for (const s of stacks) {
    const artifact = assembly.getStackByName(s.stackName);
    templates.set(s.stackName, Template.fromJSON(artifact.template as Record<string, unknown>));
    stackTags.set(s.stackName, artifact.tags);
  }
  const templatePaths = assembly.stacks.map((s) => s.templateFullPath);
  guardFindings = guardByRule(cfnGuard(), app, templatePaths);
  guardFindingsAll = guardByRule(new CfnGuardValidator({ maxBuffer: 64 * 1024 * 1024 }), app, templatePaths);
  stacks.forEach((s, i) => stacksById.set(all[i]?.id ?? '', s));
  const result = new AwsSolutionsChecks().validateScope(app);
  nagErrors = result.violations
    .filter((v) => v.severity === 'error')
    .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

function guardByRule(validator: CfnGuardValidator, appConstruct: App, templatePaths: string[]): Record<string, string[]> {
  const byRule: Record<string, string[]> = {};
  for (const v of validator.validate({ appConstruct, templatePaths }).violations) {
    // "[CT.LAMBDA.PR.2]: Require …" is the rule file ct-lambda-pr-2.guard.
    const id = /^\[(CT\.[A-Z0-9]+\.PR\.\d+)\]/.exec(v.description)?.[1]?.toLowerCase().replaceAll('.', '-') ?? v.ruleName;
    byRule[id] = [...(byRule[id] ?? []), ...v.violatingResources.map((r) => `${r.resourceLogicalId} in ${path.basename(r.templatePath)}`)];
  }
  return byRule;
}

function template(config: CityConfig): Template {
  const t = templates.get(`Proposals-${config.id}`);
  if (!t) throw new Error(`no template for ${config.id}`);
  return t;
}

/** Logical id of the one resource of `type` whose properties match. */
function logicalId(t: Template, type: string, props: Record<string, unknown>): string {
  const ids = Object.keys(t.findResources(type, { Properties: props }));
  expect(ids, `${type} ${JSON.stringify(props)}`).toHaveLength(1);
  return ids[0] ?? '';
}

interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
}
function resources(t: Template): Record<string, Resource> {
  const json: { Resources?: Record<string, Resource> } = t.toJSON();
  return json.Resources ?? {};
}
function propsOf(t: Template, id: string): Record<string, unknown> {
  return resources(t)[id]?.Properties ?? {};
}

const policyShape = z.object({
  Roles: z.array(z.object({ Ref: z.string() })),
  PolicyDocument: z.object({ Statement: z.array(z.object({ Action: z.union([z.string(), z.array(z.string())]) })) }),
});
/** Actions of the IAM policies attached to roleId (all policies when roleId is undefined). */
function actionsOf(t: Template, roleId?: string): string[] {
  return Object.values(resources(t))
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .map((r) => policyShape.parse(r.Properties))
    .filter((p) => roleId === undefined || p.Roles.some((role) => role.Ref === roleId))
    .flatMap((p) => p.PolicyDocument.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
}
/** The statements of roleId's policies that name the secret. */
function secretStatements(t: Template, secretId: string, roleId: string): Record<string, unknown>[] {
  const statements = z.object({ PolicyDocument: z.object({ Statement: z.array(z.record(z.string(), z.unknown())) }) });
  return Object.values(resources(t))
    .filter((r) => r.Type === 'AWS::IAM::Policy' && policyShape.parse(r.Properties).Roles.some((role) => role.Ref === roleId))
    .flatMap((r) => statements.parse(r.Properties).PolicyDocument.Statement)
    .filter((st) => JSON.stringify(st).includes(`"${secretId}"`));
}
function roleOfFunction(t: Template, fnId: string): string {
  return z.object({ 'Fn::GetAtt': z.tuple([z.string(), z.string()]) }).parse(propsOf(t, fnId).Role)['Fn::GetAtt'][0];
}

describe.each(cities.map((c) => [path.basename(c.file), c.config] as const))('stack of %s', (_file, config) => {
  const prefix = `proposals-${config.id}`;
  const fnId = (name: string) => logicalId(template(config), 'AWS::Lambda::Function', { FunctionName: `${prefix}-${name}` });
  const queueId = (name: string) => logicalId(template(config), 'AWS::SQS::Queue', { QueueName: `${prefix}-${name}` });

  it('has the table from the wiring: keys, both GSIs, stream, PITR, deletion protection, retained', () => {
    const t = template(config);
    t.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: {
        KeySchema: [
          { AttributeName: table.partitionKey, KeyType: 'HASH' },
          { AttributeName: table.sortKey, KeyType: 'RANGE' },
        ],
        StreamSpecification: { StreamViewType: table.stream },
        // Idempotency records expire (issue 21): DynamoDB deletes them after their expiresAt.
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true },
        GlobalSecondaryIndexes: Object.values(table.indexes).map((i) => ({
          IndexName: i.name,
          KeySchema: [
            { AttributeName: i.partitionKey, KeyType: 'HASH' },
            { AttributeName: i.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: i.projection },
        })),
      },
    });
  });

  it('has the queues from the wiring: DLQ redrive, SSE, SSL only, visibility >= 6x the mailer timeout', () => {
    const t = template(config);
    const dlq = queueId(queues.notices.deadLetter.name);
    const notices = propsOf(t, queueId(queues.notices.name));
    expect(notices).toMatchObject({
      VisibilityTimeout: queues.notices.visibilityTimeoutSeconds,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: queues.notices.deadLetter.maxReceiveCount },
    });
    expect(notices.VisibilityTimeout).toBeGreaterThanOrEqual(6 * functions.mailer.timeoutSeconds);
    for (const name of [queues.notices.name, queues.notices.deadLetter.name, queues.streamPoison.name, queues.streamFailures.name]) {
      const id = queueId(name);
      t.hasResourceProperties('AWS::SQS::Queue', { QueueName: `${prefix}-${name}`, SqsManagedSseEnabled: true });
      t.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it.each(Object.entries(functions))(
    'has the %s function: nodejs22.x, arm64, memory and timeout from the wiring, the env',
    (name, decl) => {
      template(config).hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `${prefix}-${name}`,
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: decl.memoryMb,
        Timeout: decl.timeoutSeconds,
        LoggingConfig: { LogGroup: Match.anyValue() },
        Environment: {
          Variables: Match.objectLike({
            TABLE_NAME: Match.anyValue(),
            NOTICES_QUEUE_URL: Match.anyValue(),
            CITY_CONFIG_FILE: '/var/task/city.json',
            SES_REGION: config.aws.sesRegion ?? config.aws.region,
          }),
        },
      });
    },
  );

  it("wires the reactor to the table stream with the wiring's filter, batching, retries and on-failure queue", () => {
    const t = template(config);
    const trigger = functions.reactor.trigger;
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fnId('reactor') },
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Table'), 'StreamArn'] },
      FilterCriteria: { Filters: reactorFilterPatterns.map((p) => ({ Pattern: JSON.stringify(p) })) },
      BatchSize: trigger.batchSize,
      BisectBatchOnFunctionError: trigger.bisectBatchOnError,
      MaximumRetryAttempts: trigger.retryAttempts,
      StartingPosition: trigger.startingPosition,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId(queues.streamFailures.name), 'Arn'] } } },
    });
  });

  it('wires the mailer to the notices queue with partial batch failures', () => {
    template(config).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fnId('mailer') },
      EventSourceArn: { 'Fn::GetAtt': [queueId(queues.notices.name), 'Arn'] },
      BatchSize: functions.mailer.trigger.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('runs the sweep on a schedule', () => {
    template(config).hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: `rate(${functions.sweep.trigger.everyMinutes} minutes)`,
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId('sweep'), 'Arn'] } })],
    });
  });

  it('serves the HTTP API behind a JWT authorizer, public routes without it, throttled and logged', () => {
    const t = template(config);
    t.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    t.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    const authorizer = logicalId(t, 'AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT' });
    t.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'ANY /v1/{proxy+}',
      AuthorizationType: 'JWT',
      AuthorizerId: { Ref: authorizer },
    });
    for (const route of publicRoutes) {
      const routes = t.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: route } });
      expect(Object.keys(routes), route).toHaveLength(1);
      for (const id of Object.keys(routes)) expect(propsOf(t, id).AuthorizerId).toBeUndefined();
    }
    // The reports (and the letters, the published results) go to the reports function, behind the same
    // authorizer unless public.
    for (const route of functions.reports.trigger.routes) {
      const open = (publicRoutes as readonly string[]).includes(route);
      const routes = t.findResources('AWS::ApiGatewayV2::Route', {
        Properties: open ? { RouteKey: route } : { RouteKey: route, AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizer } },
      });
      expect(Object.keys(routes), route).toHaveLength(1);
      const target = JSON.stringify(propsOf(t, Object.keys(routes)[0]!).Target);
      const integration = Object.entries(t.findResources('AWS::ApiGatewayV2::Integration')).find(([id]) => target.includes(id));
      expect(JSON.stringify(integration?.[1]), route).toContain(fnId('reports'));
    }
    t.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: apiThrottle.rateLimit, ThrottlingBurstLimit: apiThrottle.burstLimit },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
    });
  });

  it('throttles each public route on its own, so that anonymous traffic cannot use up what signed-in users need', () => {
    const t = template(config);
    const stageId = logicalId(t, 'AWS::ApiGatewayV2::Stage', { StageName: '$default' });
    const settings = z
      .record(z.string(), z.object({ ThrottlingRateLimit: z.number(), ThrottlingBurstLimit: z.number() }))
      .parse(propsOf(t, stageId).RouteSettings);
    expect(Object.keys(settings).sort()).toEqual([...publicRoutes].sort());
    for (const route of publicRoutes)
      expect(settings[route]).toEqual({
        ThrottlingRateLimit: publicRouteThrottle.rateLimit,
        ThrottlingBurstLimit: publicRouteThrottle.burstLimit,
      });
    // All of them together stay under half of the stage's.
    const sum = (k: 'ThrottlingRateLimit' | 'ThrottlingBurstLimit') => Object.values(settings).reduce((n, s) => n + s[k], 0);
    expect(sum('ThrottlingRateLimit')).toBeLessThanOrEqual(apiThrottle.rateLimit / 2);
    expect(sum('ThrottlingBurstLimit')).toBeLessThanOrEqual(apiThrottle.burstLimit / 2);
    // API Gateway refuses route settings for a route not yet created: the stage waits for them.
    const dependsOn = z
      .array(z.string())
      .parse((t.toJSON() as { Resources: Record<string, { DependsOn?: string[] }> }).Resources[stageId]?.DependsOn);
    for (const route of publicRoutes) expect(dependsOn, route).toContain(logicalId(t, 'AWS::ApiGatewayV2::Route', { RouteKey: route }));
  });

  it('keeps the feedback key out of every function: only the api, the reactor and the reports (letter links) may read its secret, by ARN', () => {
    const t = template(config);
    const secret = logicalId(t, 'AWS::SecretsManager::Secret', { Name: `${prefix}/feedback` });
    // No secret value anywhere in a function's configuration (CloudFormation would resolve a dynamic reference into it).
    expect(JSON.stringify(t.findResources('AWS::Lambda::Function'))).not.toContain('resolve:secretsmanager');
    for (const name of Object.keys(functions) as FunctionName[]) {
      const mayRead = name === 'api' || name === 'reactor' || name === 'reports';
      const access: Access = functions[name].access;
      expect(access.feedbackKey === true, name).toBe(mayRead);
      const variables = z.object({ Variables: z.record(z.string(), z.unknown()) }).parse(propsOf(t, fnId(name)).Environment).Variables;
      expect(variables[env.feedbackSecretArn], name).toEqual(mayRead ? { Ref: secret } : undefined);
      const grants = secretStatements(t, secret, roleOfFunction(t, fnId(name)));
      expect(grants.length > 0, name).toBe(mayRead);
      for (const statement of grants)
        expect(statement, name).toMatchObject({
          Effect: 'Allow',
          Action: expect.arrayContaining(['secretsmanager:GetSecretValue']),
          Resource: { Ref: secret },
          Condition: { 'ForAnyValue:StringEquals': { 'secretsmanager:VersionStage': ['AWSCURRENT', 'AWSPREVIOUS'] } },
        });
    }
  });

  it('alarms on the DLQ, stream failures, errors, throttles, a silent sweep and old notices', () => {
    const t = template(config);
    const topic = logicalId(t, 'AWS::SNS::Topic', {});
    const dlqAlarm = {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      AlarmActions: [{ Ref: topic }],
    };
    for (const q of [queues.notices.deadLetter.name, queues.streamFailures.name]) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        ...dlqAlarm,
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId(q), 'QueueName'] } }],
      });
    }
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage', AlarmActions: [{ Ref: topic }] });
    for (const name of Object.keys(functions)) {
      for (const metric of ['Errors', 'Throttles']) {
        t.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId(name) } }],
        });
      }
    }
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Invocations',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId('sweep') } }],
      Period: 1800,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    // The business counts (EMF lines, namespace Proposals) of this city are on the dashboard.
    const body = JSON.stringify(Object.values(t.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties?.DashboardBody);
    for (const m of ['ProposalsSubmitted', 'NoticesSent', 'NoticesFailed', 'TimersFired'])
      expect(body).toContain(`\\"Proposals\\",\\"${m}\\",\\"city\\",\\"${config.id}\\"`);
  });

  it('sets poison stream records aside on the stream-poison queue (only the reactor sends there, alarmed while it holds any), and alarms on failed timers', () => {
    const t = template(config);
    const poison = queueId(queues.streamPoison.name);
    for (const name of Object.keys(functions) as FunctionName[]) {
      const grants = secretStatements(t, poison, roleOfFunction(t, fnId(name)));
      expect(grants.length > 0, name).toBe(name === 'reactor');
      for (const g of grants) expect(g, name).toMatchObject({ Effect: 'Allow', Action: expect.arrayContaining(['sqs:SendMessage']) });
    }
    const variables = z.object({ Variables: z.record(z.string(), z.unknown()) }).parse(propsOf(t, fnId('reactor')).Environment).Variables;
    expect(variables[env.streamPoisonQueueUrl]).toEqual({ Ref: poison });
    const topic = logicalId(t, 'AWS::SNS::Topic', { DisplayName: `Proposals ${config.id} alarms` });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [poison, 'QueueName'] } }],
      AlarmActions: [{ Ref: topic }],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Proposals',
      MetricName: 'TimersFailed',
      Dimensions: Match.arrayWith([{ Name: 'city', Value: config.id }]),
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: topic }],
    });
  });

  it('keeps SES notifications the bounces function failed on: two async retries, then an encrypted on-failure queue with an alarm', () => {
    const t = template(config);
    const queue = queueId(bounceFailures.name);
    t.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: `${prefix}-${bounceFailures.name}`,
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: bounceFailures.retentionDays * 86_400,
    });
    t.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queue }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    t.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fnId('bounces') },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
    });
    const actions = actionsOf(t, roleOfFunction(t, fnId('bounces')));
    expect(actions).toContain('sqs:SendMessage'); // the on-failure queue, and the notices queue (the office told of a bounced notice)
    const topic = logicalId(t, 'AWS::SNS::Topic', { DisplayName: `Proposals ${config.id} alarms` });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
      AlarmActions: [{ Ref: topic }],
    });
  });

  it('writes the checked city config as JSON that the functions read back to the same config', () => {
    expect(loadCityConfigJson(path.join(outdir, `city-${config.id}.json`))).toEqual(config);
  });
});

/** Properties that name a resource uniquely in an account and region. */
const physicalNames: Record<string, string> = {
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Cognito::UserPool': 'UserPoolName',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::CloudWatch::Dashboard': 'DashboardName',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::SES::ConfigurationSet': 'Name',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::Events::Rule': 'Name',
  'AWS::IAM::Role': 'RoleName',
  'AWS::ApiGatewayV2::Api': 'Name',
};

describe('all cities in one App', () => {
  it('has the stack outputs under the names docs/operations.md gives them', () => {
    const doc = readFileSync(path.join(import.meta.dirname, '../../docs/operations.md'), 'utf8');
    const outputs = (c: CityConfig) => Object.keys(template(c).findOutputs('*'));
    const everywhere = [
      'ApiUrl',
      'TableName',
      'NoticesQueueUrl',
      'NoticesDlqUrl',
      'StreamFailuresUrl',
      'FeedbackSecretArn',
      'AlarmTopicArn',
    ];
    // SES and Cognito in the stack's region (a global region) vs a cn-* city (SES keys of another partition).
    // The console (ConsoleUrl) is not deployed in cn-* by default (console.test.ts).
    const here = [...everywhere, 'ConsoleUrl', 'DkimRecord1', 'DkimRecord2', 'DkimRecord3', 'UserPoolId', 'UserPoolClientId'];
    const cn = cities.find((c) => c.config.aws.region.startsWith('cn-'))?.config;
    if (!cn) throw new Error('no cn-* sample city');
    expect(outputs(sesHere)).toEqual(expect.arrayContaining(here));
    expect(outputs(sesHere)).not.toContain('SesCredentialsSecretArn');
    expect(outputs(cn)).toEqual(expect.arrayContaining([...everywhere, 'SesCredentialsSecretArn']));
    for (const name of new Set([...outputs(sesHere), ...outputs(cn)])) expect(doc, name).toContain(`\`${name}\``);
  });

  it('points alarms at runbook sections that exist, and counts them in the cost table', () => {
    const doc = readFileSync(path.join(import.meta.dirname, '../../docs/operations.md'), 'utf8');
    const alarms = Object.values(template(sesHere).findResources('AWS::CloudWatch::Alarm'));
    for (const alarm of alarms) {
      const section = /docs\/operations\.md "([^"]+)"/.exec(String(alarm.Properties.AlarmDescription))?.[1];
      if (section) expect(doc, section).toContain(`**${section}**`);
    }
    expect(doc).toContain(`| ${alarms.length} standard alarms × $0.10 |`);
  });

  it('synthesize side by side with no clashing resource names', () => {
    expect(templates.size).toBeGreaterThanOrEqual(2);
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const [stack, t] of templates) {
      for (const r of Object.values(resources(t))) {
        for (const [key, value] of Object.entries(r.Properties ?? {})) {
          if (physicalNames[r.Type] !== key || typeof value !== 'string') continue;
          const name = `${r.Type}.${key}=${value}`;
          const other = owner.get(name);
          if (other && other !== stack) clashes.push(`${name} (${other}, ${stack})`);
          owner.set(name, stack);
        }
      }
    }
    expect(owner.size).toBeGreaterThanOrEqual(templates.size * 8);
    expect(clashes).toEqual([]);
  });

  it('has no unacknowledged cdk-nag AwsSolutions errors', () => {
    expect(nagErrors).toEqual([]);
  });

  it('passes CloudFormation Guard (Control Tower rules) but for the exceptions in infra/guard.ts, each still needed', () => {
    expect(guardFindings).toEqual({});
    // Without the exceptions, exactly the excepted rules fail: an exception no longer needed is removed.
    expect(Object.keys(guardFindingsAll).sort()).toEqual(Object.keys(guardExceptions).sort());
    for (const reason of Object.values(guardExceptions)) expect(reason.length).toBeGreaterThan(40);
  });

  it('tags the stack and every resource CloudFormation can tag with city, stage and owner', () => {
    /** Types that take no tags in CloudFormation (a new type here must be tagged, or added with a look at its schema). */
    const untaggable = new Set([
      'AWS::ApiGatewayV2::Authorizer',
      'AWS::ApiGatewayV2::Integration',
      'AWS::ApiGatewayV2::Route',
      'AWS::CloudFront::OriginAccessControl',
      'AWS::CloudFront::ResponseHeadersPolicy',
      'AWS::Cognito::UserPoolClient',
      'AWS::Cognito::UserPoolDomain',
      'AWS::Cognito::UserPoolGroup',
      'AWS::IAM::Policy',
      'AWS::Lambda::EventInvokeConfig',
      'AWS::Lambda::LayerVersion',
      'AWS::Lambda::Permission',
      'AWS::S3::BucketPolicy',
      'AWS::SES::ConfigurationSetEventDestination',
      'AWS::SNS::Subscription',
      'AWS::SNS::TopicPolicy',
      'AWS::SQS::QueuePolicy',
      'Custom::CDKBucketDeployment',
    ]);
    const tagsOf = (r: Resource): Record<string, unknown> => {
      const tags = r.Properties?.Tags ?? r.Properties?.UserPoolTags;
      if (Array.isArray(tags))
        return Object.fromEntries(
          z
            .array(z.object({ Key: z.string(), Value: z.unknown() }))
            .parse(tags)
            .map((t) => [t.Key, t.Value]),
        );
      return z.record(z.string(), z.unknown()).optional().parse(tags) ?? {};
    };
    for (const config of all) {
      const expected = { city: config.id, stage: 'prod', owner: config.email.office[0] };
      expect(stackTags.get(`Proposals-${config.id}`)).toEqual(expected);
      const untagged: string[] = [];
      for (const [id, r] of Object.entries(resources(template(config)))) {
        if (untaggable.has(r.Type)) continue;
        if (!Object.entries(expected).every(([k, v]) => tagsOf(r)[k] === v)) untagged.push(`${id} (${r.Type})`);
      }
      expect(untagged, config.id).toEqual([]);
    }
    const context = new App({ context: { stage: 'staging', owner: 'ops@example.gov.cn' } });
    expect(cityTags(context, sesHere)).toEqual({ city: 'seshere', stage: 'staging', owner: 'ops@example.gov.cn' });
  });

  it('creates the SES identity and configuration set where SES is in the stack region, and lets only the mailer send', () => {
    const t = template(sesHere);
    t.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'example.gov.cn', ConfigurationSetAttributes: Match.anyValue() });
    t.resourceCountIs('AWS::SES::ConfigurationSet', 1);
    const fn = (name: string) => logicalId(t, 'AWS::Lambda::Function', { FunctionName: `proposals-seshere-${name}` });
    const sesActions = (name: string) => actionsOf(t, roleOfFunction(t, fn(name))).filter((a) => a.startsWith('ses:'));
    expect(sesActions('mailer').sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
    for (const name of ['api', 'reactor', 'sweep']) expect(sesActions(name)).toEqual([]);
    t.resourceCountIs('AWS::Cognito::UserPool', 1);
    t.hasResourceProperties('AWS::Cognito::UserPoolClient', { WriteAttributes: ['name'] });
  });

  it('sends SES bounces and complaints to a topic that only the bounces function reads, where SES is in the stack region', () => {
    const t = template(sesHere);
    const topic = logicalId(t, 'AWS::SNS::Topic', { DisplayName: 'SES bounces and complaints (seshere)' });
    t.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: { Enabled: true, MatchingEventTypes: ['bounce', 'complaint'], SnsDestination: { TopicARN: { Ref: topic } } },
    });
    const bounces = logicalId(t, 'AWS::Lambda::Function', { FunctionName: 'proposals-seshere-bounces' });
    const subscriptions = t.findResources('AWS::SNS::Subscription', { Properties: { TopicArn: { Ref: topic } } });
    expect(Object.values(subscriptions).map((s) => s.Properties)).toEqual([
      expect.objectContaining({ Protocol: 'lambda', Endpoint: { 'Fn::GetAtt': [bounces, 'Arn'] } }),
    ]);
    // SES may publish, from this account's configuration set only.
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sns:Publish',
            Principal: { Service: 'ses.amazonaws.com' },
            Condition: { StringEquals: Match.objectLike({ 'AWS:SourceAccount': '111111111111' }) },
          }),
        ]),
      },
    });
  });

  it('warns at synth that a cn-* city must connect bounce notifications by hand', () => {
    const cn = cities.find((c) => c.config.aws.region.startsWith('cn-'));
    const stack = cn && stacksById.get(cn.config.id);
    if (!cn || !stack) throw new Error('no cn-* sample city');
    template(cn.config).resourceCountIs('AWS::SES::ConfigurationSetEventDestination', 0);
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('bounce and complaint notifications to the bounces function'));
  });

  it('warns at synth when email.linkBase is on this machine (the default), and not when it is a public URL', () => {
    const loopback = stacksById.get('shihezi'),
      public_ = stacksById.get('alar');
    if (!loopback || !public_) throw new Error('no shihezi or alar sample city');
    expect(cities.find((c) => c.config.id === 'shihezi')?.config.email.linkBase).toBe('http://127.0.0.1:3000');
    Annotations.fromStack(loopback).hasWarning('*', Match.stringLikeRegexp('email.linkBase is http://127.0.0.1:3000.*public base URL'));
    Annotations.fromStack(public_).hasNoWarning('*', Match.stringLikeRegexp('email.linkBase'));
  });

  it('creates no SES resources (nor an impossible cross-partition grant) for a cn-* city', () => {
    const cn = cities.find((c) => c.config.aws.region.startsWith('cn-'));
    if (!cn) return;
    const t = template(cn.config);
    t.resourceCountIs('AWS::SES::EmailIdentity', 0);
    expect(JSON.stringify(t.toJSON())).not.toContain('ses:Send');
  });

  it('lets only the mailer of a cn-* city read the SES keys of the other partition, from a secret its environment names by ARN', () => {
    const cn = cities.find((c) => c.config.aws.region.startsWith('cn-'));
    if (!cn) throw new Error('no cn-* sample city');
    const t = template(cn.config);
    t.hasResourceProperties('AWS::SecretsManager::Secret', { Name: `proposals-${cn.config.id}/ses-credentials` });
    const fns = t.findResources('AWS::Lambda::Function');
    const envOf = (name: string) =>
      Object.values(fns).find((f) => f.Properties.FunctionName === `proposals-${cn.config.id}-${name}`)?.Properties.Environment.Variables;
    const secret = logicalId(t, 'AWS::SecretsManager::Secret', { Name: `proposals-${cn.config.id}/ses-credentials` });
    // The secret by its ARN, never the keys: the mailer reads them at cold start.
    expect(envOf('mailer')[env.sesCredentialsSecretArn]).toEqual({ Ref: secret });
    expect(JSON.stringify(fns)).not.toContain('resolve:secretsmanager');
    for (const other of ['api', 'reports', 'reactor', 'sweep', 'bounces'])
      expect(envOf(other)[env.sesCredentialsSecretArn]).toBeUndefined();
    const fn = (name: string) => logicalId(t, 'AWS::Lambda::Function', { FunctionName: `proposals-${cn.config.id}-${name}` });
    for (const name of Object.keys(functions)) {
      const grants = secretStatements(t, secret, roleOfFunction(t, fn(name)));
      expect(grants.length > 0, name).toBe(name === 'mailer');
      for (const statement of grants)
        expect(statement).toMatchObject({
          Resource: { Ref: secret },
          Condition: { 'ForAnyValue:StringEquals': { 'secretsmanager:VersionStage': ['AWSCURRENT'] } },
        });
    }
  });
});

describe('infra/app.ts', () => {
  const run = (context: Record<string, string>) => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'cdk-app-'));
    const r = spawnSync('npx', ['tsx', 'infra/app.ts'], {
      encoding: 'utf8',
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: out, CDK_DISABLE_CLI_TELEMETRY: 'true' },
    });
    const files = existsSync(out) ? readdirSync(out) : [];
    rmSync(out, { recursive: true, force: true });
    return { ...r, files };
  };

  it('prints file, path and reason of a bad config and exits 1 with no stack trace and nothing synthesized', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cities-'));
    try {
      const bad: unknown = {
        ...(parseYaml(readFileSync(cities[0]!.file, 'utf8')) as object),
        id: 'bad',
        aws: { account: 'x', region: 'cn-north-1' },
        units: [{ id: 'u', name: 'U', email: ['not-mail'] }],
      };
      writeFileSync(path.join(dir, 'bad.yaml'), JSON.stringify(bad));
      const r = run({ cityDir: dir });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`bad.yaml: aws.account: not a 12-digit AWS account id`);
      expect(r.stderr).toContain(`bad.yaml: units[0].email[0]: not an email address`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.files.filter((f) => f.endsWith('.template.json'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads JSON city files, and stops when a file name is not its id', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cities-'));
    try {
      const config = { ...(parseYaml(readFileSync(cities[0]!.file, 'utf8')) as object), id: 'other' };
      writeFileSync(path.join(dir, 'x.json'), JSON.stringify(config));
      const r = run({ cityDir: dir });
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toBe(
        `${path.join(dir, 'x.json')}: id: "other" differs from the file name: name the file other.json (or set id: x)`,
      );
      expect(r.files.filter((f) => f.endsWith('.template.json'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the known cities when -c city matches none', () => {
    const r = run({ city: 'nowhere' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no city file for "nowhere"');
    expect(r.stderr).toContain(first.id);
  });
});
