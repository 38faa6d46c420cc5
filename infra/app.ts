/**
 * The CDK app: one stack `Proposals-<id>` per city file in infra/cities/ (or in `-c cityDir=<dir>`),
 * or only the city `-c city=<id>` names. Every config is validated before any stack is built (its
 * file name must be its id): a mistake prints `<file>: <path>: <reason>` lines and exits 1, with no
 * stack trace and no output. The synthesized templates are checked by cdk-nag (AwsSolutions) and by
 * CloudFormation Guard's Control Tower rules (infra/guard.ts); a finding without a written reason stops the synth.
 */
import path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CityConfigError, listCityFiles, loadCityConfigForDeploy } from '#adapters/city-config-loader.ts';
import type { CityConfig } from '#domain/city-config.ts';
import { CityStack } from '#infra/constructs/city-stack.ts';
import { cfnGuard } from '#infra/guard.ts';

function contextString(app: App, key: string): string | undefined {
  const v: unknown = app.node.tryGetContext(key);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The configs to build, and the problems (one line each) that stop the synth. */
function selectCities(dir: string | undefined, city: string | undefined): { configs: CityConfig[]; problems: string[] } {
  const files = listCityFiles(dir);
  const chosen = city ? files.filter((f) => path.basename(f, path.extname(f)) === city) : files;
  if (chosen.length === 0) {
    const known = files.map((f) => path.basename(f, path.extname(f))).join(', ') || '(none)';
    return { configs: [], problems: [city ? `no city file for "${city}" (known: ${known})` : `no city files in ${dir ?? 'infra/cities'}`] };
  }
  const loaded: { file: string; config: CityConfig }[] = [];
  const problems: string[] = [];
  for (const file of chosen) {
    try {
      loaded.push({ file, config: loadCityConfigForDeploy(file) });
    } catch (e) {
      if (!(e instanceof CityConfigError)) throw e;
      problems.push(e.message);
    }
  }
  const seen = new Map<string, string>();
  for (const { file, config } of loaded) {
    const other = seen.get(config.id);
    if (other) problems.push(`${file}: id: "${config.id}" is also the id in ${other}`);
    seen.set(config.id, file);
  }
  const configs = loaded.map((l) => l.config);
  return { configs, problems };
}

const app = new App();
const { configs, problems } = selectCities(contextString(app, 'cityDir'), contextString(app, 'city'));
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
for (const config of configs) {
  new CityStack(app, `Proposals-${config.id}`, {
    config,
    env: { account: config.aws.account, region: config.aws.region },
    description: `Proposal handling (提案办理) for ${config.name}`,
  });
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), cfnGuard());
app.synth();
