import { describe, expect, it } from 'vitest';
import { SendMessageBatchCommand, type SendMessageBatchCommandOutput, type SQSClient } from '@aws-sdk/client-sqs';
import type { Notice } from '#events/notices.ts';
import { SqsNoticeQueue } from '#adapters/sqs-notice-queue.ts';

const notice = (id: string): Notice => ({
  id,
  kind: 'triage',
  proposalId: 'p1',
  recipients: [{ kind: 'office' }],
  vars: { number: '2026-001', title: 't', proposalId: 'p1', reason: 'r' },
  createdAt: '2026-03-02T02:00:00.000Z',
});

/** An SQS client that records each SendMessageBatch and fails the bodies `reject` says. */
function fakeSqs(reject: (n: Notice) => boolean = () => false) {
  const calls: Notice[][] = [];
  const client = {
    send: (cmd: SendMessageBatchCommand): Promise<Partial<SendMessageBatchCommandOutput>> => {
      const entries = cmd.input.Entries ?? [];
      const notices = entries.map((e) => JSON.parse(e.MessageBody ?? '') as Notice);
      calls.push(notices);
      const failed = entries.filter((_, i) => reject(notices[i]!)).map((e) => ({ Id: e.Id, Code: 'X', Message: 'no', SenderFault: true }));
      return Promise.resolve({ Successful: [], Failed: failed });
    },
  };
  return { calls, client: client as unknown as SQSClient };
}

describe('SqsNoticeQueue', () => {
  it('sends the notices of callers in the same turn together, at most 10 a call', async () => {
    const { calls, client } = fakeSqs();
    const q = new SqsNoticeQueue(client, 'url');
    await Promise.all([q.send([notice('a'), notice('b')]), q.send(Array.from({ length: 9 }, (_, i) => notice(`c${i}`))), q.send([])]);
    expect(calls.map((c) => c.length)).toEqual([10, 1]);
    expect(
      calls
        .flat()
        .map((n) => n.id)
        .sort(),
    ).toEqual(['a', 'b', ...Array.from({ length: 9 }, (_, i) => `c${i}`)].sort());
  });

  it('fails only the caller whose notice SQS rejected', async () => {
    const { client } = fakeSqs((n) => n.id === 'bad');
    const q = new SqsNoticeQueue(client, 'url');
    const [ok, bad] = await Promise.allSettled([q.send([notice('a')]), q.send([notice('b'), notice('bad')])]);
    expect(ok.status).toBe('fulfilled');
    expect(bad.status).toBe('rejected');
    expect(String((bad as PromiseRejectedResult).reason)).toContain('SQS rejected 1 notice(s)');
  });
});
