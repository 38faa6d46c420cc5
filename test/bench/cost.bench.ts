/**
 * Cost of one proposal lifecycle, submit to closed (lifecycle.ts: submit, assignment, every unit
 * acknowledges, co-unit opinions, contact, reply, approve, the proposer rates it), on the local stack
 * with the real handlers, counted by instrumented-stack.ts:
 * - DynamoDB write / read request units: the sum of ReturnConsumedCapacity over every call;
 * - Lambda invocations per function and GB-seconds (measured duration here x memory from the wiring);
 * - SQS requests: the notices sent (SendMessageBatch) plus, per mailer invocation, the event source
 *   mapping's ReceiveMessage and DeleteMessageBatch; API Gateway requests; emails (SES sends).
 * Median over RUNS lifecycles. Run: npx tsx test/bench/cost.bench.ts
 *
 * Prices (US$, us-east-1 public on-demand, 2025):
 *   DynamoDB on-demand: $1.25 per million WRU, $0.25 per million RRU (streams read by Lambda: free)
 *   Lambda (arm64): $0.20 per million requests + $0.0000133334 per GB-second
 *   SQS standard: $0.40 per million requests      API Gateway HTTP API: $1.00 per million requests
 *   SES: $0.10 per 1,000 emails                   Step Functions standard: $0.025 per 1,000 state transitions
 *
 * The Step Functions comparison models the same lifecycle as one standard workflow per proposal,
 * counting the state transitions it would take (a lower bound; it still needs the table and the API):
 *   1 start + 1 end;
 *   per system step (record submission, register, assign): 1 Task;
 *   per human command (acknowledge, opinion, contact, reply, approve, each rating): a callback Task
 *     (.waitForTaskToken) + a Choice on its outcome + a Task storing it = 3;
 *   per event that sends notices: 1 Map state, + 1 Task (SES SendEmail) per email;
 *   per deadline (each obligation: acknowledge per unit, contact, opinion per co-unit, reply,
 *     feedback): 1 Wait state in a Parallel branch for its reminder (cancelled when fulfilled) + 1 Parallel.
 */
import { pathToFileURL } from 'node:url';
import { gbSeconds, startInstrumentedStack, type Usage } from './instrumented-stack.ts';
import { LifecycleClient, assigned, handle, rate, submit, tokenFromEmail, waitForEmails } from './lifecycle.ts';
import { median, type BenchRow } from './rows.ts';

export const PRICES = {
  wru: 1.25 / 1e6,
  rru: 0.25 / 1e6,
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecond: 0.0000133334,
  sqsRequest: 0.4 / 1e6,
  apiRequest: 1.0 / 1e6,
  email: 0.1 / 1000,
  sfnTransition: 0.025 / 1000,
} as const;

const RUNS = Number(process.env.COST_BENCH_RUNS ?? 5);

interface Lifecycle {
  usage: Usage;
  emails: number;
  transitions: number;
}

/** One lifecycle on the running stack; the usage it caused. */
async function oneLifecycle(
  c: LifecycleClient,
  reset: () => void,
  usage: () => Usage,
  drain: () => Promise<void>,
  i: number,
): Promise<Lifecycle> {
  await drain();
  reset();
  const { id, number } = await submit(c, i);
  await drain(); // one GET once assigned, not a polling loop's worth
  const p = await assigned(c, id);
  if (p.status !== 'assigned') throw new Error(`proposal ${number} was not auto-assigned (${p.status})`);
  await handle(c, p);
  const ofThis = (m: { subject: string }) => m.subject.includes(`${number} `);
  const mails = await waitForEmails(c, (all) => all.some((m) => ofThis(m) && m.subject.includes('提案答复')), 30_000);
  const token = tokenFromEmail(mails.find((m) => ofThis(m) && m.subject.includes('提案答复'))!.text);
  if (!token || (await rate(c, token)) !== 'closed') throw new Error(`proposal ${number} did not close`);
  await drain();
  const used = structuredClone(usage());
  const emails = (await c.emails()).filter(ofThis).length;
  const office = await c.token('office');
  const trail = (await c.call('GET', `/v1/proposals/${id}/events`, office)).body.items as { type: string }[];
  const system = trail.filter((e) => ['ProposalSubmitted', 'ProposalRegistered', 'ProposalAssigned'].includes(e.type)).length;
  const human = trail.length - system;
  const noticeEvents = ['ProposalAssigned', 'ReplySubmitted', 'ReplyApproved', 'ProposalClosed'].filter((t) =>
    trail.some((e) => e.type === t),
  ).length;
  const units = 1 + (p.co as string[]).length;
  const deadlines = units + 1 + (p.co as string[]).length + 1 + 1;
  const transitions = 2 + system + 3 * human + noticeEvents + emails + 2 * deadlines;
  if (process.env.COST_BENCH_DEBUG) console.error(JSON.stringify(used));
  return { usage: used, emails, transitions };
}

