/**
 * The feedback page (满意度测评): its script shows the proposer a Chinese message chosen by the HTTP
 * status, never the API's developer text. The script runs here on a minimal stand-in of the DOM.
 */
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { renderFeedbackPage } from '#render/feedback-page.ts';

const page = renderFeedbackPage({
  ok: true,
  city: '阿拉尔市',
  number: '2026-001',
  title: '关于发展夜市经济的建议',
  unit: '市商务局',
  replyText: '已解决。',
  token: 't1',
});

/** Clicks 满意 with `fetch` answering `status` (or failing); returns the message shown. */
async function submit(answer: { status: number; body?: unknown } | 'network error'): Promise<string> {
  const script = /<script>([\s\S]*?)<\/script>/.exec(page)?.[1];
  if (!script) throw new Error('no script on the page');
  const clicks: (() => Promise<void>)[] = [];
  const button = (s?: string) => ({
    dataset: { s },
    disabled: false,
    addEventListener: (_: string, f: () => Promise<void>) => clicks.push(f),
  });
  const msg = { textContent: '' };
  const document = {
    querySelectorAll: (q: string) => (q === 'button[data-s]' ? [button('satisfied')] : [button()]),
    getElementById: (id: string) => (id === 'msg' ? msg : { value: '' }),
  };
  const fetch = async () => {
    if (answer === 'network error') throw new TypeError('Failed to fetch');
    return { ok: answer.status < 300, status: answer.status, json: async () => answer.body ?? {} };
  };
  runInNewContext(script, { document, fetch, JSON });
  await clicks[0]!();
  return msg.textContent;
}

describe('feedback page', () => {
  it('shows a Chinese message chosen by the status, not the API detail', async () => {
    const detail = { detail: 'feedback is not possible while the proposal is closed' };
    expect(await submit({ status: 200 })).toBe('已提交，感谢您的评价。');
    expect(await submit({ status: 400, body: detail })).toBe('提交失败：链接无效或内容有误');
    expect(await submit({ status: 401, body: detail })).toBe('提交失败：链接无效或已过期');
    expect(await submit({ status: 403, body: detail })).toBe('提交失败：链接无效或已过期');
    expect(await submit({ status: 404, body: detail })).toBe('提交失败：未找到该提案');
    expect(await submit({ status: 409, body: detail })).toBe('提交失败：该答复已评价或当前不能评价');
    expect(await submit({ status: 429, body: detail })).toBe('提交失败：请稍后再试');
    expect(await submit({ status: 503, body: detail })).toBe('提交失败，请稍后再试');
    expect(await submit('network error')).toBe('提交失败，请稍后再试');
  });
});
