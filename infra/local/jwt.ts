/** HS256 JWTs for the local runtime (in AWS, Cognito issues tokens and API Gateway checks them). */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from '#shared/zod.ts';

export const roles = ['office', 'leader', 'unit', 'member', 'committee'] as const;
export type Role = (typeof roles)[number];

const claimsSchema = z.object({
  sub: z.string().check(z.minLength(1)),
  role: z.enum(roles),
  unit: z.optional(z.string().check(z.minLength(1))),
  memberId: z.optional(z.string().check(z.minLength(1))),
  /** A leader's name (email.leaders[].name): the 领办领导 of key proposals, whose units it sees. */
  leader: z.optional(z.string().check(z.minLength(1))),
  /** A unit's head (签发 of its replies), and a person's name (the 签发人). */
  unitHead: z.optional(z.boolean()),
  name: z.optional(z.string().check(z.minLength(1))),
  iat: z.int(),
  exp: z.int(),
});
export type Claims = z.infer<typeof claimsSchema>;
export type Identity = Omit<Claims, 'iat' | 'exp'>;

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');
const HEADER = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
const sign = (input: string, secret: string) => createHmac('sha256', secret).update(input).digest();

export function signToken(identity: Identity, secret: string, opts: { nowSeconds?: number; ttlSeconds?: number } = {}): string {
  const iat = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  const claims: Claims = { ...identity, iat, exp: iat + (opts.ttlSeconds ?? 24 * 60 * 60) };
  const input = `${HEADER}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${b64url(sign(input, secret))}`;
}

/** The verified claims, or undefined for a malformed, forged or expired token. */
export function verifyToken(token: string, secret: string, nowSeconds = Math.floor(Date.now() / 1000)): Claims | undefined {
  const [header, payload, signature, ...rest] = token.split('.');
  if (header !== HEADER || !payload || !signature || rest.length > 0) return undefined;
  const expected = sign(`${header}.${payload}`, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const claims = claimsSchema.safeParse(json);
  if (!claims.success || claims.data.exp <= nowSeconds) return undefined;
  return claims.data;
}
