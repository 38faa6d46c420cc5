/**
 * How every function is bundled (ESM, minified, the AWS SDK inside), in one place: the CDK construct
 * (infra/constructs/proposal-function.ts, through the command line below), the bundle tests and the
 * cold-start bench all build with bundleFunction, so what is measured and tested is what is deployed.
 * Command line: `node --import tsx infra/bundle.ts <entry> <outdir>` writes <outdir>/index.mjs and its map.
 */
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import type { FunctionDecl } from '#shared/wiring.ts';

/** The repository root (entries in the wiring are relative to it). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The SDK clients' generated schemas write trait keys as computed keys (`{ [_h]: ["POST", …] }`, with
 * `const _h = "http";` above), which esbuild must keep as possible side effects: every operation's
 * schema stayed in the bundle (SESv2's alone 47 KB). Inlining the file's own string constants lets
 * them be tree-shaken; nothing else changes. Upstream: aws/aws-sdk-js-v3#7607, smithy-lang/smithy-typescript#1889.
 */
export function inlineSchemaKeys(source: string): string {
  const strings = new Map<string, string>();
  for (const [, name, value] of source.matchAll(/^const (_[A-Za-z0-9]+) = ("[^"\\]*");$/gm)) {
    // A literal "__proto__" key would set the prototype where the computed key defines a property.
    if (name && value && value !== '"__proto__"') strings.set(name, value);
  }
  // Only object keys (after `{`, `,` or a space), never a member access in `a ? b[_x]: c`.
  return source.replace(/(?<=[{,\s])\[(_[A-Za-z0-9]+)\]:/g, (key, name: string) => (strings.has(name) ? `${strings.get(name)}:` : key));
}

const inlineSchemaKeysPlugin: Plugin = {
  name: 'inline-sdk-schema-keys',
  setup(b) {
    b.onLoad({ filter: /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/ }, async (args) => ({
      contents: inlineSchemaKeys(await readFile(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};

/**
 * SDK files (under @smithy/core/dist-es/submodules/) that no function can use in Lambda, each
 * replaced by a stand-in of ours (infra/sdk-stand-ins/, reached only from here) that fails loudly,
 * naming why, should it ever be reached:
 * - the pure-JS SHA-256: Sha256Node's fallback when node:crypto has no sha256 (Lambda's always has);
 * - the shared config files and the instance metadata region: Lambda has neither (its settings are
 *   the environment, like its credentials above).
 */
const sdkStandIns: Record<string, string> = {
  'checksum/sha256/Sha256Js': 'infra/sdk-stand-ins/no-sha256-js.ts',
  'config/shared-ini-file-loader/loadSharedConfigFiles': 'infra/sdk-stand-ins/env-only-config.ts',
  'config/config-resolver/regionConfig/getInstanceMetadataRegion': 'infra/sdk-stand-ins/env-only-config.ts',
};

/**
 * Puts the stand-ins in (relative imports inside @smithy/core resolved to one of those files), the
 * event-stream codec out (loaded by `await import()`, so esbuild bundles it; DynamoDB, SQS and SESv2
 * have no event-stream operation), and trims each client's package.json to the name and version
 * (the version is the only field read, for the user agent).
 */
const sdkDeadWeightPlugin: Plugin = {
  name: 'sdk-dead-weight',
  setup(b) {
    const names = Object.keys(sdkStandIns).map((f) => path.basename(f));
    b.onResolve({ filter: new RegExp(`^\\.\\.?/.*\\b(${names.join('|')})$`) }, (args) => {
      const target = path.resolve(args.resolveDir, args.path).split(path.sep).join('/');
      const key = Object.keys(sdkStandIns).find((f) => target.endsWith(`/@smithy/core/dist-es/submodules/${f}`));
      return key ? { path: path.join(projectRoot, sdkStandIns[key]!) } : undefined;
    });
    b.onResolve({ filter: /^@smithy\/core\/event-streams$/ }, () => ({
      path: path.join(projectRoot, 'infra/sdk-stand-ins/no-event-streams.ts'),
    }));
    b.onLoad({ filter: /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]package\.json$/ }, async (args) => {
      const { name, version } = JSON.parse(await readFile(args.path, 'utf8')) as { name: string; version: string };
      return { contents: JSON.stringify({ name, version }), loader: 'json' };
    });
  },
};

/** esbuild's ESM output has no `require`; some CommonJS dependencies still call it. */
const esmRequireBanner = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

/** Nothing is external: the AWS SDK is bundled, so the versions pinned in package-lock.json run in Lambda, not the runtime's. */
const lambdaBundle: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  mainFields: ['module', 'main'],
  banner: { js: esmRequireBanner },
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  // Lambda's credentials are in environment variables: the SDK's default chain is replaced by that one link.
  // The DynamoDB client's endpoint cache (endpoint discovery, off unless asked) gets a Map-based LRU.
  alias: {
    '@aws-sdk/credential-provider-node': path.join(projectRoot, 'infra/sdk-stand-ins/lambda-credentials.ts'),
    'mnemonist/lru-cache': path.join(projectRoot, 'infra/sdk-stand-ins/lru-cache.ts'),
  },
  plugins: [inlineSchemaKeysPlugin, sdkDeadWeightPlugin],
  absWorkingDir: projectRoot,
  logLevel: 'warning',
};

/** The files a function reads at run time (its `files` in the wiring): name beside index.mjs -> source path. */
/**
 * The output's charset (a performance mechanism, docs/performance.md "Bundle charset"). esbuild's
 * default, ASCII (Chinese text as \uXXXX escapes), lets V8 hold the source as a one-byte string: the
 * reactor, the mailer and the sweep import 2–4% fewer instructions so. The api and the reports, whose
 * Chinese pages and messages are dense, are written in UTF-8: 7–11 KB smaller and as fast or faster.
 */
const utf8Entries = new Set(['functions/api/handler.ts', 'functions/reports/handler.ts']);

export const charsetOf = (entry: string | { contents: string }): 'utf8' | 'ascii' =>
  typeof entry === 'string' && utf8Entries.has(entry) ? 'utf8' : 'ascii';

export function besideBundle(decl: Pick<FunctionDecl, 'files'>): Record<string, string> {
  return Object.fromEntries((decl.files ?? []).map((f) => [path.basename(f), path.join(projectRoot, f)]));
}

/**
 * Bundles an entry (a file relative to the project root, or `{ contents }` as if it were one) into
 * outdir/index.mjs and index.mjs.map; `overrides` are for tests and the bench only.
 */
export async function bundleFunction(
  entry: string | { contents: string },
  outdir: string,
  overrides: Omit<BuildOptions, 'outfile' | 'write' | 'metafile'> = {},
): Promise<Metafile> {
  const result = await build({
    ...lambdaBundle,
    charset: charsetOf(entry),
    ...(typeof entry === 'string'
      ? { entryPoints: [entry] }
      : { stdin: { contents: entry.contents, resolveDir: projectRoot, loader: 'ts' } }),
    ...overrides,
    // Built as if at the project root, so the source map's paths (and so the asset hash) do not depend on outdir.
    outfile: path.join(projectRoot, 'index.mjs'),
    write: false,
    metafile: true,
  });
  await mkdir(outdir, { recursive: true });
  for (const file of result.outputFiles) await writeFile(path.join(outdir, path.basename(file.path)), file.contents);
  return result.metafile;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [entry, outdir] = process.argv.slice(2);
  if (!entry || !outdir) throw new Error('usage: node --import tsx infra/bundle.ts <entry> <outdir>');
  await bundleFunction(entry, outdir);
}
