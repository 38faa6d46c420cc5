/**
 * The web console in each city's stack (infra/constructs/console.ts): private bucket behind
 * CloudFront (OAC), the HTTP API under /v1/* on the same origin, security headers, the SPA
 * fallback, config.json written at deploy, and the console's Cognito app client. Synthesized like
 * stack.test.ts (bundling skipped), with a stand-in build of web/ so that the result does not
 * depend on whether web/dist exists on this machine; cdk-nag included.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCityFiles, loadCityConfigFile } from '#adapters/city-config-loader.ts';
import type { CityConfig } from '#domain/city-config.ts';
import { CityStack } from '#infra/constructs/city-stack.ts';
import { consoleCacheControl, consoleRedirectPath } from '#infra/constructs/console.ts';
import { cdkJsonContext } from './cdk-json.ts';

const cities = listCityFiles().map((file) => loadCityConfigFile(file));
const cnCity = cities.find((c) => c.aws.region.startsWith('cn-'));
if (!cnCity) throw new Error('no cn-* sample city');
/** A city where Cognito is offered: the stack makes the user pool, its hosted domain and the console's client. */
const cognitoCity: CityConfig = { ...cnCity, id: 'cog', aws: { account: '111111111111', region: 'ap-southeast-1' } };
/** A cn-* city with its own OIDC issuer in the city config. */
const ownIssuer = { jwtIssuer: 'https://idp.example.gov.cn/realms/alar', jwtAudience: 'proposals-console' };
const cnOwn: CityConfig = { ...cnCity, id: 'cnown', auth: ownIssuer };

let outdir: string;
let dist: string;
const stacks = new Map<string, CityStack>();
const templates = new Map<string, Template>();
const nagErrors: string[] = [];

