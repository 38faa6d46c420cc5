/**
 * ProposalFunction: one Lambda of the wiring with every default in one place (runtime, architecture,
 * ESM bundle, log group and retention, its own role, the city config copied into the bundle).
 * Memory, timeout and entry come from infra/wiring.ts; nothing here restates them.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionDecl } from '#infra/wiring.ts';

/** The repository root (entries in the wiring are relative to it). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the city config lands inside the bundle, and so inside the Lambda (/var/task). */
export const bundledCityConfigPath = '/var/task/city.json';

export const functionLogRetention = RetentionDays.SIX_MONTHS;

/** esbuild's ESM output has no `require`; some CommonJS dependencies still call it. */
const esmRequireBanner = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

/**
 * How every function is bundled (ESM, minified, the AWS SDK inside), in esbuild's terms: the
 * construct below passes these to NodejsFunction, and the cold-start bench and the bundle tests
 * build with them, so what is measured and tested is what is deployed.
 */
export const lambdaBundle = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  mainFields: ['module', 'main'],
  banner: { js: esmRequireBanner },
  minify: true,
  // Lambda's credentials are in environment variables: the SDK's default chain is replaced by that one link.
  alias: { '@aws-sdk/credential-provider-node': path.join(projectRoot, 'shared/adapters/lambda-credentials.ts') },
} as const;

export interface ProposalFunctionProps {
  decl: FunctionDecl;
  functionName: string;
  environment: Record<string, string>;
  /** JSON file with the validated city config; copied into the bundle as city.json. */
  cityConfigJsonFile: string;
}

export class ProposalFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ProposalFunctionProps) {
    super(scope, id);
    const { decl, cityConfigJsonFile } = props;
    this.logGroup = new LogGroup(this, 'Logs', { retention: functionLogRetention, removalPolicy: RemovalPolicy.RETAIN });
    // Own role instead of the AWS managed AWSLambdaBasicExecutionRole: logs go to this log group only.
    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Fn', {
      functionName: props.functionName,
      entry: path.join(projectRoot, decl.entry),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: decl.memoryMb,
      timeout: Duration.seconds(decl.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      bundling: {
        format: OutputFormat.ESM,
        target: lambdaBundle.target,
        mainFields: [...lambdaBundle.mainFields],
        banner: lambdaBundle.banner.js,
        minify: lambdaBundle.minify,
        esbuildArgs: Object.fromEntries(Object.entries(lambdaBundle.alias).map(([from, to]) => [`--alias:${from}`, to])),
        sourceMap: true,
        sourcesContent: false,
        // Bundle the AWS SDK: the versions pinned in package-lock.json run in Lambda, not the runtime's.
        bundleAwsSDK: true,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir: string, outputDir: string) => [`cp "${cityConfigJsonFile}" "${outputDir}/city.json"`],
        },
      },
    });
  }
}
