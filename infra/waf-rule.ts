/**
 * Prints the WAF rules of the console's web ACL (the rate rule per client IP on the public paths,
 * infra/constructs/console.ts) as the WAF API takes them, for a web ACL made by hand in us-east-1
 * (docs/operations.md, "Rate limit per client (WAF)"):
 * `npx tsx infra/waf-rule.ts <requests per 5 minutes> > rules.json`, then
 * `aws wafv2 create-web-acl … --rules file://rules.json`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as z from 'zod';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { publicRateRule, wafRateLimitRange } from './constructs/console.ts';

/** The rules in CloudFormation's (and so the WAF API's) casing. */
export function wafRulesJson(limit: number): unknown {
  const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), 'waf-rule-')) });
  const stack = new Stack(app, 'Rules');
  const acl = new CfnWebACL(stack, 'Acl', {
    scope: 'CLOUDFRONT',
    defaultAction: { allow: {} },
    rules: [publicRateRule(limit)],
    visibilityConfig: { cloudWatchMetricsEnabled: false, metricName: 'rules', sampledRequestsEnabled: false },
  });
  const assembly = app.synth();
  const template = z
    .object({ Resources: z.record(z.string(), z.object({ Properties: z.object({ Rules: z.unknown() }) })) })
    .parse(assembly.getStackByName(stack.stackName).template);
  rmSync(assembly.directory, { recursive: true, force: true });
  return template.Resources[stack.getLogicalId(acl)]?.Properties.Rules;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const limit = Number(process.argv[2]);
  if (!Number.isInteger(limit) || limit < wafRateLimitRange.min || limit > wafRateLimitRange.max) {
    console.error(`usage: npx tsx infra/waf-rule.ts <requests per 5 minutes from one client, an integer from ${wafRateLimitRange.min}>`);
    process.exit(1);
  }
  console.log(JSON.stringify(wafRulesJson(limit), null, 2));
}
