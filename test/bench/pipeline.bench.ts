/**
 * Pipeline benchmark on the local stack: start-up time to ready, and submit -> assignment email
 * latency (p50/p99 over N proposals, one at a time, so each latency is the pipeline's own).
 */
import { pathToFileURL } from 'node:url';
import { startLocalStack } from '#infra/local/stack.ts';
import type { BenchRow } from './rows.ts';
import { benchMembers, THEMES } from './lifecycle.ts';

export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};

export async function runPipelineBench(n = 100): Promise<BenchRow[]> {
  const t0 = performance.now();
  const stack = await startLocalStack({ port: 0, sesPort: 0, ddbPort: 0, sqsPort: 0, sweepEverySeconds: 0, members: benchMembers(n) });
  const startupMs = performance.now() - t0;
  try {
    const api = stack.urls.api;
    const latencies: number[] = [];
    for (let i = 0; i < n; i++) {
      // One member each: the city's daily limit of submissions per member holds here too.
      const { token } = (await (await fetch(`${api}/_local/token?role=member&memberId=m-${i}`)).json()) as { token: string };
      const [title, body] = THEMES[i % THEMES.length]!;
      const started = performance.now();
      const res = await fetch(`${api}/v1/proposals`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title, body, proposers: [{ memberId: `m-${i}` }] }),
      });
      const { number } = (await res.json()) as { number: string };
      for (;;) {
        const mails = (await (await fetch(`${api}/_local/emails`)).json()) as { subject: string }[];
        if (mails.some((m) => m.subject.includes(`${number} `) && m.subject.includes('交办通知'))) break;
        if (performance.now() - started > 30_000) throw new Error(`no assignment email for ${number} after 30 s`);
        await new Promise((r) => setTimeout(r, 5));
      }
      latencies.push(performance.now() - started);
    }
    const r = (x: number) => Math.round(x);
    return [
      { name: 'local start-up to ready', value: r(startupMs), unit: 'ms' },
      { name: `submit -> assignment email p50 (n=${n})`, value: r(percentile(latencies, 50)), unit: 'ms' },
      { name: `submit -> assignment email p99 (n=${n})`, value: r(percentile(latencies, 99)), unit: 'ms' },
    ];
  } finally {
    await stack.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await runPipelineBench());
}
