/**
 * Fault suite (`npm run test:faults`): on the local stack with the real handlers,
 * 1. FAULT_PROPOSALS proposals (default 500) through their lifecycle (submit, assignment, every unit
 *    acknowledges, opinions, contact, reply, approve, the proposer rates it -> closed) over the HTTP
 *    API, while every stream batch and every SQS message is delivered twice (the reactor's batch
 *    again after it, the mailer's batch twice at once) and FAULT_CRASH_RATE (10%) of the api,
 *    reactor and mailer invocations crash, half before and half after the real handler ran (the
 *    pollers retry like Lambda; the API clients retry a 5xx with the same Idempotency-Key).
 *    Then: no duplicate email, none missing, every open obligation has its timer, closed proposals
 *    have none, every proposal closed, nothing in a dead-letter queue.
 * 2. FAULT_SES_PROPOSALS (default 100) more with the SES emulator failing 30% of sends: every
 *    notice is sent exactly once in the end (those that used up their receives are redriven from
 *    the DLQ, as the operator does with `npm run redrive`).
 * FAULT_SEED makes a run repeatable (the seed is printed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { FunctionName } from '#shared/wiring.ts';
import type { Invoke } from '#infra/local/function-modules.ts';
import { openObligations } from '#domain/obligations.ts';
import { redrive } from '#adapters/sqs-redrive.ts';
import { startInstrumentedStack, type InstrumentedStack } from '../bench/instrumented-stack.ts';
import { LifecycleClient, assigned, handle, pool, rate, submit, tokenFromEmail, type Email } from '../bench/lifecycle.ts';

// The defaults (the size) take ~5 min on a 2-core machine.
const N = Number(process.env.FAULT_PROPOSALS ?? 500);
const N_SES = Number(process.env.FAULT_SES_PROPOSALS ?? 100);
const CRASH_RATE = Number(process.env.FAULT_CRASH_RATE ?? 0.1);
const SEED = Number(process.env.FAULT_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CONCURRENCY = 8;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const faults = { on: true, crashesBefore: 0, crashesAfter: 0, duplicates: 0 };
const random = mulberry32(SEED);

const failuresOf = (r: unknown): { itemIdentifier: string }[] => {
  const f: unknown = typeof r === 'object' && r !== null ? Reflect.get(r, 'batchItemFailures') : undefined;
  return Array.isArray(f)
    ? f.filter((x): x is { itemIdentifier: string } => typeof Reflect.get(Object(x), 'itemIdentifier') === 'string')
    : [];
};

/** Delivers twice and crashes at random (see the file comment). */
function faulty<E>(name: FunctionName, real: Invoke<E>): Invoke<E> {
  if (name === 'sweep') return real;
  return async (event) => {
    if (!faults.on) return real(event);
    const r = random();
    if (r < CRASH_RATE / 2) {
      faults.crashesBefore += 1;
      throw new Error(`fault: ${name} crashed before handling`);
    }
    let result: unknown;
    if (name === 'reactor') {
      // A shard is read in order: the repeat comes after the first delivery.
      const first = await real(event);
      faults.duplicates += 1;
      const second = await real(event);
      result = failuresOf(first).length ? first : second;
    } else if (name === 'mailer') {
      // Two consumers got the same messages at once.
      faults.duplicates += 1;
      const both = await Promise.all([real(event), real(event)]);
      const ids = [...new Set(both.flatMap((b) => failuresOf(b).map((f) => f.itemIdentifier)))];
      result = { batchItemFailures: ids.map((itemIdentifier) => ({ itemIdentifier })) };
    } else {
      result = await real(event);
    }
    if (r < CRASH_RATE) {
      faults.crashesAfter += 1;
      throw new Error(`fault: ${name} crashed after handling`);
    }
    return result;
  };
}

let s: InstrumentedStack;
let c: LifecycleClient;
let sqs: SQSClient;

// The pollers log every failed invocation with its stack; the injected crashes would bury real errors.
const consoleError = console.error;
console.error = (...args: unknown[]) => {
  if (args.some((a) => a instanceof Error && a.message.startsWith('fault: '))) return;
  consoleError(...args);
};

beforeAll(async () => {
  console.log(`fault suite: FAULT_SEED=${SEED} FAULT_PROPOSALS=${N} FAULT_SES_PROPOSALS=${N_SES}`);
  s = await startInstrumentedStack({ wrap: faulty, maxSendRate: 10_000 });
  c = new LifecycleClient(s.stack.urls.api, { retry: true, idempotent: true });
  sqs = new SQSClient({
    endpoint: s.stack.urls.sqs,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    useQueueUrlAsEndpoint: false,
  });
});
afterAll(async () => {
  console.error = consoleError;
  sqs?.destroy();
  await s?.stack.stop();
});

