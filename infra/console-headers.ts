/**
 * The console's Content-Security-Policy, one definition for the CloudFront distribution
 * (infra/constructs/console.ts) and the local runtime (infra/local/console.ts), so the browser tests
 * run the console under the policy it is deployed with. No inline scripts; Element Plus sets inline
 * styles; the Excel export zips in a worker made from a blob: URL.
 */
export function consoleCsp(connectSources: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${["'self'", ...connectSources].join(' ')}`,
    "worker-src 'self' blob:",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}
