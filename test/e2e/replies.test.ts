/**
 * Replies as practice has them (issue 20) end to end in Debian's Chromium against the local stack of
 * the sample city with 签发 and 会签 (infra/cities/shihezi.yaml): a proposal on schools and their
 * clinics goes to 教育局 (lead) with 卫生健康委员会 (co). The lead unit drafts its reply while the
 * co-unit's opinion is awaited (起草答复), edits the draft (修改草稿) and submits it (答复); its head
 * signs it (签发, the 文号 is taken); the co-unit countersigns (会签); the office corrects the class
 * and approves (审核通过); the proposer sees the reply and opens its letter (查看答复函). The API is
 * used for the steps before the reply and to check state. Screenshots under tmp/screenshots/ (replies-*.png).
 */
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { shot, type Who } from './support.ts';
import { consoleSession } from './session.ts';

const MEMBER = { memberId: 'm-101', name: '陈静', sector: '教育界', email: 'chenjing@example.com', active: true };

const session = consoleSession('replies', { cityConfig: 'infra/cities/shihezi.yaml', members: [MEMBER] });
const { pageAs, errors } = session;

const OFFICE: Who = { role: 'office' };
const LEAD: Who = { role: 'unit', unit: 'education' };
const HEAD: Who = { role: 'unit', unit: 'education', unitHead: true, name: '李局长' };
const CO: Who = { role: 'unit', unit: 'health' };
const PROPOSER: Who = { role: 'member', memberId: MEMBER.memberId };

/** The proposal as `who` sees it (a reply that has not left the unit is the lead unit's alone). */
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

const dialog = (page: Page, name: string): Locator => page.getByRole('dialog', { name });
const button = (page: Page | Locator, name: string): Locator => page.getByRole('button', { name, exact: true });

async function openAction(page: Page, name: string): Promise<Locator> {
  await button(page, name).click();
  const d = dialog(page, name);
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
}

/** The reply section of a proposal's page. */
const replies = (page: Page): Locator => page.getByRole('region', { name: '答复' });