function priced(l: Lifecycle) {
  const u = l.usage;
  const invocations = Object.values(u.invocations).reduce((a, b) => a + b, 0);
  const sqsRequests = Object.values(u.sqsCalls).reduce((a, b) => a + b, 0) + 2 * u.mailerBatches;
  const gbs = gbSeconds(u);
  const dynamo = u.dynamo.wru * PRICES.wru + u.dynamo.rru * PRICES.rru;
  const lambda = invocations * PRICES.lambdaRequest + gbs * PRICES.lambdaGbSecond;
  const sqs = sqsRequests * PRICES.sqsRequest;
  const api = u.invocations.api * PRICES.apiRequest;
  return {
    invocations,
    sqsRequests,
    gbs,
    dynamo,
    lambda,
    sqs,
    api,
    infra: dynamo + lambda + sqs + api,
    email: l.emails * PRICES.email,
    sfn: l.transitions * PRICES.sfnTransition,
  };
}

export async function runCostBench(runs = RUNS): Promise<BenchRow[]> {
  const s = await startInstrumentedStack();
  try {
    const c = new LifecycleClient(s.stack.urls.api);
    const drain = () => s.stack.drain(60_000);
    await oneLifecycle(
      c,
      () => s.reset(),
      () => s.usage,
      drain,
      0,
    ); // warm-up: first calls load code and the counter
    const all: Lifecycle[] = [];
    for (let i = 1; i <= runs; i++)
      all.push(
        await oneLifecycle(
          c,
          () => s.reset(),
          () => s.usage,
          drain,
          i,
        ),
      );
    const ps = all.map(priced);
    const m = (f: (x: (typeof ps)[number]) => number) => median(ps.map(f));
    const mu = (f: (u: Usage) => number) => median(all.map((l) => f(l.usage)));
    const usd = (x: number) => Number(x.toPrecision(3));
    const infra = m((x) => x.infra);
    const sfn = m((x) => x.sfn);
    const perFn = (['api', 'reactor', 'mailer'] as const).map((f) => `${f} ${mu((u) => u.invocations[f])}`).join(', ');
    return [
      { name: 'DynamoDB write request units', value: mu((u) => u.dynamo.wru), unit: 'WRU' },
      { name: 'DynamoDB read request units', value: mu((u) => u.dynamo.rru), unit: 'RRU' },
      { name: `Lambda invocations (${perFn})`, value: m((x) => x.invocations), unit: 'requests' },
      { name: 'Lambda compute', value: usd(m((x) => x.gbs)), unit: 'GB-s' },
      { name: 'SQS requests', value: m((x) => x.sqsRequests), unit: 'requests' },
      { name: 'API Gateway requests', value: mu((u) => u.invocations.api), unit: 'requests' },
      { name: 'DynamoDB cost', value: usd(m((x) => x.dynamo)), unit: 'US$' },
      { name: 'Lambda cost', value: usd(m((x) => x.lambda)), unit: 'US$' },
      { name: 'SQS + API Gateway cost', value: usd(m((x) => x.sqs + x.api)), unit: 'US$' },
      { name: 'infrastructure per proposal (all but email)', value: usd(infra), unit: 'US$', target: '<= 0.0002' },
      { name: `emails per proposal (${median(all.map((l) => l.emails))} x $0.0001)`, value: usd(m((x) => x.email)), unit: 'US$' },
      {
        name: `Step Functions standard, same lifecycle (${median(all.map((l) => l.transitions))} transitions)`,
        value: usd(sfn),
        unit: 'US$',
      },
      { name: 'infrastructure / Step Functions', value: usd(infra / sfn), unit: 'x', target: '<= 0.2' },
      // On-demand table, Lambda and SQS: no provisioned capacity. What still runs when idle is the
      // sweep schedule (8,640 invocations/month, a few RRU each: ~$0.01/month) and Lambda's SQS
      // long-polling (~0.65 M empty ReceiveMessage/month, inside SQS's 1 M free requests).
      { name: 'provisioned (billed when idle) resources', value: 0, unit: 'count', target: '<= 0' },
    ];
  } finally {
    await s.stack.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await runCostBench());
}
