/**
 * Stands in for `@aws-sdk/credential-provider-node` inside the Lambda bundles (an esbuild alias set in
 * `lambdaBundle`, infra/bundle.ts). Lambda gives every function its role's
 * credentials in environment variables, which is the first thing the SDK's default chain reads; the
 * rest of that chain (profiles, SSO, web identity, container and instance metadata) can never be
 * reached there and weighs about 100 KB of each bundle. Code run from source (the local runtime,
 * tests, scripts) is not aliased and keeps the whole chain.
 */
export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';
