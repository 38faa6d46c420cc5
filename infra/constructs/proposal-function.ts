/**
 * ProposalFunction: one Lambda of the wiring with every default in one place (runtime, architecture,
 * ESM bundle, log group and retention, its own role, the city config copied into the bundle).
 * Memory, timeout and entry come from shared/wiring.ts; nothing here restates them.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, Duration, RemovalPolicy, type ILocalBundling } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { besideBundle, projectRoot } from '#infra/bundle.ts';
import type { FunctionDecl } from '#shared/wiring.ts';

/** Where the city config lands inside the bundle, and so inside the Lambda (/var/task). */
export const bundledCityConfigPath = '/var/task/city.json';

export const functionLogRetention = RetentionDays.SIX_MONTHS;

/**
 * Bundles with infra/bundle.ts (esbuild with a plugin, which NodejsFunction's esbuild command line
 * cannot take) in a child process, since CDK asks for the asset synchronously; no Docker. Then copies
 * `files` (name beside index.mjs: source path) in. Its fields are part of CDK's asset cache key, so
 * no two functions (or cities) share a bundle.
 */
class LocalBundle implements ILocalBundling {
  constructor(
    readonly entry: string,
    readonly files: Record<string, string>,
  ) {}

  tryBundle(outputDir: string): boolean {
    const script = fileURLToPath(new URL('../bundle.ts', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', 'tsx', script, this.entry, outputDir], {
      cwd: projectRoot,
      stdio: ['ignore', process.stderr, 'inherit'],
    });
    if (r.status !== 0) throw new Error(`bundling ${this.entry} failed (${r.error?.message ?? `exit ${r.status}`})`);
    for (const [name, from] of Object.entries(this.files)) copyFileSync(from, path.join(outputDir, name));
    return true;
  }
}

export interface ProposalFunctionProps {
  decl: FunctionDecl;
  functionName: string;
  environment: Record<string, string>;
  /** JSON file with the validated city config; copied into the bundle as city.json. */
  cityConfigJsonFile: string;
}

export class ProposalFunction extends Construct {
  readonly fn: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ProposalFunctionProps) {
    super(scope, id);
    const { decl, cityConfigJsonFile } = props;
    const files = { 'city.json': cityConfigJsonFile, ...besideBundle(decl) };
    this.logGroup = new LogGroup(this, 'Logs', { retention: functionLogRetention, removalPolicy: RemovalPolicy.RETAIN });
    // Own role instead of the AWS managed AWSLambdaBasicExecutionRole: logs go to this log group only.
    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    this.logGroup.grantWrite(this.role);

    this.fn = new LambdaFunction(this, 'Fn', {
      functionName: props.functionName,
      code: Code.fromAsset(projectRoot, {
        // Hashed from the bundle: unchanged code, the same asset (and no new version deployed).
        assetHashType: AssetHashType.OUTPUT,
        // The image is never pulled: local bundling either succeeds or throws.
        bundling: { image: DockerImage.fromRegistry('local-bundling-only'), local: new LocalBundle(decl.entry, files) },
      }),
      handler: 'index.handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: decl.memoryMb,
      timeout: Duration.seconds(decl.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
    });
  }
}