beforeAll(() => {
  outdir = mkdtempSync(path.join(os.tmpdir(), 'cdk-console-'));
  // A stand-in for `npm run build:web`, with a stale config.json that must not be deployed.
  dist = mkdtempSync(path.join(os.tmpdir(), 'web-dist-'));
  mkdirSync(path.join(dist, 'assets'));
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><script type="module" src="/assets/index-abc123.js"></script>');
  writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(path.join(dist, 'config.json'), '{"auth":{"mode":"local"}}');

  // `-c console=true`: the cn-* city too (by default the console is left out there, below).
  const app = new App({ outdir: path.join(outdir, 'a'), context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [], console: 'true' } });
  const missing = path.join(dist, 'no-such-dir');
  for (const [config, consoleDir] of [
    [cognitoCity, dist],
    [cnOwn, missing],
  ] as const) {
    stacks.set(
      config.id,
      new CityStack(app, `Proposals-${config.id}`, { config, consoleDir, env: { account: config.aws.account, region: config.aws.region } }),
    );
  }
  // Without the console: a cn-* city by default, and a Cognito city with -c console=false.
  const cnDefault = new App({ outdir: path.join(outdir, 'b'), context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
  stacks.set(
    'cndefault',
    new CityStack(cnDefault, 'Proposals-cndefault', {
      config: { ...cnOwn, id: 'cndefault' },
      consoleDir: dist,
      env: { account: cnOwn.aws.account, region: cnOwn.aws.region },
    }),
  );
  const off = new App({ outdir: path.join(outdir, 'c'), context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [], console: 'false' } });
  stacks.set(
    'off',
    new CityStack(off, 'Proposals-off', {
      config: { ...cognitoCity, id: 'off' },
      consoleDir: dist,
      env: { account: cognitoCity.aws.account, region: cognitoCity.aws.region },
    }),
  );

  for (const a of [app, cnDefault, off]) {
    const assembly = a.synth();
    for (const s of stacks.values())
      if (s.node.root === a)
        templates.set(s.stackName, Template.fromJSON(assembly.getStackByName(s.stackName).template as Record<string, unknown>));
    nagErrors.push(
      ...new AwsSolutionsChecks()
        .validateScope(a)
        .violations.filter((v) => v.severity === 'error')
        .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`)),
    );
  }
});
afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
  rmSync(dist, { recursive: true, force: true });
});

function template(id: string): Template {
  const t = templates.get(`Proposals-${id}`);
  if (!t) throw new Error(`no template for ${id}`);
  return t;
}
interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
}
function resources(t: Template): Record<string, Resource> {
  return (t.toJSON() as { Resources?: Record<string, Resource> }).Resources ?? {};
}
function logicalId(t: Template, type: string, props: Record<string, unknown> = {}): string {
  const ids = Object.keys(t.findResources(type, { Properties: props }));
  expect(ids, `${type} ${JSON.stringify(props)}`).toHaveLength(1);
  return ids[0] ?? '';
}
/** A CloudFormation value as text: `{Ref: X}` -> `${X}`, `{Fn::GetAtt: [X, A]}` -> `${X.A}`, joins joined. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return `\${${v.Ref}}`;
  if (Array.isArray(v['Fn::GetAtt'])) return `\${${(v['Fn::GetAtt'] as string[]).join('.')}}`;
  if (Array.isArray(v['Fn::Join'])) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(text).join(sep);
  }
  throw new Error(`no text for ${JSON.stringify(value)}`);
}

interface Behavior {
  PathPattern?: string;
  TargetOriginId: string;
  CachePolicyId: string;
  OriginRequestPolicyId?: string;
  ResponseHeadersPolicyId: { Ref: string };
  AllowedMethods?: string[];
  ViewerProtocolPolicy: string;
  FunctionAssociations?: { EventType: string; FunctionARN: unknown }[];
}
interface DistributionConfig {
  DefaultCacheBehavior: Behavior;
  CacheBehaviors: Behavior[];
  Origins: {
    Id: string;
    DomainName: unknown;
    OriginAccessControlId?: unknown;
    S3OriginConfig?: { OriginAccessIdentity: string };
    CustomOriginConfig?: Record<string, unknown>;
  }[];
  CustomErrorResponses?: unknown;
  DefaultRootObject?: string;
}
function distribution(t: Template): { id: string; config: DistributionConfig } {
  const id = logicalId(t, 'AWS::CloudFront::Distribution');
  return { id, config: resources(t)[id]?.Properties?.DistributionConfig as DistributionConfig };
}
function behavior(t: Template, pattern: string): Behavior {
  const { config } = distribution(t);
  const b = pattern === '*' ? config.DefaultCacheBehavior : config.CacheBehaviors.find((x) => x.PathPattern === pattern);
  if (!b) throw new Error(`no behaviour ${pattern}`);
  return b;
}
interface SecurityHeaders {
  ContentSecurityPolicy: { ContentSecurityPolicy: unknown; Override: boolean };
  StrictTransportSecurity: { AccessControlMaxAgeSec: number; IncludeSubdomains: boolean; Override: boolean };
  ContentTypeOptions: { Override: boolean };
  FrameOptions: { FrameOption: string; Override: boolean };
  ReferrerPolicy: { ReferrerPolicy: string; Override: boolean };
}
function headersOf(t: Template, b: Behavior): { security: SecurityHeaders; custom: Record<string, string> } {
  const config = resources(t)[b.ResponseHeadersPolicyId.Ref]?.Properties?.ResponseHeadersPolicyConfig as {
    SecurityHeadersConfig: SecurityHeaders;
    CustomHeadersConfig?: { Items: { Header: string; Value: string }[] };
  };
  return {
    security: config.SecurityHeadersConfig,
    custom: Object.fromEntries((config.CustomHeadersConfig?.Items ?? []).map((h) => [h.Header, h.Value])),
  };
}
/** CSP directives: name -> sources. */
function csp(t: Template, b: Behavior): Map<string, string[]> {
  const policy = text(headersOf(t, b).security.ContentSecurityPolicy.ContentSecurityPolicy);
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...sources]) => [name ?? '', sources]),
  );
}

/** config.json as the deployment writes it, deploy-time values shown as `${LogicalId}` / `${LogicalId.Attr}`. */
function configJson(t: Template): unknown {
  // The one deployment that never deletes (the console's files are the other's).
  const deployments = Object.values(t.findResources('Custom::CDKBucketDeployment', { Properties: { Prune: false } }));
  expect(deployments).toHaveLength(1);
  const props = deployments[0]?.Properties as { SourceObjectKeys: string[]; SourceMarkers?: Record<string, unknown>[] };
  const asset = path.join(outdir, 'a', `asset.${props.SourceObjectKeys[0]?.replace(/\.zip$/, '')}`, 'config.json');
  let json = readFileSync(asset, 'utf8');
  for (const [marker, value] of Object.entries(props.SourceMarkers?.[0] ?? {})) json = json.replaceAll(marker, text(value));
  return JSON.parse(json);
}

describe.each([
  ['Cognito (ap-southeast-1)', cognitoCity.id],
  ['own OIDC issuer (cn-*)', cnOwn.id],
])('console of a city with %s', (_name, id) => {
  it('keeps the files in a private, encrypted, SSL-only bucket that only this distribution reads, through OAC', () => {
    const t = template(id);
    const bucket = logicalId(t, 'AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    expect(resources(t)[bucket]?.Properties?.WebsiteConfiguration).toBeUndefined();
    const { id: dist, config } = distribution(t);
    const statements = t.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucket } } }) as Record<
      string,
      { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } }
    >;
    const [policy] = Object.values(statements);
    expect(policy?.Properties.PolicyDocument.Statement).toEqual([
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({ Effect: 'Allow', Action: 's3:GetObject', Principal: { Service: 'cloudfront.amazonaws.com' } }),
    ]);
    expect(
      text(
        (policy?.Properties.PolicyDocument.Statement[1]?.Condition as { StringEquals: Record<string, unknown> }).StringEquals[
          'AWS:SourceArn'
        ],
      ),
    ).toMatch(new RegExp(`:distribution/\\$\\{${dist}\\}$`));
    // Origin access control (not an OAI) signs every request to the bucket.
    const oac = logicalId(t, 'AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      }),
    });
    t.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    const s3 = config.Origins.find((o) => text(o.DomainName) === `\${${bucket}.RegionalDomainName}`);
    expect(s3).toMatchObject({ OriginAccessControlId: { 'Fn::GetAtt': [oac, 'Id'] }, S3OriginConfig: { OriginAccessIdentity: '' } });
    expect(behavior(t, '*').TargetOriginId).toBe(s3?.Id);
    expect(behavior(t, '/assets/*').TargetOriginId).toBe(s3?.Id);
  });

  it('sends /v1/* to the HTTP API: same origin, no caching, every method, all viewer headers but Host', () => {
    const t = template(id);
    const api = logicalId(t, 'AWS::ApiGatewayV2::Api');
    const v1 = behavior(t, '/v1/*');
    const origin = distribution(t).config.Origins.find((o) => o.Id === v1.TargetOriginId);
    expect(text(origin?.DomainName)).toMatch(
      new RegExp(`^\\$\\{${api}\\}\\.execute-api\\.${t === template(cognitoCity.id) ? 'ap-southeast-1' : cnOwn.aws.region}\\.`),
    );
    expect(origin?.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    expect(v1).toMatchObject({
      CachePolicyId: CachePolicy.CACHING_DISABLED.cachePolicyId,
      // With caching disabled, AllViewerExceptHostHeader also forwards Authorization (an origin
      // request policy cannot name it); Host must be API Gateway's own.
      OriginRequestPolicyId: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
      ViewerProtocolPolicy: 'https-only',
    });
    expect([...(v1.AllowedMethods ?? [])].sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    expect(v1.FunctionAssociations).toBeUndefined();
    // No distribution-wide error pages: the API's 403/404 problem+json answers pass unchanged.
    expect(distribution(t).config.CustomErrorResponses).toBeUndefined();
    // The API's own pages (the feedback page) keep their inline script: its CSP names no script-src and yields to the API's.
    const apiHeaders = headersOf(t, v1).security;
    expect(apiHeaders.ContentSecurityPolicy.Override).toBe(false);
    expect(csp(t, v1).get('frame-ancestors')).toEqual(["'none'"]);
    expect(apiHeaders.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
  });

  it('answers with security headers: a CSP without inline scripts, HSTS, nosniff, DENY, a referrer policy', () => {
    const t = template(id);
    for (const pattern of ['*', '/assets/*', '/v1/*']) {
      const { security } = headersOf(t, behavior(t, pattern));
      expect(security.StrictTransportSecurity.AccessControlMaxAgeSec, pattern).toBeGreaterThanOrEqual(365 * 86_400);
      expect(security.StrictTransportSecurity).toMatchObject({ IncludeSubdomains: true, Override: true });
      expect(security.ContentTypeOptions).toEqual({ Override: true });
      expect(security.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
      expect(security.ReferrerPolicy).toEqual({ ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true });
    }
    for (const pattern of ['*', '/assets/*']) {
      const directives = csp(t, behavior(t, pattern));
      expect(headersOf(t, behavior(t, pattern)).security.ContentSecurityPolicy.Override).toBe(true);
      expect(directives.get('default-src')).toEqual(["'self'"]);
      expect(directives.get('script-src')).toEqual(["'self'"]);
      expect(directives.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]); // Element Plus
      expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
      expect(directives.get('worker-src')).toEqual(["'self'", 'blob:']); // the Excel export's zip worker
      expect(directives.get('object-src')).toEqual(["'none'"]);
      expect(directives.get('base-uri')).toEqual(["'self'"]);
      const connect = directives.get('connect-src');
      if (id === cognitoCity.id) {
        const domain = logicalId(t, 'AWS::Cognito::UserPoolDomain');
        expect(connect).toEqual([
          "'self'",
          'https://cognito-idp.ap-southeast-1.amazonaws.com',
          `https://\${${domain}}.auth.ap-southeast-1.amazoncognito.com`,
        ]);
      } else {
        expect(connect).toEqual(["'self'", 'https://idp.example.gov.cn']);
      }
    }
  });

  it('falls back to index.html for console routes (a viewer-request function), caches only hashed assets long', () => {
    const t = template(id);
    const main = behavior(t, '*');
    const fn = logicalId(t, 'AWS::CloudFront::Function', { FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }) });
    expect(main.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [fn, 'FunctionARN'] } }]);
    expect(distribution(t).config.DefaultRootObject).toBe('index.html');
    const code = resources(t)[fn]?.Properties?.FunctionCode as string;
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the function's own code, from the template
    const handler = new Function(`${code}; return handler;`)() as (e: { request: { uri: string } }) => { uri: string };
    const rewrite = (uri: string) => handler({ request: { uri } }).uri;
    for (const route of ['/', '/proposals', '/proposals/new', '/proposals/01JABCDEF', '/reports', consoleRedirectPath])
      expect(rewrite(route), route).toBe('/index.html');
    for (const file of ['/index.html', '/config.json', '/assets/index-abc123.js', '/favicon.ico', '/v1/me', '/v1/proposals/1'])
      expect(rewrite(file), file).toBe(file);
    // index.html and config.json: never cached at the edge, revalidated by browsers; hashed assets: a year.
    expect(main.CachePolicyId).toBe(CachePolicy.CACHING_DISABLED.cachePolicyId);
    expect(headersOf(t, main).custom).toEqual({ 'Cache-Control': consoleCacheControl.pages });
    expect(consoleCacheControl.pages).toBe('no-cache');
    const assets = behavior(t, '/assets/*');
    expect(assets.CachePolicyId).toBe(CachePolicy.CACHING_OPTIMIZED.cachePolicyId);
    expect(headersOf(t, assets).custom).toEqual({ 'Cache-Control': 'public, max-age=31536000, immutable' });
  });

  it('outputs the console URL', () => {
    const t = template(id);
    t.hasOutput('ConsoleUrl', { Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distribution(t).id, 'DomainName'] }]] } });
  });
});

