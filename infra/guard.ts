/**
 * AWS CloudFormation Guard at synth: the Control Tower proactive controls bundled with
 * @cdklabs/cdk-validator-cfnguard (its own cfn-guard binary), run as a CDK policy-validation plugin on
 * every synthesized template (infra/app.ts), beside cdk-nag. A finding stops the synth.
 *
 * Every rule left out is listed here with the reason; nothing else is left out. The rules have no
 * per-resource suppression, so an exception holds for the whole template: test/infra/stack.test.ts
 * checks that the templates break each of these rules (an exception no longer needed fails) and
 * no other.
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';

/** Control Tower rule id (the rule file's name, `ct-<service>-pr-<n>`) -> why the stack does not follow it. */
export const guardExceptions: Record<string, string> = {
  'ct-apigateway-pr-5':
    'The routes in wiring.publicRoutes are public by design: the API document, the rating page and the 答复函 link whose signed token the api checks, and the published results (办理结果公开). Every other route has the JWT authorizer.',
  'ct-lambda-pr-2':
    'The permissions are for apigateway.amazonaws.com with a SourceArn of this stack’s HTTP API; the rule accepts only a literal or Ref/GetAtt there, not the Fn::Join CDK writes (a false finding).',
  'ct-cloudwatch-pr-2':
    'Logs hold personal data (names, addresses); they are kept 6 months (functionLogRetention), not a year, to hold them no longer than the work needs.',
  'ct-cloudwatch-pr-3':
    'CloudWatch Logs encrypts every log group at rest with its own keys; a customer-managed KMS key per city adds a key policy and a monthly cost for no reader we need to exclude.',
  'ct-lambda-pr-3':
    'The functions reach only AWS service endpoints (DynamoDB, SQS, SES, Secrets Manager) and no private network: a VPC would add NAT or endpoints per city for nothing to protect.',
  'ct-sqs-pr-1':
    'The queues without a dead-letter queue are themselves dead-letter targets: the notices DLQ, the reactor stream source’s and the bounces function’s on-failure queues.',
  'ct-cloudfront-pr-4':
    'The console has one origin, its bucket (the API under /v1/* is a second origin of another kind); an origin group would need a replica bucket in another region for a static build.',
  'ct-cloudfront-pr-5':
    'The API requests are logged by the HTTP API stage (6 months); the console files hold no data (as cdk-nag AwsSolutions-CFR3).',
  'ct-cloudfront-pr-6':
    'Served on the default *.cloudfront.net certificate; the stack does not configure custom domains yet (docs/operations.md, "TLS").',
  'ct-cloudfront-pr-7':
    'SNI applies to a custom certificate only; the default *.cloudfront.net certificate has none to set (see ct-cloudfront-pr-6).',
  'ct-cloudfront-pr-9':
    'On the default *.cloudfront.net certificate CloudFront fixes the security policy at TLSv1; a custom domain lifts it to TLSv1.2_2021 (as cdk-nag AwsSolutions-CFR4).',
  'ct-s3-pr-2':
    'The bucket holds only the public build of the console, read through CloudFront (OAC) only; API requests are logged by the HTTP API stage (as cdk-nag AwsSolutions-S1).',
  'ct-s3-pr-4': 'Nothing reacts to the console’s files: they change only on deploy.',
  'ct-s3-pr-6': 'Each deploy replaces the whole build and removes older files: there is nothing to expire.',
  'ct-s3-pr-9': 'The build is rebuilt from git on every deploy and removes older files; Object Lock would stop that.',
  'ct-s3-pr-10': 'A public build (the same files CloudFront serves anyone); encrypted at rest with S3-managed keys.',
  'ct-s3-pr-11': 'The build is rebuilt from git (any version of it can be deployed again); versions would only keep old files.',
};

/** The validator for infra/app.ts (and the tests): all Control Tower rules but the exceptions above. */
export function cfnGuard(): CfnGuardValidator {
  // The report of several city stacks outgrows Node's 1 MB default buffer.
  return new CfnGuardValidator({ disabledRules: Object.keys(guardExceptions), maxBuffer: 64 * 1024 * 1024 });
}
