/** Waits until the local event sources are idle, so tests need not sleep. */
import type { StreamPoller } from './stream-poller.ts';
import type { SqsPoller } from './sqs-poller.ts';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function streamQuiet(stream: StreamPoller, deadline: number): Promise<boolean> {
  // Two full poll cycles after now, so a record written just before is seen.
  const target = stream.cycles + 2;
  while (stream.cycles < target) {
    if (Date.now() > deadline) throw new Error('drain timed out');
    await sleep(10);
  }
  return stream.quietCycles >= 2;
}

/** Resolves when every stream poller and every queue are idle twice in a row; rejects after timeoutMs. */
export async function drainUntilIdle(streams: readonly StreamPoller[], queues: readonly SqsPoller[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let idleChecks = 0;
  while (idleChecks < 2) {
    const quiet = !(await Promise.all(streams.map((s) => streamQuiet(s, deadline)))).includes(false);
    const busy = await Promise.all(queues.map((q) => q.busy()));
    idleChecks = quiet && !busy.includes(true) ? idleChecks + 1 : 0;
    if (idleChecks < 2 && Date.now() > deadline) throw new Error('drain timed out');
    if (idleChecks === 0) await sleep(25);
  }
}
