/**
 * The web console (工作台) of one city: the build in web/dist/ in a private S3 bucket, served by
 * CloudFront through origin access control, with the HTTP API on the same origin under `/v1/*`
 * (no CORS), security headers on every answer and `/config.json` written at deploy.
 *
 * Behaviours:
 * - default (`*`): the bucket, no edge caching and `Cache-Control: no-cache` (index.html and
 *   config.json are always fresh); a viewer-request function sends every path without a file
 *   extension to /index.html (the console's routes, /auth/callback included). Not errorResponses:
 *   those would also rewrite the API's 403/404 problem+json answers.
 * - `/assets/*`: Vite's content-hashed files, cached for a year at the edge and in the browser.
 * - `/v1/*` (addApi): the HTTP API, caching disabled, every method, every viewer header but Host
 *   (with caching disabled CloudFront also forwards Authorization).
 *
 * Optional WAF (`waf`): a rate rule per client IP on the public paths (wiring.publicRoutes), where
 * one client could otherwise use up the public routes' throttle for everyone. WAF cannot be attached
 * to an HTTP API, so this is the only place for it; the API's own address (output ApiUrl) bypasses it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Annotations, CfnOutput, DefaultStackSynthesizer, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { publicRoutes } from '#shared/wiring.ts';
import { consoleCsp } from '../console-headers.ts';

/** `/config.json` as docs/console.md fixes it (the AWS form: OIDC sign-in, API on the same origin). */
export interface ConsoleConfigJson {
  city: { id: string; name: string; timeZone: string };
  apiBase: '';
  auth: { mode: 'oidc'; authority: string; clientId: string; scope: string; redirectPath: string; logoutUrl?: string };
}

/**
 * Whether CloudFront in a region offers what the console needs. In the China regions CloudFormation
 * has neither AWS::CloudFront::Function nor AWS::CloudFront::OriginAccessControl, and CloudFront
 * serves only ICP-registered alternate domains (docs/operations.md, China regions).
 */
export function consoleOffered(region: string): boolean {
  return !region.startsWith('cn-');
}

/** The console's build (`npm run build:web`). */
export const consoleDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** Where the console's OIDC client comes back after sign-in (a route of the console). */
export const consoleRedirectPath = '/auth/callback';

/** Cache-Control of what the bucket serves: the entry points always revalidated, hashed assets kept. */
export const consoleCacheControl = { pages: 'no-cache', assets: 'public, max-age=31536000, immutable' } as const;

/**
 * CloudFront Function (viewer request, default behaviour): a path whose last segment has no file
 * extension is a route of the single-page app and gets index.html. `/v1/` never reaches this
 * behaviour; the check keeps the function right even if it is attached elsewhere.
 */
