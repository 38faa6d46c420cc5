/**
 * Who may call the API. Where Cognito user pools are offered: the city's user pool (no self
 * sign-up; the office creates accounts), one group per API role, its hosted sign-in pages, and two
 * app clients whose ids are the JWT authorizer's audience: one for tools (SRP) and the console's
 * (authorization code + PKCE through the hosted pages). In AWS China regions (no Cognito user
 * pools) the authorizer trusts an external OIDC issuer: the city config's `auth.jwtIssuer` /
 * `auth.jwtAudience` (or, for a one-off, `-c jwtIssuer=<url> -c jwtAudience=<client id>`).
 * Claims the api reads (API.md): the role is the user's group (`cognito:groups`), `custom:unit` the
 * unit id (role unit), `custom:memberId` the member id (role member), `custom:leader` a leader's
 * name as the city config has it (role leader: the key proposals it leads, the units it is in charge of).
 */
import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  ClientAttributes,
  Mfa,
  OAuthScope,
  StringAttribute,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { consoleRedirectPath, type ConsoleConfigJson } from './console.ts';

/** API roles (API.md) and what each group is for. */
export const roleGroups = {
  office: '政府办公室 (supervising office)',
  leader: '分管领导 (leader in charge); set custom:leader to the name in email.leaders',
  unit: '承办单位 (handling unit); set custom:unit (and custom:unitHead=true for its head, who signs off replies)',
  member: '政协委员 (committee member); set custom:memberId',
  committee: '政协提案委员会 (proposal committee)',
} as const;

/** Cognito user pools are not offered in the AWS China regions. */
export function cognitoAvailable(region: string): boolean {
  return !region.startsWith('cn-');
}

/** Issuer used when none is given for a China region: no token validates, every protected route answers 401. */
export const unconfiguredIssuer = 'https://issuer.invalid';

/** Scopes the console asks for (docs/console.md). */
export const consoleScopes = ['openid', 'email', 'profile'] as const;

/**
 * The city's own OIDC issuer where Cognito is not offered (a cn-* stack): the city config's
 * `auth.jwtIssuer` / `auth.jwtAudience`, else `-c jwtIssuer=… -c jwtAudience=…`, else a warning and
 * an issuer no token comes from.
 */
export function externalIssuer(scope: Construct, auth?: { jwtIssuer: string; jwtAudience: string }): { issuer: string; audience: string } {
  const context = (key: string): string | undefined => {
    const v: unknown = scope.node.tryGetContext(key);
    return typeof v === 'string' && v ? v : undefined;
  };
  const issuer = auth?.jwtIssuer ?? context('jwtIssuer');
  const audience = auth?.jwtAudience ?? context('jwtAudience');
  if (!issuer || !audience) {
    Annotations.of(scope).addWarningV2(
      'proposals:no-jwt-issuer',
      'No Cognito in this region and no auth.jwtIssuer / auth.jwtAudience in the city config: the API rejects every token (docs/operations.md, China regions).',
    );
  }
  return { issuer: issuer ?? unconfiguredIssuer, audience: audience ?? 'unconfigured' };
}

/** Who issues the tokens: the city's user pool, or an external OIDC issuer and the audience its tokens carry. */
export type Issuer = { users: CognitoUsers } | { issuer: string; audience: string };

/** Origins the console fetches from to sign in (its CSP's connect-src): the issuer, and Cognito's hosted domain (token endpoint). */
export function signInOrigins(who: Issuer): string[] {
  if ('users' in who) return [`https://cognito-idp.${Stack.of(who.users).region}.amazonaws.com`, who.users.domain.baseUrl()];
  return [new URL(who.issuer).origin];
}

/**
 * The API's JWT authorizer and the console's OIDC settings (config.json `auth`) for a console at
 * `consoleUrl` (none: a stack without the console). With Cognito this adds the console's app
 * client, an audience of the authorizer beside the tools' client. An external issuer's client is
 * registered there (its id is the audience), and its sign-out URL is in its discovery document
 * (end_session_endpoint), so config.json names none.
 */
