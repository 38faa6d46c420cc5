/**
 * 分办 end to end in Debian's Chromium against the local stack of the sample city (infra/cities/alar.yaml):
 * a proposal on night markets and their bus links goes by keyword to 商务局; the office splits it in the
 * console between 商务局 and 交通运输局 (调整承办单位, 其他主办单位); each unit answers its own part in the
 * console (答复); the office approves both, choosing which reply first (审核通过); the proposer rates each
 * part (评价, choosing which) and the proposal shows 已办结. The API is used for the steps in between
 * (签收, 协办意见) and to check state. Screenshots under tmp/screenshots/ (split-*.png).
 */
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { shot, type Who } from './support.ts';
import { consoleSession } from './session.ts';

const session = consoleSession('split');
const { pageAs, errors } = session;

const OFFICE: Who = { role: 'office' };
const PROPOSER: Who = { role: 'member', memberId: 'm-002' };
const unit = (id: string): Who => ({ role: 'unit', unit: id });
const [A, B] = ['commerce', 'transport'];

async function proposal(id: string, who: Who = OFFICE): Promise<any> {
  const res = await session.cs.api(`/v1/proposals/${id}`, who);
  expect(res.status).toBe(200);
  return res.body;
}

async function ok(path: string, who: Who, body?: unknown): Promise<any> {
  const res = await session.cs.api(path, who, { method: 'POST', ...(body !== undefined ? { body } : {}) });
  expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
}

const button = (page: Page | Locator, name: string): Locator => page.getByRole('button', { name, exact: true });

async function openAction(page: Page, name: string): Promise<Locator> {
  await button(page, name).click();
  const d = page.getByRole('dialog', { name });
  await d.waitFor();
  return d;
}

async function submitDialog(d: Locator, submit: string): Promise<void> {
  await button(d, submit).click();
  await d.waitFor({ state: 'hidden' });
}

/** Picks an option of a select found by its label: focus, ↓ opens the list. */
async function choose(scope: Locator, page: Page, label: string, option: string | RegExp): Promise<void> {
  const box = scope.getByLabel(label, { exact: true }).and(scope.getByRole('combobox'));
  await box.focus();
  await box.press('ArrowDown');
  await page.getByRole('option', { name: option }).filter({ visible: true }).first().click();
  await box.press('Escape').catch(() => undefined);
}

/** The row of the proposal's 基本信息 that names its lead units. */
const leadRow = (page: Page): Locator => page.getByRole('row').filter({ hasText: '主办单位' });