/** A proposal the office submits for the member, assigned by keyword to 教育局 with 卫生健康委员会, acknowledged by both. */
async function assignedProposal(): Promise<any> {
  const body = {
    title: '关于加强校园安全和学生心理健康教育的建议',
    body: '学校教育和校园安全需加强，教师和学生的心理健康教育不足；学校卫生室医疗条件差，建议改善。',
    proposers: [{ memberId: MEMBER.memberId }],
  };
  const res = await session.cs.api('/v1/proposals', OFFICE, { method: 'POST', body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await session.cs.stack.drain();
  let p: any;
  await expect.poll(async () => (p = await proposal(res.body.id)).status, { timeout: 20_000, interval: 200 }).toBe('assigned');
  expect(p.lead).toBe('education');
  expect(p.co).toContain('health');
  for (const unit of [p.lead, ...p.co]) await ok(`/v1/proposals/${p.id}/units/${unit}/acknowledge`, { role: 'unit', unit });
  return proposal(p.id);
}

describe('replies in Chromium (签发 and 会签 on)', () => {
  it('the unit drafts, edits and submits; the head signs; the co-unit countersigns; the office corrects the class; the proposer reads the letter', async () => {
    const p = await assignedProposal();
    const path = `/proposals/${p.id}`;
    const others = p.co.filter((u: string) => u !== 'health');

    // 1. The lead unit drafts while the co-units' opinions are awaited: 起草答复 is offered, 答复 not yet.
    const lead = await pageAs(LEAD, path);
    await lead.getByRole('heading', { name: p.title }).waitFor();
    await button(lead, '起草答复').waitFor();
    expect(await button(lead, '答复').count()).toBe(0);
    const draft = await openAction(lead, '起草答复');
    await choose(draft, lead, '答复类别', /^B类/);
    await draft.getByLabel('答复内容', { exact: true }).fill('已将校园安全和心理健康教育列入明年工作计划。');
    await draft.getByLabel('联系人', { exact: true }).fill('张老师');
    await draft.getByLabel('联系电话', { exact: true }).fill('0993-2012345');
    await shot(lead, 'replies-01-unit-draft');
    await submitDialog(draft, '保存草稿');
    await replies(lead).getByText('草稿', { exact: true }).waitFor();
    let now = await proposal(p.id, LEAD);
    expect(now.replies).toMatchObject([
      { n: 1, status: 'draft', replyClass: 'B', letter: { contactName: '张老师', disclosure: 'public' } },
    ]);

    // The co-units give their opinions (API); then 答复 is offered too.
    await ok(`/v1/proposals/${p.id}/units/health/opinion`, CO, { text: '卫健委将指导学校卫生室标准化建设。' });
    for (const unit of others) await ok(`/v1/proposals/${p.id}/units/${unit}/opinion`, { role: 'unit', unit }, { text: '同意。' });

    // 2. The unit edits its draft (the form starts from it), then submits it.
    await lead.reload();
    const edit = await openAction(lead, '修改草稿');
    await expect.poll(() => edit.getByLabel('答复内容', { exact: true }).inputValue()).toBe('已将校园安全和心理健康教育列入明年工作计划。');
    expect(await edit.getByLabel('联系人', { exact: true }).inputValue()).toBe('张老师');
    await edit
      .getByLabel('答复内容', { exact: true })
      .fill('已将校园安全和心理健康教育列入明年工作计划，会同卫健委为全市中小学卫生室配备基本医疗设备。');
    await submitDialog(edit, '保存草稿');
    await expect.poll(async () => (await proposal(p.id, LEAD)).replies[0].text).toContain('卫生室配备基本医疗设备');
    const submit = await openAction(lead, '答复');
    expect(await submit.getByLabel('答复内容', { exact: true }).inputValue()).toContain('卫生室配备基本医疗设备');
    await submitDialog(submit, '提交答复');
    await replies(lead).getByText('待签发', { exact: true }).waitFor();
    expect((await proposal(p.id, LEAD)).replies[0]).toMatchObject({ n: 1, status: 'signing' });
    expect((await proposal(p.id)).replies).toEqual([]); // not the office's yet
    expect(await button(lead, '签发').count()).toBe(0); // not the head

    // 3. The head: 签发答复 in 我的待办, then 签发 as 李局长 (the 文号 is taken).
    const head = await pageAs(HEAD, '/');
    await head.getByRole('cell', { name: '签发答复', exact: true }).waitFor();
    await shot(head, 'replies-02-head-tasks');
    await head.getByRole('link', { name: p.number, exact: true }).first().click();
    await head.waitForURL(new RegExp(`${path}$`));
    const sign = await openAction(head, '签发');
    expect(await sign.getByLabel('签发人', { exact: true }).inputValue()).toBe('李局长');
    await shot(head, 'replies-03-head-sign');
    await submitDialog(sign, '确定签发');
    now = await proposal(p.id);
    expect(now.replies[0]).toMatchObject({
      status: 'countersign',
      letter: { signer: '李局长', docNumber: expect.stringMatching(/^教育函〔\d{4}〕1号$/) },
    });
    await replies(head).getByText(now.replies[0].letter.docNumber).waitFor();

    // 4. The co-unit countersigns (会签).
    const co = await pageAs(CO, path);
    await replies(co).getByText('会签中', { exact: true }).waitFor();
    const countersign = await openAction(co, '会签');
    await countersign.getByLabel('会签意见', { exact: true }).fill('同意，卫健委负责卫生室设备的技术指导。');
    await shot(co, 'replies-04-co-countersign');
    await submitDialog(countersign, '确定会签');
    await replies(co).getByText('卫生健康委员会 已会签').waitFor();
    for (const unit of others) await ok(`/v1/proposals/${p.id}/replies/1/countersign`, { role: 'unit', unit });
    await expect.poll(async () => (await proposal(p.id)).replies[0].status).toBe('review');

    // 5. The office corrects the class (a reason is needed: the server's message shows beside it) and approves.
    const office = await pageAs(OFFICE, path);
    const approve = await openAction(office, '审核通过');
    await choose(approve, office, '答复类别', /^A类/);
    await button(approve, '确定').click();
    await approve.getByText('更正答复类别需要说明理由').waitFor();
    await approve.getByLabel('更正理由（更正类别时填写）', { exact: true }).fill('设备已配备到位，所提问题已经解决。');
    await shot(office, 'replies-05-office-approve');
    await submitDialog(approve, '确定');
    await replies(office).getByText('已通过', { exact: true }).waitFor();
    now = await proposal(p.id);
    expect(now.status).toBe('replied');
    expect(now.replies[0]).toMatchObject({
      status: 'approved',
      replyClass: 'A',
      classCorrection: { from: 'B', reason: '设备已配备到位，所提问题已经解决。' },
    });
    await replies(office).getByText('政府办将答复类别由 B类 更正为 A类').waitFor();
    // The audit trail names each step.
    for (const step of ['起草答复', '提交答复', '签发答复', '会签答复', '答复审核通过'])
      await office.getByText(step, { exact: true }).first().waitFor();
    await shot(office, 'replies-06-office-approved');

    // 6. The proposer sees the reply and opens its letter in a new tab.
    const member = await pageAs(PROPOSER, path);
    await replies(member).getByText('已将校园安全和心理健康教育列入明年工作计划', { exact: false }).waitFor();
    await shot(member, 'replies-07-member-reply');
    const [letter] = await Promise.all([member.context().waitForEvent('page'), button(replies(member), '查看答复函').click()]);
    await letter.waitForURL(/^blob:/);
    await letter.getByText(now.replies[0].letter.docNumber).first().waitFor();
    await letter.getByText('卫生室配备基本医疗设备', { exact: false }).first().waitFor();
    session.keep(letter);
    await shot(letter, 'replies-08-letter');
    expect(errors).toEqual([]);
  });
});
