import { describe, expect, it } from 'vitest';
import { ApiProblem, mapFieldErrors, normalizePath } from './problem';

describe('problem+json -> field errors', () => {
  const body = {
    type: 'x',
    title: '请求无效',
    status: 400,
    detail: 'invalid input',
    errors: [
      { path: 'text', message: 'empty' },
      { path: 'class', message: 'Invalid option: expected one of "A"|"B"|"C"|"D"' },
      { path: 'co[0]', message: 'unknown unit nowhere' },
      { path: 'co[1]', message: 'unknown unit elsewhere' },
      { path: 'proposers[1].email', message: 'not an email' },
      { path: 'unit', message: 'not your unit' },
    ],
  };

  it('reads a problem body, dropping malformed errors', () => {
    const p = ApiProblem.from(400, { ...body, errors: [...body.errors, { path: 1 }, 'x'] });
    expect(p.status).toBe(400);
    expect(p.title).toBe('请求无效');
    expect(p.errors).toHaveLength(6);
  });

  it('survives a body that is not JSON', () => {
    const p = ApiProblem.from(502, '<html>Bad gateway</html>');
    expect(p.title).toBe('请求失败（HTTP 502）');
    expect(p.errors).toEqual([]);
  });

  it('maps exact props, nested props and array items onto the form, the rest above it', () => {
    const m = mapFieldErrors(ApiProblem.from(400, body), ['text', 'class', 'co', 'proposers.1.email', 'proposers.0.email']);
    expect(m.fields).toEqual({
      text: '不能为空',
      class: '请选择一项',
      co: '未知的单位 nowhere；未知的单位 elsewhere',
      'proposers.1.email': 'not an email',
    });
    expect(m.other).toEqual(['unit：not your unit']);
  });

  it('puts a problem without field errors (409) above the form', () => {
    const m = mapFieldErrors(ApiProblem.from(409, { title: '状态冲突', detail: '提案已办结', status: 409 }), ['text']);
    expect(m.fields).toEqual({});
    expect(m.other).toEqual(['状态冲突：提案已办结']);
  });

  it('normalizes paths as el-form-item props', () => {
    expect(normalizePath('proposers[0].name')).toBe('proposers.0.name');
    expect(normalizePath('co[2]')).toBe('co.2');
  });
});
