/**
 * Typed application errors; the api function maps each to an HTTP problem (application/problem+json).
 * Their messages reach users as the problem's `detail` (and `errors[].message`): Chinese.
 */
import type { Status } from '#domain/proposal.ts';

export interface FieldProblem {
  path: string;
  message: string;
}

export class InvalidInput extends Error {
  constructor(
    readonly errors: FieldProblem[],
    message = '请求内容有误',
  ) {
    super(message);
    this.name = 'InvalidInput';
  }
}
export class NotFound extends Error {
  constructor(what: string) {
    super(`未找到${what}`);
    this.name = 'NotFound';
  }
}
export class Forbidden extends Error {
  constructor(message = '当前角色无权执行此操作') {
    super(message);
    this.name = 'Forbidden';
  }
}
export class Conflict extends Error {
  constructor(
    message: string,
    readonly status?: Status,
  ) {
    super(message);
    this.name = 'Conflict';
  }
}

/** Contention the caller should retry after a moment (answered 429 with Retry-After). */
export class Busy extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Busy';
  }
}

/** More than the store can keep (a DynamoDB item is at most 400 KB): answered 413. */
export class TooLarge extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TooLarge';
  }
}

/** A quota of the city's (e.g. a member's daily submissions) is used up: answered 429, without Retry-After (waiting a moment does not help). */
export class LimitReached extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitReached';
  }
}
