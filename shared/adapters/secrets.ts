/**
 * The functions' secrets, kept in Secrets Manager: the feedback keys (the api checks the links, the
 * reactor signs them) and, in a cn-* stack, the SES keys of the other partition (the mailer). The
 * stack puts each secret's ARN, never its value, in the environment of the functions allowed to read
 * it; the Lambda entry reads them at cold start and again every `secretsRefreshMs`
 * (shared/adapters/lambda-entry.ts). The local runtime passes the values in its settings instead.
 *
 * `SecretReader` is the port, `secretsManager` its AWS adapter: GetSecretValue over HTTPS, signed
 * (SigV4) with the signer every SDK client of the bundles already carries. The project has no Secrets
 * Manager SDK client (and the registry serves it at another version than our clients), and one signed
 * POST at cold start needs none.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { feedbackKeys, type FeedbackKeys } from '#app/feedback-token.ts';
import * as z from '#shared/zod.ts';
import type { Credentials } from './aws-state.ts';

/** Staging labels: Secrets Manager moves AWSPREVIOUS to the old version when a new one becomes AWSCURRENT. */
export type SecretStage = 'AWSCURRENT' | 'AWSPREVIOUS';

export interface SecretVersion {
  value: string;
  /** When the version was put (Secrets Manager's CreatedDate). */
  createdAt: Date;
}

export interface SecretReader {
  /** The version that holds `stage`; undefined when no version does (AWSPREVIOUS before any rotation). */
  read(secretId: string, stage: SecretStage): Promise<SecretVersion | undefined>;
}

/** How long a warm function keeps the secrets it read before reading them again. */
export const secretsRefreshMs = 5 * 60_000;

/**
 * How long a new feedback key only verifies before it signs: longer than any warm function keeps an
 * older read (secretsRefreshMs), so that every function knows the key before a link carries it.
 */
export const feedbackKeySettleMs = 3 * secretsRefreshMs;

/** What the stack puts in the SES keys secret until ops replace it (infra/constructs/mail.ts). */
export const sesKeysPlaceholder = 'REPLACE_WITH_ACCESS_KEY_ID';

/**
 * The feedback keys in the secret's versions. A key made current less than feedbackKeySettleMs ago
 * does not sign yet: the previous one goes on signing, and both verify.
 */
export async function readFeedbackKeys(reader: SecretReader, secretId: string, now: Date): Promise<FeedbackKeys> {
  const [current, previous] = await Promise.all([reader.read(secretId, 'AWSCURRENT'), reader.read(secretId, 'AWSPREVIOUS')]);
  if (!current) throw new Error(`the secret ${secretId} has no current version`);
  if (previous && now.getTime() - current.createdAt.getTime() < feedbackKeySettleMs) return feedbackKeys(previous.value, current.value);
  return feedbackKeys(current.value, previous?.value);
}

// Built on first use (z.lazy), like every schema of the functions (docs/performance.md).
const sesKeysSchema = z.lazy(() =>
  z.object({ accessKeyId: z.string().check(z.minLength(1)), secretAccessKey: z.string().check(z.minLength(1)) }),
);

/** The access keys of the other partition's SES-only user: JSON `{ accessKeyId, secretAccessKey }`. */
export async function readSesCredentials(reader: SecretReader, secretId: string): Promise<Credentials> {
  const version = await reader.read(secretId, 'AWSCURRENT');
  if (!version) throw new Error(`the secret ${secretId} has no current version`);
  let raw: unknown;
  try {
    raw = JSON.parse(version.value);
  } catch {
    raw = undefined;
  }
  const keys = sesKeysSchema.safeParse(raw);
  if (!keys.success)
    throw new Error(`the secret ${secretId} is not {"accessKeyId": …, "secretAccessKey": …} (docs/operations.md, China regions)`);
  if (keys.data.accessKeyId === sesKeysPlaceholder)
    throw new Error(
      `the secret ${secretId} still holds the placeholder: put the SES user's keys there (docs/operations.md, China regions)`,
    );
  return keys.data;
}

/** Where a region's Secrets Manager answers (the China regions are under amazonaws.com.cn). */
export function secretsManagerEndpoint(region: string): string {
  return `https://secretsmanager.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

const answerSchema = z.lazy(() => z.object({ SecretString: z.string(), CreatedDate: z.number() }));
const errorSchema = z.lazy(() =>
  z.object({ __type: z.optional(z.string()), message: z.optional(z.string()), Message: z.optional(z.string()) }),
);

/**
 * Secrets Manager's GetSecretValue (AWS JSON 1.1 protocol). Credentials: Lambda's, from the
 * environment, unless given (tests); `endpoint` only for a stand-in (tests).
 */
export function secretsManager(opts: { region: string; endpoint?: string; credentials?: Credentials; timeoutMs?: number }): SecretReader {
  const url = new URL(opts.endpoint ?? secretsManagerEndpoint(opts.region));
  const signer = new SignatureV4({
    service: 'secretsmanager',
    region: opts.region,
    credentials: opts.credentials ?? fromEnv(),
    sha256: Sha256,
  });
  return {
    async read(secretId, stage) {
      const body = JSON.stringify({ SecretId: secretId, VersionStage: stage });
      const signed = await signer.sign({
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: '/',
        query: {},
        headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
        body,
      });
      // fetch sets Host itself (the same url.host the signature covers).
      const { host: _host, ...headers } = signed.headers;
      const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(opts.timeoutMs ?? 5_000) });
      const text = await res.text();
      if (res.ok) {
        const answer = answerSchema.parse(JSON.parse(text));
        return { value: answer.SecretString, createdAt: new Date(answer.CreatedDate * 1000) };
      }
      const error = errorSchema.safeParse(safeJson(text));
      const type = error.success ? (error.data.__type?.split('#').at(-1) ?? '') : '';
      if (type === 'ResourceNotFoundException' && stage !== 'AWSCURRENT') return undefined;
      const message = error.success ? (error.data.message ?? error.data.Message ?? '') : text.slice(0, 200);
      throw new Error(`Secrets Manager GetSecretValue ${secretId} (${stage}) answered ${res.status} ${type}: ${message}`);
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
