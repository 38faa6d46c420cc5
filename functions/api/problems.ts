/**
 * Problem+json bodies (RFC 9457) with the Chinese title of each status, shared by the api function and
 * the local runtime's own answers (infra/local), so both speak alike. No dependencies.
 */

/** The Chinese title of each problem status (API.md: Chinese text everywhere). */
export const problemTitles: Record<number, string> = {
  400: '请求无效',
  401: '未认证',
  403: '无权操作',
  404: '未找到',
  405: '方法不允许',
  409: '状态冲突',
  413: '请求体过大',
  429: '请求过于频繁',
  500: '服务器错误',
  503: '服务暂不可用',
};

/** The problem+json body of an answer with that status. */
export function problemBody(status: number, detail: string, extra: Record<string, unknown> = {}, title = problemTitles[status] ?? '错误') {
  return { type: `https://proposals.example/problems/${status}`, title, status, detail, ...extra };
}
