/**
 * Secrets for tests: a fake `SecretReader` (the port) that only stores versions, and a stand-in of
 * Secrets Manager's GetSecretValue over HTTP (AWS JSON 1.1) for the real adapter and the bundles. The
 * stand-in checks each request's SigV4 signature with its own few lines of the algorithm (not the
 * SDK's signer), so a request it accepts is one AWS would.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SecretReader, SecretStage, SecretVersion } from '#adapters/secrets.ts';

export interface StoredVersion extends SecretVersion {
  stages: SecretStage[];
}

/** Versions by secret id, as Secrets Manager keeps them; `put` moves the labels as PutSecretValue does. */
export class FakeSecrets implements SecretReader {
  readonly reads: { secretId: string; stage: SecretStage }[] = [];
  failing = false;

  constructor(readonly versions: Record<string, StoredVersion[]> = {}) {}

  put(secretId: string, value: string, createdAt: Date): void {
    const versions = (this.versions[secretId] ??= []);
    for (const v of versions) v.stages = v.stages.includes('AWSCURRENT') ? ['AWSPREVIOUS'] : [];
    versions.push({ value, createdAt, stages: ['AWSCURRENT'] });
  }

  async read(secretId: string, stage: SecretStage): Promise<SecretVersion | undefined> {
    this.reads.push({ secretId, stage });
    if (this.failing) throw new Error('Secrets Manager is not answering');
    const v = this.versions[secretId]?.find((x) => x.stages.includes(stage));
    return v && { value: v.value, createdAt: v.createdAt };
  }
}

export interface AwsKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SecretsManagerStandIn {
  endpoint: string;
  /** Each request: the secret and stage asked for, and whether its signature held. */
  requests: { secretId: string; stage: string; signed: boolean }[];
  close(): Promise<void>;
}

const sha256hex = (s: string) => createHash('sha256').update(s).digest('hex');
const hmac = (key: string | Buffer, s: string) => createHmac('sha256', key).update(s).digest();

/** Whether the request carries a valid SigV4 signature of these keys, for Secrets Manager in `region`. */
function signatureHolds(req: IncomingMessage, body: string, keys: AwsKeys, region: string): boolean {
  const auth =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(
      String(req.headers.authorization ?? ''),
    );
  if (!auth) return false;
  const [, keyId, date = '', scopeRegion, service, signedHeaders = '', signature] = auth;
  if (keyId !== keys.accessKeyId || scopeRegion !== region || service !== 'secretsmanager') return false;
  const names = signedHeaders.split(';');
  if (!['host', 'x-amz-date', 'x-amz-target'].every((h) => names.includes(h))) return false;
  if (keys.sessionToken && (req.headers['x-amz-security-token'] !== keys.sessionToken || !names.includes('x-amz-security-token')))
    return false;
  const canonicalHeaders = names
    .map(
      (h) =>
        `${h}:${String(req.headers[h] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  const canonicalRequest = [req.method, req.url, '', canonicalHeaders, signedHeaders, sha256hex(body)].join('\n');
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const scope = `${date}/${region}/secretsmanager/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${keys.secretAccessKey}`, date), region), 'secretsmanager'), 'aws4_request');
  return amzDate.startsWith(date) && hmac(signingKey, stringToSign).toString('hex') === signature;
}

/** Serves GetSecretValue for `versions` to requests signed with `keys`. */
export async function startSecretsManagerStandIn(opts: {
  versions: Record<string, StoredVersion[]>;
  keys: AwsKeys;
  region: string;
}): Promise<SecretsManagerStandIn> {
  const requests: SecretsManagerStandIn['requests'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const answer = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(json));
      };
      let asked: { SecretId?: unknown; VersionStage?: unknown } = {};
      try {
        asked = JSON.parse(body) as typeof asked;
      } catch {
        return answer(400, { __type: 'SerializationException', message: 'not JSON' });
      }
      const [secretId, stage] = [String(asked.SecretId), String(asked.VersionStage)];
      const signed = signatureHolds(req, body, opts.keys, opts.region);
      requests.push({ secretId, stage, signed });
      if (!signed)
        return answer(403, { __type: 'InvalidSignatureException', message: 'The request signature we calculated does not match' });
      if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue' || req.headers['content-type'] !== 'application/x-amz-json-1.1')
        return answer(400, { __type: 'UnknownOperationException' });
      const v = opts.versions[secretId]?.find((x) => x.stages.includes(stage as SecretStage));
      if (!v)
        return answer(400, {
          __type: 'ResourceNotFoundException',
          Message: `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
        });
      return answer(200, {
        ARN: secretId,
        Name: secretId,
        SecretString: v.value,
        CreatedDate: v.createdAt.getTime() / 1000,
        VersionId: sha256hex(v.value).slice(0, 32),
        VersionStages: v.stages,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
