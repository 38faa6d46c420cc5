/**
 * Who may call the API. Where Cognito user pools are offered: the city's user pool (no self
 * sign-up; the office creates accounts), one group per API role, and the app client whose id is the
 * JWT authorizer's audience. In AWS China regions (no Cognito user pools) the authorizer trusts an
 * external OIDC issuer: the city config's `auth.jwtIssuer` / `auth.jwtAudience` (or, for a one-off,
 * `-c jwtIssuer=<url> -c jwtAudience=<client id>`).
 * Claims the api reads (API.md): the role is the user's group (`cognito:groups`), `custom:unit` the
 * unit id (role unit), `custom:memberId` the member id (role member).
 */
import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { AccountRecovery, CfnUserPoolGroup, ClientAttributes, Mfa, StringAttribute, UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** API roles (API.md) and what each group is for. */
export const roleGroups = {
  office: '政府办公室 (supervising office)',
  leader: '分管领导 (leader in charge)',
  unit: '承办单位 (handling unit); set custom:unit',
  member: '政协委员 (committee member); set custom:memberId',
} as const;

/** Cognito user pools are not offered in the AWS China regions. */
export function cognitoAvailable(region: string): boolean {
  return !region.startsWith('cn-');
}

/** Issuer used when none is given for a China region: no token validates, every protected route answers 401. */
export const unconfiguredIssuer = 'https://issuer.invalid';

export function apiAuthorizer(scope: Construct, cityId: string, auth?: { jwtIssuer: string; jwtAudience: string }): IHttpRouteAuthorizer {
  if (cognitoAvailable(Stack.of(scope).region)) {
    const users = new CognitoUsers(scope, 'Users', { cityId });
    return new HttpUserPoolAuthorizer('Cognito', users.userPool, { userPoolClients: [users.client] });
  }
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
  return new HttpJwtAuthorizer('Jwt', issuer ?? unconfiguredIssuer, { jwtAudience: [audience ?? 'unconfigured'] });
}

export class CognitoUsers extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

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
      customAttributes: { unit: new StringAttribute({ mutable: true }), memberId: new StringAttribute({ mutable: true }) },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const id of ['AwsSolutions-COG3', 'AwsSolutions-COG8']) {
      Validations.of(this.userPool).acknowledge({
        id,
        reason: 'Threat protection needs the Cognito Plus plan (billed per user); accounts are created by the office only, with MFA and a strong password policy.',
      });
    }
    for (const [group, description] of Object.entries(roleGroups)) {
      new CfnUserPoolGroup(this, `Group-${group}`, { userPoolId: this.userPool.userPoolId, groupName: group, description });
    }
    this.client = this.userPool.addClient('WebClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      // Users may not change custom:unit / custom:memberId themselves (the office sets them).
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
    // Stable output names (docs/operations.md), not prefixed with the construct path.
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId }).overrideLogicalId('UserPoolId');
    new CfnOutput(this, 'UserPoolClientId', { value: this.client.userPoolClientId }).overrideLogicalId('UserPoolClientId');
  }
}
