/**
 * The office's powers in the console, in Debian's Chromium on the local stack (issue 19): the lead unit
 * asks for more time (申请延期) on the proposal's page; the request shows in the office's 我的待办 as
 * 延期审批; the office approves it (审批延期) and the reply deadline moves to the date asked for.
 */
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { shot, type Who } from './support.ts';
import { consoleSession } from './session.ts';

const session = consoleSession('office-powers');
const { pageAs, errors } = session;

const OFFICE: Who = { role: 'office' };
const MEMBER: Who = { role: 'member', memberId: 'm-002' };
const unit = (id: string): Who => ({ role: 'unit', unit: id });

async function proposal(id: string): Promise<any> {
  const res = await session.cs.api(`/v1/proposals/${id}`, OFFICE);
  expect(res.status).toBe(200);
  return res.body;
}

async function openAction(page: Page, button: string): Promise<Locator> {
  await page.getByRole('button', { name: button, exact: true }).click();
  const d = page.getByRole('dialog', { name: button });
  await d.waitFor();
  return d;
}

describe('the office decides a unit’s extension request in the console', () => {
  it('the lead unit asks for more time, the office approves it from 我的待办, the reply deadline moves', async () => {
    const sub = await session.cs.api('/v1/proposals', MEMBER, {
      method: 'POST',
      body: {
        title: '关于发展夜市经济促进消费的建议',
        body: '建议规范夜市管理，完善夜市周边停车场和公交线路，加强食品安全检查。',
        proposers: [{ memberId: 'm-002' }],
      },
    });
    expect(sub.status, JSON.stringify(sub.body)).toBe(201);
    const id = sub.body.id as string;
    await session.cs.stack.drain();
    let p: any;
    await expect.poll(async () => (p = await proposal(id)).status, { timeout: 20_000, interval: 200 }).toBe('assigned');
    const lead = p.lead as string;
    // A month after the current reply deadline (within replyMax), as the city's calendar writes dates.
    const until = new Date(Date.parse(p.deadlines.reply) + 30 * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

    // The lead unit: 申请延期 on the proposal's page.
    const unitPage = await pageAs(unit(lead), `/proposals/${id}`);
    const ask = await openAction(unitPage, '申请延期');
    const date = ask.getByLabel('延至', { exact: true });
    await date.fill(until);
    await date.press('Enter');
    await ask.getByLabel('延期理由', { exact: true }).fill('夜市选址需会同自然资源部门专题调研，原定期限内难以完成。');
    await shot(unitPage, 'office-powers-01-unit-request-extension');
    await ask.getByRole('button', { name: '提交延期申请', exact: true }).click();
    await ask.waitFor({ state: 'hidden' });
    await unitPage.getByRole('button', { name: '申请延期', exact: true }).waitFor({ state: 'hidden' });
    const asked = await proposal(id);
    expect(asked.extensionRequests).toEqual([expect.objectContaining({ n: 1, unit: lead, reason: expect.stringContaining('专题调研') })]);
    expect(asked.extensionRequests[0].until.slice(0, 10)).toBe(until);

    // The office: the request in 我的待办 (延期审批), then 审批延期 on the proposal's page.
    const office = await pageAs(OFFICE, '/');
    await office.getByRole('heading', { name: '我的待办', exact: true }).waitFor();
    const row = office.getByRole('row').filter({ hasText: p.number }).filter({ hasText: '延期审批' });
    await row.first().waitFor();
    await shot(office, 'office-powers-02-office-tasks');
    await office.goto(`${session.cs.base}/proposals/${id}`);
    const decide = await openAction(office, '审批延期');
    await decide
      .getByText(/同意延期/)
      .first()
      .click();
    await decide.getByLabel('审批意见', { exact: true }).fill('同意延期，请按新的期限答复。');
    await shot(office, 'office-powers-03-office-decide-extension');
    await decide.getByRole('button', { name: '提交审批', exact: true }).click();
    await decide.waitFor({ state: 'hidden' });
    await office.getByRole('button', { name: '审批延期', exact: true }).waitFor({ state: 'hidden' });

    const decided = await proposal(id);
    expect(decided.extensionRequests[0].decision).toMatchObject({ approve: true, reason: '同意延期，请按新的期限答复。' });
    expect(decided.deadlines.reply.slice(0, 10)).toBe(until);
    expect(decided.obligations.some((o: { id: string }) => o.id === 'extensionDecision')).toBe(false);
    await office.getByText('已同意').first().waitFor();
    await shot(office, 'office-powers-04-office-approved');
    expect(errors).toEqual([]);
  });
});
