/**
 * The optional WAF rate rule (off by default). WAF cannot be attached to an HTTP API, so it goes on
 * the console's CloudFront distribution: `-c wafRateLimit=<n>` creates the web ACL in a us-east-1
 * stack (where CloudFront's web ACLs live), `-c consoleWebAcl=<arn>` attaches one made there by ops;
 * anything else stops the synth or, without a console, warns. Synthesized like console.test.ts
 * (bundling skipped), each case in its own Stage with its own context; cdk-nag and CloudFormation
 * Guard included.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCityFiles, loadCityConfigFile } from '#adapters/city-config-loader.ts';
import type { CityConfig } from '#domain/city-config.ts';
import { CityStack } from '#infra/constructs/city-stack.ts';
import { publicPaths } from '#infra/constructs/console.ts';
import { cfnGuard } from '#infra/guard.ts';
import { wafRulesJson } from '#infra/waf-rule.ts';
import { publicRoutes } from '#shared/wiring.ts';
import { cdkJsonContext } from './cdk-json.ts';

const sample = loadCityConfigFile(listCityFiles()[0] ?? '');
const city = (id: string, region: string): CityConfig => ({ ...sample, id, aws: { account: '111111111111', region } });
const webAclArn = 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/proposals-arn-console/0b1c2d3e-aaaa-bbbb-cccc-123456789012';

/** Case -> [context, city]: the ones that synthesize. */
const cases: Record<string, [Record<string, string>, CityConfig]> = {
  default: [{}, city('plain', 'us-east-1')],
  created: [{ wafRateLimit: '100' }, city('created', 'us-east-1')],
  attached: [{ consoleWebAcl: webAclArn }, city('attached', 'ap-southeast-1')],
  noConsole: [{ wafRateLimit: '100', console: 'false' }, city('noconsole', 'us-east-1')],
};
/** The ones that stop the synth. */
const refused: Record<string, [Record<string, string>, CityConfig]> = {
  elsewhere: [{ wafRateLimit: '100' }, city('elsewhere', 'ap-southeast-1')],
  tooLow: [{ wafRateLimit: '5' }, city('toolow', 'us-east-1')],
  both: [{ wafRateLimit: '100', consoleWebAcl: webAclArn }, city('both', 'us-east-1')],
};

function build(app: App, name: string, [context, config]: [Record<string, string>, CityConfig], consoleDir: string): CityStack {
  const stage = new Stage(app, name);
  for (const [k, v] of Object.entries(context)) stage.node.setContext(k, v);
  return new CityStack(stage, `Proposals-${config.id}`, {
    config,
    consoleDir,
    env: { account: config.aws.account, region: config.aws.region },
  });
}
const appContext = { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [], console: 'true' };

let outdir: string;
const stacks = new Map<string, CityStack>();
const templates = new Map<string, Template>();
let nagErrors: string[] = [];
let guardFindings: string[] = [];

beforeAll(() => {
  outdir = mkdtempSync(path.join(os.tmpdir(), 'cdk-waf-'));
  const consoleDir = path.join(outdir, 'no-console-build');
  const app = new App({ outdir, context: appContext });
  for (const [name, c] of Object.entries(cases)) stacks.set(name, build(app, name, c, consoleDir));
  app.synth();
  for (const [name, stack] of stacks) templates.set(name, Template.fromStack(stack));
  nagErrors = new AwsSolutionsChecks()
    .validateScope(app)
    .violations.filter((v) => v.severity === 'error')
    .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));
  const created = stacks.get('created');
  const stage = created && Stage.of(created);
  if (!created || !stage) throw new Error('no stack of the created case');
  guardFindings = cfnGuard()
    .validate({ appConstruct: app, templatePaths: [stage.synth().getStackByName(created.stackName).templateFullPath] })
    .violations.map((v) => `${v.ruleName}: ${v.description}`);
}, 600_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const template = (name: string) => {
  const t = templates.get(name);
  if (!t) throw new Error(`no template ${name}`);
  return t;
};
const distribution = (name: string) =>
  Object.values(template(name).findResources('AWS::CloudFront::Distribution'))[0]?.Properties.DistributionConfig as Record<string, unknown>;

