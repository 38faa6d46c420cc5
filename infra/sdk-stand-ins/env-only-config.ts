/**
 * Stands in, inside the Lambda bundles (infra/bundle.ts), for the two places where the SDK looks for
 * its settings outside the environment: the shared config files (~/.aws/config and credentials, with
 * their INI parser) and the EC2 instance metadata service (a region when AWS_REGION is unset). In
 * Lambda neither exists: the function's settings are its environment variables, as its credentials
 * are (lambda-credentials.ts). The SDK then sees what it would see there: no files, no IMDS. A bundle
 * run where someone points the SDK at a config file fails, naming the variable, instead of quietly
 * ignoring it. Code run from source (the local runtime, tests, scripts) keeps the SDK's own.
 */
export const CONFIG_PREFIX_SEPARATOR = '.';

type ParsedIni = Record<string, Record<string, string | undefined> | undefined>;

export async function loadSharedConfigFiles(): Promise<{ configFile: ParsedIni; credentialsFile: ParsedIni }> {
  for (const name of ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE']) {
    if (process.env[name])
      throw new Error(`${name} is set, but a Lambda bundle reads its AWS settings from the environment only (infra/bundle.ts)`);
  }
  return { configFile: {}, credentialsFile: {} };
}

/** As when the instance metadata service does not answer (Lambda has none). */
export async function getInstanceMetadataRegion(): Promise<string | undefined> {
  return undefined;
}