describe('config.json and sign-in', () => {
  it('with Cognito: hosted domain, a public code-grant client for the console, accepted by the API', () => {
    const t = template(cognitoCity.id);
    const dist = distribution(t).id;
    const pool = logicalId(t, 'AWS::Cognito::UserPool');
    const domain = logicalId(t, 'AWS::Cognito::UserPoolDomain', { Domain: 'proposals-cog-111111111111', UserPoolId: { Ref: pool } });
    const client = logicalId(t, 'AWS::Cognito::UserPoolClient', { AllowedOAuthFlows: ['code'] });
    const props = resources(t)[client]?.Properties ?? {};
    expect(props).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      SupportedIdentityProviders: ['COGNITO'],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect((props.CallbackURLs as unknown[]).map(text)).toEqual([`https://\${${dist}.DomainName}/auth/callback`]);
    expect((props.LogoutURLs as unknown[]).map(text)).toEqual([`https://\${${dist}.DomainName}/`]);
    // The tools' client (SRP) has no OAuth flows: the hosted pages serve the console's client only.
    const tools = logicalId(t, 'AWS::Cognito::UserPoolClient', { ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_SRP_AUTH']) });
    expect(resources(t)[tools]?.Properties?.AllowedOAuthFlows).toBeUndefined();
    expect(resources(t)[tools]?.Properties?.AllowedOAuthFlowsUserPoolClient).toBe(false);
    // The API's authorizer accepts the console's tokens (audience) and the tools' ones.
    t.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Audience: [{ Ref: tools }, { Ref: client }], Issuer: Match.anyValue() },
    });

    expect(configJson(t)).toEqual({
      city: { id: 'cog', name: cognitoCity.name, timeZone: cognitoCity.timeZone },
      apiBase: '',
      auth: {
        mode: 'oidc',
        authority: `https://cognito-idp.ap-southeast-1.amazonaws.com/\${${pool}}`,
        clientId: `\${${client}}`,
        scope: 'openid email profile',
        redirectPath: '/auth/callback',
        logoutUrl: `https://\${${domain}}.auth.ap-southeast-1.amazoncognito.com/logout?client_id=\${${client}}&logout_uri=https://\${${dist}.DomainName}/`,
      },
    });
  });

  it("with the city's own issuer: authority and client id from the city config, no Cognito", () => {
    const t = template(cnOwn.id);
    expect(Object.values(resources(t)).filter((r) => r.Type.startsWith('AWS::Cognito::'))).toEqual([]);
    t.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Issuer: ownIssuer.jwtIssuer, Audience: [ownIssuer.jwtAudience] },
    });
    expect(configJson(t)).toEqual({
      city: { id: 'cnown', name: cnOwn.name, timeZone: cnOwn.timeZone },
      apiBase: '',
      auth: {
        mode: 'oidc',
        authority: ownIssuer.jwtIssuer,
        clientId: ownIssuer.jwtAudience,
        scope: 'openid email profile',
        redirectPath: '/auth/callback',
      },
    });
  });
});

