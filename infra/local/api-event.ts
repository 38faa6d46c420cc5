/** Builds the API Gateway HTTP API (payload format 2.0) event for a request, as API Gateway shapes it. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { Claims } from './jwt.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function bodyOf(raw: Buffer): { body?: string; isBase64Encoded: boolean } {
  if (raw.length === 0) return { isBase64Encoded: false };
  try {
    return { body: utf8.decode(raw), isBase64Encoded: false };
  } catch {
    return { body: raw.toString('base64'), isBase64Encoded: true };
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, API Gateway's requestContext.time. */
function clf(d: Date): string {
  const month = MONTHS[d.getUTCMonth()];
  const [date, time] = d.toISOString().split('T');
  const [y, , day] = (date ?? '').split('-');
  return `${day}/${month}/${y}:${(time ?? '').slice(0, 8)} +0000`;
}

export function apiEvent(req: IncomingMessage, raw: Buffer, claims: Claims | undefined): APIGatewayProxyEventV2WithJWTAuthorizer {
  const url = new URL(req.url ?? '/', 'http://local');
  const headers = Object.fromEntries(
    Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v.join(',') : v]])),
  );
  const query = new Map<string, string>();
  for (const [k, v] of url.searchParams) query.set(k, query.has(k) ? `${query.get(k)},${v}` : v);
  const jwtClaims = Object.fromEntries(Object.entries(claims ?? {}).filter(([, v]) => v !== undefined));
  const now = new Date();
  const host = headers.host ?? '127.0.0.1';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    cookies: headers.cookie?.split(/;\s*/),
    headers,
    queryStringParameters: query.size > 0 ? Object.fromEntries(query) : undefined,
    ...bodyOf(raw),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: clf(now),
      timeEpoch: now.getTime(),
      // Public routes have no authorizer in AWS; locally they get empty claims.
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: jwtClaims, scopes: null } },
    },
  };
}
