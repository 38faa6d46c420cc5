/**
 * The reply steps on the real local stack (DynamoDB Local, the SQS and SES emulators), with the
 * sample city that asks for them (shihezi: 签发 and 会签): the 文号 taken at 签发 in the same
 * transaction as the save (a unit's letters numbered 1, 2 without gaps), the head's and the co-unit's
 * emails, the office's review, the letter page.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApi, type Api } from './support.ts';

let api: Api;
beforeAll(async () => {
  api = await startApi({ cityConfig: 'infra/cities/shihezi.yaml' });
});
afterAll(async () => {
  await api?.stack.stop();
});

async function ok(res: Promise<{ status: number; body: any }>, status = 200) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

async function handled(title: string) {
  const member = await api.token('member', { memberId: 'm-li' });
  const { id } = await ok(
    api.call('POST', '/v1/proposals', {
      token: member,
      body: {
        title,
        body: '学校教育和校园安全需加强，教师和学生的心理健康教育不足；学校卫生室医疗条件差，建议改善。',
        proposers: [{ memberId: 'm-li' }],
      },
    }),
    201,
  );
  await api.settle();
  const office = await api.token('office');
  const p = await ok(api.call('GET', `/v1/proposals/${id}`, { token: office }));
  expect(p.lead).toBe('education');
  expect(p.co).toContain('health');
  await ok(api.call('POST', `/v1/proposals/${id}/units/education/acknowledge`, { token: await api.token('unit', { unit: 'education' }) }));
  for (const co of p.co as string[])
    await ok(
      api.call('POST', `/v1/proposals/${id}/units/${co}/opinion`, {
        token: await api.token('unit', { unit: co }),
        body: { text: '同意。' },
      }),
    );
  return { id: id as string, co: p.co as string[] };
}

it('signs, numbers, countersigns and approves a reply; the head and the co-units are told', async () => {
  const unit = await api.token('unit', { unit: 'education' });
  const head = await api.token('unit', { unit: 'education', unitHead: 'true', name: '李局长' });
  const office = await api.token('office');
  const a = await handled('关于加强学校教育和校园安全的建议');
  const b = await handled('关于改善学校教育条件和学生安全的建议');

  for (const p of [a, b]) {
    const sent = await ok(
      api.call('POST', `/v1/proposals/${p.id}/replies`, {
        token: unit,
        body: { class: 'B', text: '已列入明年计划。', contactName: '王老师', contactPhone: '0993-2012345', disclosure: 'public' },
      }),
    );
    expect(sent.replies[0].status).toBe('signing');
    expect((await api.call('POST', `/v1/proposals/${p.id}/replies/1/sign`, { token: unit })).status).toBe(403);
    const signed = await ok(api.call('POST', `/v1/proposals/${p.id}/replies/1/sign`, { token: head }));
    expect(signed.replies[0].status).toBe('countersign');
  }
  const numbers = await Promise.all(
    [a, b].map(async (p) => (await ok(api.call('GET', `/v1/proposals/${p.id}`, { token: office }))).replies[0].letter.docNumber),
  );
  expect(numbers).toEqual([expect.stringMatching(/^教育函〔\d{4}〕1号$/), expect.stringMatching(/^教育函〔\d{4}〕2号$/)]);

  for (const co of a.co)
    await ok(api.call('POST', `/v1/proposals/${a.id}/replies/1/countersign`, { token: await api.token('unit', { unit: co }) }));
  const approved = await ok(api.call('POST', `/v1/proposals/${a.id}/replies/1/approve`, { token: office }));
  expect(approved.status).toBe('replied');
  await api.settle();

  const emails = (await ok(api.call('GET', '/_local/emails'))) as { to: string[]; subject: string; text: string }[];
  const subjects = (to: string) => emails.filter((e) => e.to.includes(to)).map((e) => e.subject);
  expect(subjects('jyj-head@shihezi.example.gov.cn').filter((s) => s.includes('】答复待签发：'))).toHaveLength(2);
  expect(subjects('wjw@shihezi.example.gov.cn').filter((s) => s.includes('】答复待会签：'))).toHaveLength(2);
  expect(subjects('zfb@shihezi.example.gov.cn').filter((s) => s.includes('】答复待审核：'))).toHaveLength(1);

  // The letter, signed in as the office: the 文号, the 签发人 and the contact line.
  const letter = await fetch(`${api.stack.urls.api}/v1/proposals/${a.id}/replies/1/letter`, {
    headers: { authorization: `Bearer ${office}` },
  });
  expect(letter.status).toBe(200);
  const html = await letter.text();
  expect(html).toContain(numbers[0]);
  expect(html).toContain('李局长');
  expect(html).toContain('0993-2012345');
});

it('分办: two lead units each sign and number their own part; each part reaches the proposer; rated part by part it closes', async () => {
  const office = await api.token('office');
  const member = await api.token('member', { memberId: 'm-li' });
  const { id } = await ok(
    api.call('POST', '/v1/proposals', {
      token: member,
      body: { title: '关于学校卫生室建设的建议', body: '学校教育，校园卫生室，医疗条件，健康教育。', proposers: [{ memberId: 'm-li' }] },
    }),
    201,
  );
  await api.settle();
  const split = await ok(
    api.call('POST', `/v1/proposals/${id}/assignment`, { token: office, body: { lead: 'education', leads: ['health'], co: [] } }),
  );
  expect(split).toMatchObject({ lead: 'education', leads: ['education', 'health'], co: [] });
  let n = 0;
  for (const unit of ['education', 'health']) {
    const token = await api.token('unit', { unit });
    await ok(api.call('POST', `/v1/proposals/${id}/units/${unit}/acknowledge`, { token }));
    const sent = await ok(
      api.call('POST', `/v1/proposals/${id}/replies`, {
        token,
        body: { class: 'A', text: `${unit} 的部分已解决。`, contactName: '联系人', contactPhone: '0993-2000000', disclosure: 'public' },
      }),
    );
    n = sent.replies.find((r: any) => r.unit === unit).n;
    const head = await api.token('unit', { unit, unitHead: 'true', name: `${unit}负责人` });
    const signed = await ok(api.call('POST', `/v1/proposals/${id}/replies/${n}/sign`, { token: head }));
    // No co-units: the signed part goes straight to the office.
    expect(signed.replies.find((r: any) => r.n === n)).toMatchObject({
      status: 'review',
      letter: { docNumber: expect.stringMatching(/〔\d{4}〕\d+号$/) },
    });
  }
  const first = await ok(api.call('POST', `/v1/proposals/${id}/replies/1/approve`, { token: office }));
  expect(first.status).toBe('reply_review'); // health's part still waits for the office
  const both = await ok(api.call('POST', `/v1/proposals/${id}/replies/2/approve`, { token: office }));
  expect(both.status).toBe('replied');
  await api.settle();
  const emails = (await ok(api.call('GET', '/_local/emails'))) as { to: string[]; subject: string; text: string }[];
  const replies = emails.filter(
    (e) => e.to.includes('lijianguo@example.com') && e.subject.includes('提案答复') && e.subject.includes('卫生室'),
  );
  expect(replies).toHaveLength(2);
  expect(replies.map((e) => e.text).join('\n')).toContain('2个单位分办');

  await ok(api.call('POST', `/v1/proposals/${id}/feedback`, { token: member, body: { n: 1, satisfaction: 'satisfied' } }));
  const closed = await ok(api.call('POST', `/v1/proposals/${id}/feedback`, { token: member, body: { n: 2, satisfaction: 'satisfied' } }));
  expect(closed.status).toBe('closed');
  expect(closed.obligations).toEqual([]);
});