describe('deploying the files', () => {
  it('deploys web/dist (pruning old files, never config.json) when it exists', () => {
    const t = template(cognitoCity.id);
    const files = Object.values(t.findResources('Custom::CDKBucketDeployment', { Properties: { Prune: true } }));
    expect(files).toHaveLength(1);
    expect(files[0]?.Properties).toMatchObject({
      Exclude: ['config.json'],
      DestinationBucketName: { Ref: logicalId(t, 'AWS::S3::Bucket') },
    });
    const key = String((files[0]?.Properties as { SourceObjectKeys: string[] }).SourceObjectKeys[0]).replace(/\.zip$/, '');
    expect(readFileSync(path.join(outdir, 'a', `asset.${key}`, 'index.html'), 'utf8')).toContain('/assets/index-abc123.js');
    Annotations.fromStack(stacks.get(cognitoCity.id)!).hasNoWarning('*', Match.stringLikeRegexp('does not exist'));
  });

  it('synthesizes without web/dist: config.json only, and a warning', () => {
    const t = template(cnOwn.id);
    t.resourceCountIs('Custom::CDKBucketDeployment', 1);
    t.hasResourceProperties('Custom::CDKBucketDeployment', { Prune: false });
    Annotations.fromStack(stacks.get(cnOwn.id)!).hasWarning('*', Match.stringLikeRegexp('no-such-dir does not exist.*npm run build:web'));
  });

  it('gives the deployment function only the console bucket and the CDK assets bucket', () => {
    const t = template(cognitoCity.id);
    const bucket = logicalId(t, 'AWS::S3::Bucket');
    const roles = Object.keys(t.findResources('AWS::IAM::Role')).filter((r) => r.startsWith('CustomCDKBucketDeployment'));
    expect(roles).toHaveLength(1);
    const policies = Object.values(t.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roles[0] }] } }));
    const statements = policies.flatMap(
      (p) =>
        (p.Properties as { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } }).PolicyDocument.Statement,
    );
    for (const s of statements) {
      for (const a of [s.Action].flat()) expect(a).toMatch(/^s3:/);
      for (const r of [s.Resource].flat().map(text))
        expect(r).toMatch(
          new RegExp(`^(\\$\\{${bucket}\\.Arn\\}(/\\*)?|arn:aws:s3:::cdk-hnb659fds-assets-111111111111-ap-southeast-1(/\\*)?)$`),
        );
    }
  });
});