describe('分办 in Chromium', () => {
  it('the office splits a proposal between two units; each answers its part; the office approves both; the proposer rates both', async () => {
    // The proposer submits (API); 商务局 leads by keyword.
    const sub = await session.cs.api('/v1/proposals', PROPOSER, {
      method: 'POST',
      body: {
        title: '关于夜市经济与公交接驳的建议',
        body: '建议规范夜市管理，促进消费；夜市周边增开夜间公交线路，建设停车场。',
        proposers: [{ memberId: 'm-002' }],
      },
    });
    expect(sub.status, JSON.stringify(sub.body)).toBe(201);
    const id = sub.body.id as string;
    const path = `/proposals/${id}`;
    await session.cs.stack.drain();
    let p: any;
    await expect.poll(async () => (p = await proposal(id)).status, { timeout: 20_000, interval: 200 }).toBe('assigned');
    expect(p.lead).toBe(A);

    // 1. The office: 调整承办单位, 交通运输局 as a further lead unit (分办).
    const office = await pageAs(OFFICE, path);
    await office.getByRole('heading', { name: p.title }).waitFor();
    const assign = await openAction(office, '调整承办单位');
    await choose(assign, office, '其他主办单位（分办，各自答复一部分）', '交通运输局');
    await assign.getByLabel('理由', { exact: true }).fill('夜市管理与公交接驳分别由两个部门答复。');
    await shot(office, 'split-01-office-assign');
    await submitDialog(assign, '交办');
    await leadRow(office).getByText('分办', { exact: false }).waitFor();
    p = await proposal(id);
    expect(p).toMatchObject({ lead: A, leads: [A, B], units: { [A]: { role: 'lead' }, [B]: { role: 'lead' } } });
    expect(p.co).not.toContain(B);
    await leadRow(office).getByText('交通运输局').waitFor();
    await office.getByText('主办（分办）：商务局、交通运输局', { exact: false }).first().waitFor();
    await shot(office, 'split-02-office-split');

    // Every unit signs for it, the co-units give their opinions (API): the lead units may answer.
    for (const u of [A, B, ...p.co]) await ok(`/v1/proposals/${id}/units/${u}/acknowledge`, unit(u));
    for (const u of p.co) await ok(`/v1/proposals/${id}/units/${u}/opinion`, unit(u), { text: '同意。' });

    // 2. Each lead unit answers its own part in the console.
    const answers: Record<string, string> = {
      [A]: '已制定夜市管理办法，规范经营时间和食品安全检查。',
      [B]: '已开通夜间公交线路两条，夜市周边新建停车场一处。',
    };
    for (const u of [A, B]) {
      const page = await pageAs(unit(u), path);
      await leadRow(page).getByText('分办', { exact: false }).waitFor();
      const d = await openAction(page, '答复');
      expect(await d.getByLabel('答复内容', { exact: true }).inputValue()).toBe(''); // not the other part's reply
      await choose(d, page, '答复类别', /^A类/);
      await d.getByLabel('答复内容', { exact: true }).fill(answers[u]!);
      if (u === B) await shot(page, 'split-03-unit-reply');
      await submitDialog(d, '提交答复');
      await page.getByRole('region', { name: '答复' }).getByText(answers[u]!).waitFor();
    }
    p = await proposal(id);
    expect(p.status).toBe('reply_review');
    expect(p.replies.map((r: any) => [r.n, r.unit, r.status])).toEqual([
      [1, A, 'review'],
      [2, B, 'review'],
    ]);

    // 3. The office approves both: which one first is chosen in the dialog.
    await office.reload();
    const first = await openAction(office, '审核通过');
    await choose(first, office, '答复', '第1次答复（交通运输局）');
    await shot(office, 'split-04-office-approve-choose');
    await submitDialog(first, '确定');
    await expect.poll(async () => (await proposal(id)).replies.map((r: any) => r.status)).toEqual(['review', 'approved']);
    const second = await openAction(office, '审核通过');
    expect(await second.getByLabel('答复', { exact: true }).count()).toBe(0); // one left: no choice
    await submitDialog(second, '确定');
    await expect.poll(async () => (await proposal(id)).status).toBe('replied');

    // 4. The proposer rates each part's answer.
    const member = await pageAs(PROPOSER, path);
    await member.getByRole('region', { name: '答复' }).getByText(answers[B]!).waitFor();
    const rate = await openAction(member, '评价');
    await rate.getByText('请分别评价各单位的答复', { exact: false }).waitFor();
    await choose(rate, member, '评价的答复', '第1次答复（交通运输局）');
    await rate.getByText('满意', { exact: true }).click();
    await rate.getByLabel('评价意见', { exact: true }).fill('夜间公交很方便。');
    await shot(member, 'split-05-member-rate-choose');
    await submitDialog(rate, '提交评价');
    await expect.poll(async () => (await proposal(id)).feedback.map((f: any) => f.n)).toEqual([2]);
    expect((await proposal(id)).status).toBe('replied');
    const last = await openAction(member, '评价');
    expect(await last.getByLabel('评价的答复', { exact: true }).count()).toBe(0);
    await last.getByText('基本满意', { exact: true }).click();
    await submitDialog(last, '提交评价');
    await expect.poll(async () => (await proposal(id)).status).toBe('closed');
    expect((await proposal(id)).feedback.map((f: any) => [f.n, f.satisfaction])).toEqual([
      [2, 'satisfied'],
      [1, 'basically_satisfied'],
    ]);
    await member.getByText('已办结', { exact: true }).first().waitFor();
    await button(member, '评价').waitFor({ state: 'hidden' });
    // Each unit's answer is its own 第1次答复 (the proposal's replies 1 and 2).
    const replies = member.getByRole('region', { name: '答复' }).getByRole('article', { name: '第1次答复' });
    expect(await replies.count()).toBe(2);
    await shot(member, 'split-06-member-closed');
    expect(errors).toEqual([]);
  });
});