const queueDepth = async (url: string) => {
  const { Attributes: a = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0);
};

/** Waits until idle; notices that used up their receives are redriven from the DLQ (the operator's step). */
async function settle(): Promise<number> {
  let redriven = 0;
  for (let round = 0; round < 10; round++) {
    await s.stack.drain(300_000);
    if ((await queueDepth(s.stack.resources.noticesDeadLetter.url)) === 0) return redriven;
    redriven += (await redrive(sqs, { from: s.stack.resources.noticesDeadLetter.url, to: s.stack.resources.queues.notices.url })).moved;
  }
  throw new Error('notices keep reaching the dead-letter queue');
}

const of = (number: string) => (m: Email) => m.subject.includes(`${number} `);

/** Runs `n` proposals (numbered from `from`) through their lifecycle; answers them with their units. */
async function lifecycles(from: number, n: number) {
  const ids = await pool(
    Array.from({ length: n }, (_, i) => from + i),
    CONCURRENCY,
    (i) => submit(c, i),
  );
  await settle();
  const views = await pool(ids, CONCURRENCY, (p) => assigned(c, p.id, 300_000));
  for (const v of views) expect(v.status, v.number).toBe('assigned');
  await expectTimersMatchObligations(ids.map((p) => p.id));
  await pool(views, CONCURRENCY, (v) => handle(c, v));
  await settle();
  const emails = await c.emails();
  const tokens = views.map((v) => {
    const mail = emails.find((m) => of(v.number)(m) && m.subject.includes('提案答复'));
    const token = mail && tokenFromEmail(mail.text);
    if (!token) throw new Error(`no reply email with a feedback link for ${v.number}`);
    return token;
  });
  await pool(tokens, CONCURRENCY, (t) => rate(c, t));
  await settle();
  return views as { id: string; number: string; lead: string; co: string[] }[];
}

/** Every open obligation of each proposal has its timer item, and there is no other. */
async function expectTimersMatchObligations(ids: string[]) {
  await pool(ids, CONCURRENCY, async (id) => {
    const p = await s.state.proposals.get(id);
    if (!p) throw new Error(`proposal ${id} missing`);
    const timers = (await s.state.timers.ofProposal(id)).map((t) => t.obligationId).sort();
    expect(timers, `${p.number} (${p.status})`).toEqual(
      openObligations(p)
        .map((o) => o.id)
        .sort(),
    );
  });
}

/** Each notice arrived exactly once: per proposal, one email per unit's assignment, the reply for review, the reply, two closing notices. */
function expectEachNoticeOnce(views: { number: string; lead: string; co: string[] }[], emails: Email[]) {
  const seen = new Map<string, number>();
  for (const m of emails) {
    const key = `${[...m.to].sort().join(',')}|${m.subject}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const duplicates = [...seen].filter(([, n]) => n > 1);
  expect(duplicates).toEqual([]);
  const missing = views.flatMap((v) => {
    const expected = 1 + v.co.length + 4; // assignment per unit; replyForReview; replyApproved; closed x2
    const got = emails.filter(of(v.number)).length;
    return got === expected ? [] : [`${v.number}: ${got} of ${expected}`];
  });
  expect(missing).toEqual([]);
}

async function expectClosedWithoutTimers(views: { id: string; number: string }[]) {
  await pool(views, CONCURRENCY, async (v) => {
    const p = await s.state.proposals.get(v.id);
    expect(p?.status, v.number).toBe('closed');
    expect(await s.state.timers.ofProposal(v.id), v.number).toEqual([]);
  });
}

describe('fault suite', () => {
  it(`${N} lifecycles with every delivery twice and ${CRASH_RATE * 100}% crashes: each notice once, no lost timer, all closed`, async () => {
    const views = await lifecycles(0, N);
    console.log(`faults injected: ${JSON.stringify(faults)}; client retries: ${c.retries}`);
    expect(faults.crashesBefore + faults.crashesAfter).toBeGreaterThan(0);
    expectEachNoticeOnce(views, await c.emails());
    await expectClosedWithoutTimers(views);
    expect(await queueDepth(s.stack.resources.queues.streamFailures.url)).toBe(0);
    expect(await queueDepth(s.stack.resources.noticesDeadLetter.url)).toBe(0);
  });

  it(`${N_SES} lifecycles with SES failing 30% of sends: every notice sent, once`, async () => {
    faults.on = false;
    s.stack.sesFaults.failRandomly(0.3);
    try {
      const before = (await c.emails()).length;
      const views = await lifecycles(N, N_SES); // proposers m-N … (the first run had m-0 …), all in the directory
      const emails = (await c.emails()).slice(before);
      expectEachNoticeOnce(views, emails);
      await expectClosedWithoutTimers(views);
    } finally {
      s.stack.sesFaults.clear();
      faults.on = true;
    }
  });
});
