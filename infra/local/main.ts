/** `npm start`: the local runtime. Prints the URLs; stops everything on Ctrl-C / SIGTERM. */
import { startLocalStack } from './stack.ts';

// The handlers' JSON logs: warnings and errors by default (LOG_LEVEL=info shows every notice sent).
process.env.LOG_LEVEL ??= 'warn';

const t0 = performance.now();
try {
  const stack = await startLocalStack();
  const ms = Math.round(performance.now() - t0);
  const { api, ses } = stack.urls;
  console.log(`提案办理系统本地运行环境已启动 (started in ${ms} ms)
  工作台:          ${api}/
  登录（选择身份）:  ${api}/_local/   例如 ${api}/_local/login?role=office
  API:            ${api}/v1/   (接口文档 ${api}/v1/openapi.json)
  邮件模拟器界面:   ${ses}
  获取开发令牌:     curl '${api}/_local/token?role=office'
  健康检查:         ${api}/_local/health
按 Ctrl-C 停止。`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: 正在停止…`);
    stack.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
} catch (err) {
  // One line, no stack trace: startLocalStack has already stopped what it started.
  console.error(`本地运行环境启动失败: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
