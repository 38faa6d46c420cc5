/**
 * The HTTP API of one city: `ANY /v1/{proxy+}` behind a JWT authorizer, the wiring's publicRoutes
 * without it, the routes another function serves (the reports) behind the authorizer too, and a
 * throttled default stage with JSON access logs. Each public route has a throttle of its own, far
 * below the stage's: anonymous traffic on it is answered 429 there, not on the signed-in routes.
 * (WAF cannot be attached to an HTTP API; a per-client rate rule goes on the console's CloudFront
 * distribution, infra/constructs/console.ts.)
 */
import { CfnOutput, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CfnStage,
  HttpApi,
  HttpMethod,
  HttpStage,
  type HttpRoute,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { publicRoutes } from '#shared/wiring.ts';

/** Requests per second (steady) and burst for the whole stage: far above what one city sends. */
export const apiThrottle = { rateLimit: 50, burstLimit: 100 } as const;

/**
 * Each public route's own throttle (wiring.publicRoutes: the feedback page and form, the API
 * document, the public replies and letters): a city's proposers rate a few hundred replies a year,
 * so this is ample, and all public routes together stay under half of the stage's (a test checks).
 */
export const publicRouteThrottle = { rateLimit: 3, burstLimit: 6 } as const;

/** Access log line (JSON): HTTP API context variables, no request bodies or tokens. */
const accessLogFields = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  time: '$context.requestTime',
  route: '$context.routeKey',
  status: '$context.status',
  latencyMs: '$context.responseLatency',
  sub: '$context.authorizer.claims.sub',
  authorizerError: '$context.authorizer.error',
  integrationError: '$context.integrationErrorMessage',
};

function isHttpMethod(name: string): name is keyof typeof HttpMethod {
  return Object.hasOwn(HttpMethod, name);
}

export interface ProposalApiProps {
  apiName: string;
  handler: IFunction;
  /** Routes ("GET /v1/reports/annual") that another function serves, behind the same authorizer unless public (wiring.publicRoutes). */
  routes?: readonly { route: string; handler: IFunction }[];
  /** JWT authorizer: the city's Cognito user pool, or an external OIDC issuer where Cognito is not offered. */
  authorizer: IHttpRouteAuthorizer;
}

export class ProposalApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: ProposalApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Http', { apiName: props.apiName, createDefaultStage: false });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.SIX_MONTHS, removalPolicy: RemovalPolicy.RETAIN });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: apiThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
      },
    });

    const integration = new HttpLambdaIntegration('Api', props.handler);
    this.api.addRoutes({ path: '/v1/{proxy+}', methods: [HttpMethod.ANY], integration, authorizer: props.authorizer });
    const integrations = new Map<string, HttpLambdaIntegration>();
    const integrationOf = (route: string, handler: IFunction) => {
      let i = integrations.get(route);
      if (!i) integrations.set(route, (i = new HttpLambdaIntegration(`Route${route.replace(/[^A-Za-z0-9]/g, '')}`, handler)));
      return i;
    };
    const isPublic = (route: string) => (publicRoutes as readonly string[]).includes(route);
    for (const { route, handler } of props.routes ?? []) {
      if (isPublic(route)) continue; // below, without the authorizer
      const [method, path] = route.split(' ');
      if (!method || !path || !isHttpMethod(method)) throw new Error(`wiring: bad http route "${route}"`);
      this.api.addRoutes({
        path,
        methods: [HttpMethod[method]],
        integration: integrationOf(route, handler),
        authorizer: props.authorizer,
      });
    }
    const publicHttpRoutes: HttpRoute[] = [];
    for (const route of publicRoutes) {
      const [method, path] = route.split(' ');
      if (!method || !path || !isHttpMethod(method)) throw new Error(`wiring.publicRoutes: bad route "${route}"`);
      const servedBy = props.routes?.find((r) => r.route === route)?.handler;
      const routes = this.api.addRoutes({
        path,
        methods: [HttpMethod[method]],
        integration: servedBy ? integrationOf(route, servedBy) : integration,
      });
      publicHttpRoutes.push(...routes);
      for (const r of routes) {
        Validations.of(r).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route} is public by design (wiring.publicRoutes): the OpenAPI document, the published results, or a link whose signed token the api checks.`,
        });
      }
    }
    // The stage names the routes it throttles: API Gateway refuses settings for a route not yet created.
    // RouteSettings is untyped JSON in CloudFormation's schema, so CDK writes it as given (its keys in CloudFormation's case).
    const stage = this.stage.node.defaultChild;
    if (!(stage instanceof CfnStage)) throw new Error('the HTTP stage has no CloudFormation resource');
    stage.routeSettings = Object.fromEntries(
      publicRoutes.map((route) => [
        route,
        { ThrottlingRateLimit: publicRouteThrottle.rateLimit, ThrottlingBurstLimit: publicRouteThrottle.burstLimit },
      ]),
    );
    for (const r of publicHttpRoutes) this.stage.node.addDependency(r);
    new CfnOutput(this, 'Url', { value: this.api.apiEndpoint, description: 'HTTP API base URL' }).overrideLogicalId('ApiUrl'); // the name docs/operations.md gives
  }
}
