/**
 * HTTP plumbing of the api and reports functions: the event types, identity from the JWT claims API
 * Gateway verified, parsing with zod (every problem a 400 naming its field, never a 500 for bad
 * input), and the JSON and text answers. Errors become problem+json in one place (problems.ts).
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from '#shared/zod.ts';
import { formatPath } from '#domain/city-config.ts';
import { identitySchema, type Identity } from '#domain/access.ts';
import { InvalidInput, type FieldProblem } from '#app/errors.ts';
import { PayloadTooLarge, Unauthorized } from './problems.ts';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;

export const MAX_BODY_BYTES = 256 * 1024;

/** The caller, from the claims API Gateway's JWT authorizer put on the event. */
export function identityOf(event: ApiEvent): Identity {
  const parsed = identitySchema.safeParse(normalizeClaims(event.requestContext.authorizer?.jwt?.claims ?? {}));
  if (!parsed.success) throw new Unauthorized('令牌中没有有效的角色（role）');
  return parsed.data;
}

/**
 * Our claims are `role`, `unit`, `memberId`, `leader` (a leader's name), `unitHead` and `name` (a unit user's). Cognito sends the role as a
 * group (`cognito:groups`, which API Gateway passes as a string like "[office]") and the others as
 * `custom:unit`, `custom:memberId` and `custom:leader`; both forms are accepted.
 */
function normalizeClaims(c: Record<string, string | number | boolean | string[]>): Record<string, unknown> {
  const groups = c['cognito:groups'];
  const groupList = Array.isArray(groups) ? groups : typeof groups === 'string' ? groups.replace(/^\[|\]$/g, '').split(/[\s,]+/) : [];
  const roles = ['office', 'leader', 'unit', 'member', 'committee'];
  return {
    sub: c.sub,
    role: c.role ?? groupList.find((g) => roles.includes(g)),
    unit: c.unit ?? c['custom:unit'],
    memberId: c.memberId ?? c['custom:memberId'],
    leader: c.leader ?? c['custom:leader'],
    ...(c.role === 'unit' || groupList.includes('unit') ? unitClaims(c) : {}),
  };
}

/** A unit user's head flag (`unitHead` or `custom:unitHead`, true or "true") and name. */
function unitClaims(c: Record<string, string | number | boolean | string[]>): Record<string, unknown> {
  const head = c.unitHead ?? c['custom:unitHead'];
  const name = c.name ?? c['custom:name'];
  return { ...(head === true || head === 'true' ? { unitHead: true } : {}), ...(typeof name === 'string' && name ? { name } : {}) };
}

/** The problems of a failed parse; `at` names the value itself (a path parameter such as `id`). */
export function zodProblems(error: z.core.$ZodError, at?: string): FieldProblem[] {
  const path = (p: readonly PropertyKey[]) => formatPath(at === undefined ? p : [at, ...p]);
  // An unknown field is named by its own path (zod reports it on the enclosing object).
  return error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ path: path([...i.path, k]), message: '未知字段' }))
      : [{ path: path(i.path), message: i.message }],
  );
}

export function parse<T extends z.ZodMiniType>(schema: T, value: unknown, at?: string): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new InvalidInput(zodProblems(r.error, at));
  return r.data;
}

/** Where JSON.parse stopped, in Chinese (its own message is English): the character, when it says. */
function jsonErrorAt(err: unknown): string {
  const message = err instanceof Error ? err.message : '';
  const at = /position (\d+)/.exec(message)?.[1];
  if (at !== undefined) return `第 ${Number(at) + 1} 个字符处有误`;
  return /end of (JSON )?input/i.test(message) ? '内容不完整' : '格式有误';
}

/** Parses the JSON body (size-checked) and validates it with the schema. */
export function jsonBody<T extends z.ZodMiniType>(event: ApiEvent, schema: T): z.output<T> {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new PayloadTooLarge(`请求体超过 ${MAX_BODY_BYTES / 1024} KB 的上限`);
  let value: unknown;
  try {
    value = text.trim() === '' ? undefined : JSON.parse(text);
  } catch (err) {
    throw new InvalidInput([{ path: '(body)', message: `不是有效的 JSON：${jsonErrorAt(err)}` }], '请求体不是有效的 JSON');
  }
  if (value === undefined) throw new InvalidInput([{ path: '(body)', message: '缺少 JSON 请求体' }]);
  return parse(schema, value);
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResult {
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

/** A text document (Markdown, HTML, CSV) as the body, with its content type. */
export function text(statusCode: number, body: string, contentType: string, headers: Record<string, string> = {}): ApiResult {
  return { statusCode, headers: { 'content-type': contentType, ...headers }, body };
}