export const spaRewriteCode = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.indexOf('/v1/') !== 0 && !/\\.[^/]*$/.test(uri)) request.uri = '/index.html';
  return request;
}`;

/** For the API's answers (JSON, and the HTML feedback page with its own inline script): framing and plugins only. */
export const apiCsp = "frame-ancestors 'none'; object-src 'none'; base-uri 'self'";

/**
 * WAF on the distribution: a web ACL the stack creates with the rate rule (`rateLimit`, only in a
 * us-east-1 stack: CloudFront's web ACLs live there), or one made by ops in us-east-1 (`webAclArn`,
 * docs/operations.md "Rate limit per client (WAF)").
 */
export type ConsoleWaf = { rateLimit: number } | { webAclArn: string };

/** Where WAF's rate-based rules start and end (requests per 5 minutes from one IP). */
export const wafRateLimitRange = { min: 10, max: 2_000_000_000 } as const;

/** The paths of the public routes (a `{param}` path by its prefix). */
export function publicPaths(): { path: string; prefix: boolean }[] {
  const paths = new Set(publicRoutes.map((r) => r.split(' ')[1] ?? ''));
  return [...paths].map((p) => (p.includes('{') ? { path: p.slice(0, p.indexOf('{')), prefix: true } : { path: p, prefix: false }));
}

/**
 * The rule: more than `limit` requests in 5 minutes from one IP to the public paths, and that IP is
 * answered 429 on them until its rate falls below the limit again. Other paths are not counted.
 */
export function publicRateRule(limit: number): CfnWebACL.RuleProperty {
  const matches = publicPaths().map(({ path: searchString, prefix }): CfnWebACL.StatementProperty => ({
    byteMatchStatement: {
      fieldToMatch: { uriPath: {} },
      positionalConstraint: prefix ? 'STARTS_WITH' : 'EXACTLY',
      searchString,
      textTransformations: [{ priority: 0, type: 'NONE' }],
    },
  }));
  const [only] = matches;
  const scopeDownStatement = matches.length === 1 && only ? only : { orStatement: { statements: matches } };
  return {
    name: 'public-routes-per-ip',
    priority: 0,
    action: { block: { customResponse: { responseCode: 429 } } },
    statement: { rateBasedStatement: { limit, aggregateKeyType: 'IP', evaluationWindowSec: 300, scopeDownStatement } },
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'public-routes-per-ip', sampledRequestsEnabled: true },
  };
}

export interface ConsoleSiteProps {
  cityId: string;
  /** WAF on the distribution (off by default). */
  waf?: ConsoleWaf;
  /** The console's build (web/dist). When it does not exist only config.json is deployed, and synth warns. */
  distDir: string;
  /** Origins the console fetches from besides its own: the OIDC issuer and its token endpoint. */
  connectSources: readonly string[];
}

export class ConsoleSite extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** `https://<distribution domain>`, no trailing slash. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Only the build lives here (rebuilt from git); kept on stack deletion like the table.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Holds only the public build of the console, read through CloudFront (OAC) only; API requests are logged by the HTTP API stage.',
    });

    const origin = S3BucketOrigin.withOriginAccessControl(this.bucket);
    const spaRewrite = new CloudFrontFunction(this, 'SpaRewrite', {
      comment: 'Console routes (no file extension) answer index.html',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(spaRewriteCode),
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Proposal console (${props.cityId})`,
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        responseHeadersPolicy: this.headers('PageHeaders', consoleCsp(props.connectSources), consoleCacheControl.pages),
        functionAssociations: [{ function: spaRewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        '/assets/*': {
          origin,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          cachePolicy: CachePolicy.CACHING_OPTIMIZED,
          compress: true,
          responseHeadersPolicy: this.headers('AssetHeaders', consoleCsp(props.connectSources), consoleCacheControl.assets),
        },
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}`;
    this.acknowledgeDistributionFindings();
    if (props.waf)
      this.distribution.attachWebAclId('webAclArn' in props.waf ? props.waf.webAclArn : this.webAcl(props.cityId, props.waf.rateLimit));

    if (existsSync(props.distDir)) {
      // prune: files of an older build go; config.json (the other deployment's) is neither uploaded nor deleted here.
      const files = new BucketDeployment(this, 'DeployFiles', {
        sources: [Source.asset(props.distDir)],
        destinationBucket: this.bucket,
        exclude: ['config.json'],
        prune: true,
      });
      this.acknowledgeDeploymentFindings(files);
    } else {
      Annotations.of(this).addWarningV2(
        'proposals:console-not-built',
        `${props.distDir} does not exist: this synth deploys the console's config.json but not its files (files already in the bucket stay). Run \`npm run build:web\` before \`cdk deploy\`.`,
      );
    }
    new CfnOutput(this, 'Url', { value: this.url, description: '工作台 (web console) URL' }).overrideLogicalId('ConsoleUrl');
  }

  /** A CloudFront web ACL with the public paths' rate rule (the stack must be in us-east-1); its ARN. */
  private webAcl(cityId: string, rateLimit: number): string {
    const name = `proposals-${cityId}-console`;
    const acl = new CfnWebACL(this, 'WebAcl', {
      name,
      scope: 'CLOUDFRONT',
      description: `Rate limit per client on the public routes of ${cityId}`,
      defaultAction: { allow: {} },
      rules: [publicRateRule(rateLimit)],
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
    });
    return acl.attrArn;
  }

  /** Sends `/v1/*` to the HTTP API: same origin for the console, so no CORS. */
  addApi(api: IHttpApi): void {
    const stack = Stack.of(this);
    this.distribution.addBehavior(
      '/v1/*',
      new HttpOrigin(`${api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, { protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY }),
      {
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        // The API's own CSP (if it sends one) wins over this one.
        responseHeadersPolicy: this.headers('ApiHeaders', apiCsp, undefined, false),
      },
    );
  }

  /** Writes `/config.json` at deploy (tokens such as the client id are resolved by the deployment). */
  writeConfig(config: ConsoleConfigJson): void {
    const deployment = new BucketDeployment(this, 'DeployConfig', {
      sources: [Source.jsonData('config.json', config)],
      destinationBucket: this.bucket,
      prune: false,
    });
    this.acknowledgeDeploymentFindings(deployment);
  }

  /** Security headers for every answer, and Cache-Control for the bucket's. */
  private headers(id: string, csp: string, cacheControl?: string, overrideCsp = true): ResponseHeadersPolicy {
    return new ResponseHeadersPolicy(this, id, {
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: overrideCsp },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      },
      ...(cacheControl
        ? { customHeadersBehavior: { customHeaders: [{ header: 'Cache-Control', value: cacheControl, override: true }] } }
        : {}),
    });
  }

  /**
   * The deployment's function (aws-cdk-lib's, one per stack) copies from the CDK assets bucket into
   * this bucket with the grants aws-cdk-lib gives it: wildcards limited to those two buckets.
   */
  private acknowledgeDeploymentFindings(deployment: BucketDeployment): void {
    const stack = Stack.of(this);
    const bucketId = stack.getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    // The partition is a literal where the region is known (@aws-cdk/core:enablePartitionLiterals).
    const partition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
    const assets = `arn:${partition}:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-${stack.account}-${stack.region}/*`;
    const reason =
      "aws-cdk-lib's BucketDeployment: reads the console's build from the CDK assets bucket and writes it to the console bucket, nothing else.";
    const findings = [
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((a) => `AwsSolutions-IAM5[Action::${a}]`),
      `AwsSolutions-IAM5[Resource::${assets}]`,
      `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
    ];
    for (const id of findings) Validations.of(deployment.handlerRole).acknowledge({ id, reason });
  }

  private acknowledgeDistributionFindings(): void {
    const findings = {
      'AwsSolutions-CFR1': 'Who may use the console is decided by sign-in, not by country.',
      'AwsSolutions-CFR2':
        'A few dozen signed-in users; the API behind it is throttled per stage and per public route. -c wafRateLimit or -c consoleWebAcl attaches WAF (docs/operations.md).',
      'AwsSolutions-CFR3': 'The API requests are logged by the HTTP API stage (6 months); the console files hold no data.',
      'AwsSolutions-CFR4':
        'Served on the default *.cloudfront.net certificate, whose security policy CloudFront fixes at TLSv1; a custom domain with its certificate lifts it to TLSv1.2_2021 (docs/operations.md).',
    };
    for (const [id, reason] of Object.entries(findings)) Validations.of(this.distribution).acknowledge({ id, reason });
  }
}
