/**
 * The city's users: a Cognito user pool (no self sign-up; the office creates accounts), one group
 * per API role, and the app client whose id is the JWT authorizer's audience.
 * Claims the api reads (API.md): the role is the user's group (`cognito:groups`), `custom:unit` the
 * unit id (role unit), `custom:memberId` the member id (role member).
 */
import { CfnOutput, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccountRecovery, CfnUserPoolGroup, Mfa, StringAttribute, UserPool, type UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** API roles (API.md) and what each group is for. */
export const roleGroups = {
  office: '政府办公室 (supervising office)',
  leader: '分管领导 (leader in charge)',
  unit: '承办单位 (handling unit); set custom:unit',
  member: '政协委员 (committee member); set custom:memberId',
} as const;

export class Users extends Construct {
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
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG3',
      reason: 'Threat protection needs the Cognito Plus plan (billed per user); accounts are created by the office only, with MFA and a strong password policy.',
    });
    for (const [group, description] of Object.entries(roleGroups)) {
      new CfnUserPoolGroup(this, `Group-${group}`, { userPoolId: this.userPool.userPoolId, groupName: group, description });
    }
    this.client = this.userPool.addClient('WebClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.client.userPoolClientId });
  }
}