export function signIn(who: Issuer, consoleUrl?: string): { authorizer: IHttpRouteAuthorizer; auth: ConsoleConfigJson['auth'] } {
  const common = { mode: 'oidc', scope: consoleScopes.join(' '), redirectPath: consoleRedirectPath } as const;
  if (!('users' in who)) {
    return {
      authorizer: new HttpJwtAuthorizer('Jwt', who.issuer, { jwtAudience: [who.audience] }),
      auth: { ...common, authority: who.issuer, clientId: who.audience },
    };
  }
  const { users } = who;
  const client = consoleUrl ? users.addConsoleClient(consoleUrl, consoleRedirectPath) : undefined;
  const clientId = client?.userPoolClientId ?? 'none';
  return {
    authorizer: new HttpUserPoolAuthorizer('Cognito', users.userPool, {
      userPoolClients: client ? [users.client, client] : [users.client],
    }),
    // Cognito's sign-out is not OIDC's end_session: it ends the hosted session and returns to the console.
    auth: {
      ...common,
      authority: users.issuer,
      clientId,
      logoutUrl: `${users.domain.baseUrl()}/logout?client_id=${clientId}&logout_uri=${consoleUrl ?? ''}/`,
    },
  };
}

export class CognitoUsers extends Construct {
  readonly userPool: UserPool;
  /** For tools and scripts (SRP sign-in); its id is the output UserPoolClientId. */
  readonly client: UserPoolClient;
  /** The hosted sign-in pages (托管登录页) the console sends people to. */
  readonly domain: UserPoolDomain;
  /** The OIDC issuer of the pool's tokens: https://cognito-idp.<region>.amazonaws.com/<pool id>. */
  readonly issuer: string;

  constructor(scope: Construct, id: string, props: { cityId: string }) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Pool', {
      userPoolName: `proposals-${props.cityId}`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      customAttributes: {
        unit: new StringAttribute({ mutable: true }),
        memberId: new StringAttribute({ mutable: true }),
        leader: new StringAttribute({ mutable: true }),
        // "true" for a unit's head, who signs off its replies (签发); the 签发人's name is the standard `name`.
        unitHead: new StringAttribute({ mutable: true }),
      },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const id of ['AwsSolutions-COG3', 'AwsSolutions-COG8']) {
      Validations.of(this.userPool).acknowledge({
        id,
        reason:
          'Threat protection needs the Cognito Plus plan (billed per user); accounts are created by the office only, with MFA and a strong password policy.',
      });
    }
    for (const [group, description] of Object.entries(roleGroups)) {
      new CfnUserPoolGroup(this, `Group-${group}`, { userPoolId: this.userPool.userPoolId, groupName: group, description });
    }
    this.client = this.userPool.addClient('WebClient', {
      authFlows: { userSrp: true },
      // SRP only: the hosted pages (the domain below) serve the console's client alone.
      disableOAuth: true,
      generateSecret: false,
      // Users may not change custom:unit / custom:memberId / custom:leader / custom:unitHead themselves (the office sets them).
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
    // Globally unique per region: the city id and the account (at most 10 + 40 + 1 + 12 = 63 characters).
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: `proposals-${props.cityId}-${Stack.of(this).account}` },
    });
    this.issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
    // Stable output names (docs/operations.md), not prefixed with the construct path.
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId }).overrideLogicalId('UserPoolId');
    new CfnOutput(this, 'UserPoolClientId', { value: this.client.userPoolClientId }).overrideLogicalId('UserPoolClientId');
  }

  /**
   * The console's app client: public (no secret; PKCE is the console's, oidc-client-ts), the
   * authorization code grant only, back to `<console>/auth/callback`, signed out to `<console>/`.
   */
  addConsoleClient(consoleUrl: string, redirectPath: string): UserPoolClient {
    return this.userPool.addClient('ConsoleClient', {
      generateSecret: false,
      authFlows: { userSrp: false }, // no direct sign-in API calls: the hosted pages only (plus refresh)
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${consoleUrl}${redirectPath}`],
        logoutUrls: [`${consoleUrl}/`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      // A working day; the console keeps tokens in sessionStorage only.
      refreshTokenValidity: Duration.hours(12),
    });
  }
}