describe('China regions, and -c console=false', () => {
  it('leaves the console out of a cn-* stack by default (CloudFront there has no Functions nor OAC), the API unchanged', () => {
    const t = template('cndefault');
    for (const type of [
      'AWS::CloudFront::Distribution',
      'AWS::CloudFront::Function',
      'AWS::CloudFront::OriginAccessControl',
      'AWS::S3::Bucket',
      'Custom::CDKBucketDeployment',
    ])
      t.resourceCountIs(type, 0);
    expect(Object.keys(t.findOutputs('ConsoleUrl'))).toEqual([]);
    t.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Issuer: ownIssuer.jwtIssuer, Audience: [ownIssuer.jwtAudience] },
    });
    Annotations.fromStack(stacks.get('cndefault')!).hasWarning(
      '*',
      Match.stringLikeRegexp('neither CloudFront Functions nor origin access control.*no web console'),
    );
  });

  it('warns, when forced with -c console=true in cn-*, that CloudFront there needs an ICP-registered domain', () => {
    Annotations.fromStack(stacks.get(cnOwn.id)!).hasWarning('*', Match.stringLikeRegexp('-c console=true.*ICP-registered'));
    Annotations.fromStack(stacks.get(cognitoCity.id)!).hasNoWarning('*', Match.stringLikeRegexp('ICP|no web console'));
  });

  it('leaves the console and its app client out with -c console=false', () => {
    const t = template('off');
    for (const type of ['AWS::CloudFront::Distribution', 'AWS::S3::Bucket', 'Custom::CDKBucketDeployment']) t.resourceCountIs(type, 0);
    t.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    const tools = logicalId(t, 'AWS::Cognito::UserPoolClient');
    t.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Audience: [{ Ref: tools }], Issuer: Match.anyValue() },
    });
    Annotations.fromStack(stacks.get('off')!).hasWarning('*', Match.stringLikeRegexp('console=false.*no web console'));
  });
});

it('has no unacknowledged cdk-nag AwsSolutions errors (console with and without its files)', () => {
  expect(nagErrors).toEqual([]);
});
