import { describe, expect, it, vi } from 'vitest';
import { ApiProblem, errorMessage, fieldLabel, mapFieldErrors, normalizePath, zhMessage } from './problem';

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
      'proposers.1.email': '电子邮箱格式不正确',
    });
    expect(m.other).toEqual(['承办单位：内容不正确']);
  });

  it("puts a problem without field errors (409) above the form, in Chinese, without the API's detail", () => {
    const m = mapFieldErrors(ApiProblem.from(409, { title: '状态冲突', detail: 'cannot reply in status closed', status: 409 }), ['text']);
    expect(m.fields).toEqual({});
    expect(m.other).toEqual(['提案状态已变化，请刷新页面后重试']);
    // The API's Chinese reason says what to do: shown instead.
    const why = ApiProblem.from(409, { title: '状态冲突', detail: '正在等待协办单位 market 的协办意见', status: 409 });
    expect(mapFieldErrors(why, ['text']).other).toEqual(['正在等待协办单位 market 的协办意见']);
    expect(ApiProblem.from(422, { title: '请求无法处理', detail: '该幂等键已用于另一请求', status: 422 }).message).toBe(
      '该幂等键已用于另一请求',
    );
  });

  it("never shows the API's English detail: the status says it in Chinese", () => {
    const notFound = ApiProblem.from(404, {
      title: '未找到',
      status: 404,
      detail: 'proposal 0b9c6a52-3f1e-4f43-9a57-2f0c2d1d4a11 not found',
    });
    expect(notFound.message).toBe('未找到请求的内容，可能已删除或无权查看');
    expect(notFound.detail).toContain('not found'); // kept for developers
    for (const [status, title] of [
      [400, '请求无效'],
      [401, '未认证'],
      [403, '无权操作'],
      [409, '并发冲突'],
      [429, '请求过于频繁'],
      [500, '服务器错误'],
      [503, '服务暂不可用'],
    ] as const) {
      const p = ApiProblem.from(status, { title, status, detail: 'some English detail' });
      expect(p.message, String(status)).toMatch(/[\u4e00-\u9fff]/);
      expect(p.message, String(status)).not.toMatch(/[A-Za-z]{3}/);
    }
    expect(ApiProblem.from(418, { title: '我是茶壶', detail: 'teapot' }).message).toBe('我是茶壶');
    expect(ApiProblem.from(418, { title: 'Teapot', detail: 'teapot' }).message).toBe('请求失败（HTTP 418）');
    expect(new ApiProblem(0, '网络错误', 'Failed to fetch').message).toBe('网络错误，请检查网络连接后重试');
  });

  it('says field messages in Chinese: known ones translated, Chinese ones kept, other English ones plain', () => {
    expect(zhMessage('longer than 2000 characters')).toBe('不能超过 2000 个字');
    expect(zhMessage('not a unit id')).toBe('不是有效的单位');
    expect(zhMessage('same memberId as proposers[0]: name each proposer once')).toBe('与第1位提案人的委员编号重复');
    expect(zhMessage('Too big: expected string to have <=50 characters')).toBe('不能超过 50 个字');
    expect(zhMessage('答复内容不能为空')).toBe('答复内容不能为空');
    expect(zhMessage('something the console never heard of')).toBe('内容不正确');
  });

  it("names the API's paths as the forms label them", () => {
    expect(fieldLabel('proposers[1].email')).toBe('提案人第2项 电子邮箱');
    expect(fieldLabel('unit')).toBe('承办单位');
    expect(fieldLabel('(body)')).toBe('');
  });

  it('normalizes paths as el-form-item props', () => {
    expect(normalizePath('proposers[0].name')).toBe('proposers.0.name');
    expect(normalizePath('co[2]')).toBe('co.2');
  });
});

describe('errorMessage', () => {
  it('tells a person in Chinese: a problem by its status, our own Chinese errors as they are, script errors in general words', () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(errorMessage(ApiProblem.from(404, { title: '未找到', detail: 'proposal x not found' }))).toBe(
      '未找到请求的内容，可能已删除或无权查看',
    );
    expect(errorMessage(new Error('浏览器安全策略不允许生成大文件'))).toBe('浏览器安全策略不允许生成大文件');
    expect(errorMessage(new TypeError('Cannot read properties of undefined'))).toBe('出现错误，请刷新页面后重试');
    quiet.mockRestore();
  });
});
