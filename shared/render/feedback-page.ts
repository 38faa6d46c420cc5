/**
 * The page a proposer opens from the feedback link in the reply email (满意度测评): the proposal, the
 * reply, and three buttons that POST /v1/feedback with the token. Self-contained HTML (no external
 * assets); every value escaped. Pure.
 */
import { satisfactionNames } from '#domain/glossary.ts';
import { textMax } from '#domain/limits.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export type FeedbackPage =
  | { ok: true; city: string; number: string; title: string; unit: string; replyText: string; token: string; rated?: string }
  | { ok: false; city: string; reason: string };

/** What the page tells the proposer when POST /v1/feedback fails, by HTTP status (the API's detail is developer text). */
const failures: Record<number, string> = {
  400: '提交失败：链接无效或内容有误',
  401: '提交失败：链接无效或已过期',
  403: '提交失败：链接无效或已过期',
  404: '提交失败：未找到该提案',
  409: '提交失败：该答复已评价或当前不能评价',
  429: '提交失败：请稍后再试',
};
const otherFailure = '提交失败，请稍后再试';

export function renderFeedbackPage(p: FeedbackPage): string {
  const head = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(p.city)}提案办理 · 满意度测评</title>
<style>body{font-family:system-ui,sans-serif;background:#f3f4f6;margin:0;padding:24px}main{max-width:640px;margin:auto;background:#fff;border-radius:6px;padding:24px}h1{font-size:20px;color:#a61b1f}blockquote{white-space:pre-wrap;border-left:4px solid #ddd;margin:0;padding:8px 12px;background:#fafafa}button{font-size:16px;margin:8px 8px 0 0;padding:10px 18px;border:0;border-radius:4px;background:#a61b1f;color:#fff;cursor:pointer}button.mid{background:#c77700}button.low{background:#555}textarea{width:100%;min-height:80px;box-sizing:border-box}#msg{margin-top:16px;font-weight:bold}</style></head><body><main>`;
  if (!p.ok)
    return `${head}<h1>满意度测评</h1><p>此链接无法使用：${esc(p.reason)}。如有疑问，请联系${esc(p.city)}人民政府办公室。</p></main></body></html>`;
  const form = p.rated
    ? `<p id="msg">您已评价：${esc(p.rated)}。感谢您的反馈。</p>`
    : `<p>请对办理结果作出评价：</p>
<label for="comment">意见（可选）：</label><textarea id="comment" maxlength="${textMax.ratingComment}"></textarea>
<div>${Object.entries(satisfactionNames)
        .map(([k, v], i) => `<button class="${['', 'mid', 'low'][i]}" data-s="${k}">${v}</button>`)
        .join('')}</div>
<p id="msg"></p>
<script>
const token = ${JSON.stringify(p.token).replace(/</g, '\\u003c')};
const failures = ${JSON.stringify(failures)};
for (const b of document.querySelectorAll('button[data-s]')) b.addEventListener('click', async () => {
  const comment = document.getElementById('comment').value.trim();
  const res = await fetch('feedback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, satisfaction: b.dataset.s, ...(comment ? { comment } : {}) }) }).catch(() => undefined);
  document.getElementById('msg').textContent = res?.ok ? '已提交，感谢您的评价。' : (failures[res?.status] || ${JSON.stringify(otherFailure)});
  if (res?.ok) for (const x of document.querySelectorAll('button')) x.disabled = true;
});
</script>`;
  return `${head}<h1>满意度测评</h1>
<p>${esc(p.number)}号提案《${esc(p.title)}》</p>
<p>答复单位：${esc(p.unit)}</p>
<blockquote>${esc(p.replyText)}</blockquote>
${form}</main></body></html>`;
}