describe('WAF on the console distribution', () => {
  it('is off by default', () => {
    template('default').resourceCountIs('AWS::WAFv2::WebACL', 0);
    expect(distribution('default').WebACLId).toBeUndefined();
  });

  it('-c wafRateLimit in us-east-1: a CloudFront web ACL whose rule answers 429 to an IP over the limit on the public paths, attached', () => {
    const t = template('created');
    const acls = t.findResources('AWS::WAFv2::WebACL');
    expect(Object.keys(acls)).toHaveLength(1);
    const [id] = Object.keys(acls);
    t.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({
          Action: { Block: { CustomResponse: { ResponseCode: 429 } } },
          Statement: {
            RateBasedStatement: Match.objectLike({ Limit: 100, AggregateKeyType: 'IP', EvaluationWindowSec: 300 }),
          },
        }),
      ],
    });
    // The public routes' paths, and no other.
    const scopeDown = JSON.stringify(acls[id ?? '']?.Properties.Rules[0].Statement.RateBasedStatement.ScopeDownStatement);
    const paths = new Set(publicRoutes.map((r) => r.split(' ')[1]));
    for (const p of publicPaths()) expect(scopeDown).toContain(`"SearchString":"${p.path}"`);
    expect(
      publicPaths()
        .map((p) => p.path)
        .sort(),
    ).toEqual([...paths].sort());
    expect(distribution('created').WebACLId).toEqual({ 'Fn::GetAtt': [id, 'Arn'] });
  });

  it("prints for ops (infra/waf-rule.ts) the rule the stack creates, in the WAF API's form", () => {
    const rules = Object.values(template('created').findResources('AWS::WAFv2::WebACL'))[0]?.Properties.Rules;
    expect(wafRulesJson(100)).toEqual(rules);
  });

  it('-c consoleWebAcl: attaches the web ACL ops made in us-east-1, and creates none', () => {
    template('attached').resourceCountIs('AWS::WAFv2::WebACL', 0);
    expect(distribution('attached').WebACLId).toBe(webAclArn);
  });

  it('stops the synth when the web ACL cannot be made here, the limit is out of range, or both switches are given', () => {
    const app = new App({ outdir: path.join(outdir, 'refused'), context: appContext });
    const errors = (name: string) => {
      const stack = build(app, name, refused[name]!, path.join(outdir, 'no-console-build'));
      expect(stack.node.findAll().some((c) => c.node.id === 'WebAcl')).toBe(false);
      return stack.node.metadata.filter((m) => m.type === 'aws:cdk:error').map((m) => String(m.data));
    };
    expect(errors('elsewhere')).toEqual([
      expect.stringMatching(/us-east-1, and this stack is in ap-southeast-1.*-c consoleWebAcl=<its ARN>/),
    ]);
    expect(errors('tooLow')).toEqual([
      expect.stringContaining('-c wafRateLimit=5: requests per 5 minutes from one client, an integer from 10'),
    ]);
    expect(errors('both')).toEqual([expect.stringContaining('-c wafRateLimit and -c consoleWebAcl: give one of them')]);
    expect(() => app.synth()).toThrow(/give one of them/);
  });

  it('warns that WAF cannot protect the HTTP API when there is no console', () => {
    Annotations.fromStack(stacks.get('noConsole') as CityStack).hasWarning(
      '*',
      Match.stringLikeRegexp('-c wafRateLimit has no effect without the console: WAF cannot be attached to an HTTP API'),
    );
    template('noConsole').resourceCountIs('AWS::WAFv2::WebACL', 0);
  });

  it('keeps cdk-nag and CloudFormation Guard clean', () => {
    expect(nagErrors).toEqual([]);
    expect(guardFindings).toEqual([]);
  });
});
