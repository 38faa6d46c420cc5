/**
 * The console end to end in Debian's Chromium against the local stack (free ports, serving web/dist):
 * - a proposal's whole life through the UI only: a member submits it, the keyword match assigns it
 *   to 商务局, the lead unit signs and records a 面商, the co-units sign and give their opinions (the
 *   sample city waits for them), the lead replies, the office approves, the member rates 不满意, the
 *   unit replies again, the office approves, the member rates 满意: 已办结. The API is read only to
 *   check state.
 * - role checks: a unit neither lists nor opens another unit's proposal; a member is offered no
 *   office action where the office is offered 审核通过.
 * - field errors from the server shown beside their fields (a blank reply, a bad email).
 * - 统计与报告 for the office.
 * - 委员名册 for the office (filters, edit dialog with field errors); a co-proposer's 联名确认 (task,
 *   action, email with the console's link). Proposers are picked from the directory, never typed.
 * - the review's findings: Chinese text for problems (no API detail), no browser validation tooltip,
 *   the sticky top bar not covering what is scrolled into view, a query change not remounting the
 *   page, 重新办理 in the member's timeline, the leader's top bar, the list at 768 px.
 * Screenshots of each main screen go to tmp/screenshots/ on every run.
 * Elements are found as a person finds them: by role and accessible name, or by label.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { SCREENSHOTS, shot, type Who } from './support.ts';
import { consoleSession } from './session.ts';

const session = consoleSession('console');
const { pageAs, errors } = session;

const MEMBER: Who = { role: 'member', memberId: 'm-001' };
const OFFICE: Who = { role: 'office' };
const unit = (id: string): Who => ({ role: 'unit', unit: id });

async function open(page: Page, path: string): Promise<void> {
  await page.goto(`${session.cs.base}${path}`);
}

/** The proposal as the API shows it to the office (for assertions only). */
async function proposal(id: string): Promise<any> {
  const res = await session.cs.api(`/v1/proposals/${id}`, OFFICE);
  expect(res.status).toBe(200);
  return res.body;
}

async function waitForStatus(id: string, status: string): Promise<any> {
  let p: any;
  await expect.poll(async () => (p = await proposal(id)).status, { timeout: 20_000, interval: 200 }).toBe(status);
  return p;
}

/** The dialog an action button opened (named by its title). */
const dialog = (page: Page, name: string): Locator => page.getByRole('dialog', { name });

/** Clicks an action that asks for confirmation (签收, 审核通过) and confirms with 确定. */
async function confirmAction(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name, exact: true }).click();
  const box = dialog(page, name);
  await box.getByRole('button', { name: '确定' }).click();
  await box.waitFor({ state: 'hidden' });
  await page.getByRole('button', { name, exact: true }).waitFor({ state: 'hidden' });
}

/** Picks an option of a select found by its label, as a keyboard user does: focus, ↓ opens the list. */
async function choose(scope: Locator | Page, page: Page, label: string, option: string | RegExp): Promise<void> {
  const box = scope.getByLabel(label, { exact: true }).and(scope.getByRole('combobox'));
  await box.focus();
  await box.press('ArrowDown');
  await page.getByRole('option', { name: option }).filter({ visible: true }).first().click();
}

/** Opens an action's dialog from its button; the dialog. */
async function openAction(page: Page, button: string): Promise<Locator> {
  await page.getByRole('button', { name: button, exact: true }).click();
  const d = dialog(page, button);
  await d.waitFor();
  return d;
}

async function submitDialog(page: Page, d: Locator, submit: string): Promise<void> {
  await d.getByRole('button', { name: submit, exact: true }).click();
  await d.waitFor({ state: 'hidden' });
}

/**
 * Waits for an error message matching `message` in `scope` and checks it sits beside the field
 * labelled `label`: right under its control, within its column.
 */
async function errorBeside(scope: Locator | Page, label: string, message: RegExp): Promise<string> {
  const error = scope.getByText(message).first();
  await error.waitFor({ timeout: 10_000 });
  const [field, err] = [await scope.getByLabel(label, { exact: true }).boundingBox(), await error.boundingBox()];
  expect(field && err, `${label} and its error are on screen`).toBeTruthy();
  expect(err!.y).toBeGreaterThanOrEqual(field!.y + field!.height - 2);
  expect(err!.y - (field!.y + field!.height)).toBeLessThan(30);
  expect(err!.x).toBeGreaterThanOrEqual(field!.x - 30);
  expect(err!.x).toBeLessThan(field!.x + field!.width);
  return (await error.textContent()) ?? '';
}

let lifecycleId = '';
let memberSeq = 10;

/**
 * A proposal taken through the API as far as asked (setup for the tests that are not about the
 * lifecycle): submitted by a member, assigned by keywords to `lead`, signed by every unit, opinions
 * of the co-units, a 面商, a reply of `replyClass` approved by the office, the member's rating.
 */
async function seed(
  title: string,
  body: string,
  lead: string,
  o: { replyClass?: 'A' | 'B' | 'C' | 'D'; contact?: boolean; satisfaction?: string },
): Promise<string> {
  const memberId = `m-${String(++memberSeq).padStart(3, '0')}`;
  const member: Who = { role: 'member', memberId };
  const sub = await session.cs.api('/v1/proposals', member, {
    method: 'POST',
    body: { title, body, proposers: [{ memberId }] },
  });
  expect(sub.status, JSON.stringify(sub.body)).toBe(201);
  const id = sub.body.id as string;
  await session.cs.stack.drain();
  const p = await waitForStatus(id, 'assigned');
  expect(p.lead).toBe(lead);
  const ok = async (path: string, who: Who, body?: unknown) => {
    const res = await session.cs.api(path, who, { method: 'POST', ...(body !== undefined ? { body } : {}) });
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
  };
  await ok(`/v1/proposals/${id}/units/${lead}/acknowledge`, unit(lead));
  for (const co of p.co as string[]) {
    await ok(`/v1/proposals/${id}/units/${co}/acknowledge`, unit(co));
    await ok(`/v1/proposals/${id}/units/${co}/opinion`, unit(co), { text: '同意主办单位意见。' });
  }
  if (o.contact)
    await ok(`/v1/proposals/${id}/contacts`, unit(lead), {
      unit: lead,
      mode: 'face_to_face',
      at: new Date(Date.now() - 3_600_000).toISOString(),
      note: '当面听取委员意见。',
    });
  if (!o.replyClass) return id;
  const replied = await ok(`/v1/proposals/${id}/replies`, unit(lead), { class: o.replyClass, text: `关于“${title}”的答复：已研究办理。` });
  const n = Math.max(...replied.replies.map((r: any) => r.n));
  await ok(`/v1/proposals/${id}/replies/${n}/approve`, OFFICE);
  if (o.satisfaction) await ok(`/v1/proposals/${id}/feedback`, member, { n, satisfaction: o.satisfaction });
  await session.cs.stack.drain();
  return id;
}

describe('the console in Chromium', () => {
  it('takes a proposal through its whole life, every step in the UI', async () => {
    // 1. The member submits (提交提案).
    const member = await pageAs(MEMBER, '/proposals/new');
    await member.getByRole('heading', { name: '提交提案', exact: true }).waitFor();
    await member.getByLabel('标题', { exact: true }).fill('关于发展夜市经济促进夜间消费的建议');
    await member
      .getByLabel('正文', { exact: true })
      .fill('建议规划建设特色夜市街区，完善夜市配套设施，加强夜市餐饮食品安全管理，定期开展食品安全检查，促进夜间消费，繁荣步行街商圈。');
    // The member is the first proposer, named from the 委员名册 (no name or address to type).
    await member.getByTestId('first-proposer').getByText('王丽（m-001，经济界）').waitFor();
    await shot(member, '01-member-new-proposal');
    await member.getByRole('button', { name: '提交提案', exact: true }).click();
    await member.waitForURL(/\/proposals\/[0-9a-f-]{36}$/);
    const id = (lifecycleId = member.url().split('/').at(-1)!);

    // The keyword match assigns it (the reactor): lead 商务局.
    await session.cs.stack.drain();
    const assigned = await waitForStatus(id, 'assigned');
    expect(assigned.lead).toBe('commerce');
    const coUnits: string[] = assigned.co;

    // 2. The lead unit: its 我的待办 lists it; it signs (签收) and records a 面商.
    const lead = await pageAs(unit('commerce'), '/');
    await lead.getByRole('heading', { name: '我的待办', exact: true }).waitFor();
    await lead.getByRole('link', { name: assigned.number }).first().waitFor();
    await shot(lead, '02-unit-tasks');
    await lead.getByRole('link', { name: assigned.number }).first().click();
    await lead.waitForURL(`**/proposals/${id}`);
    await lead.getByRole('button', { name: '签收', exact: true }).waitFor();
    await shot(lead, '03-unit-proposal-detail');
    await confirmAction(lead, '签收');

    const contact = await openAction(lead, '记录面商');
    await choose(contact, lead, '联系方式', '当面');
    await contact.getByLabel('情况记录', { exact: true }).fill('与王丽委员当面沟通夜市选址和食品安全监管的办理思路。');
    await shot(lead, '04-dialog-contact');
    await submitDialog(lead, contact, '保存');
    await lead.getByRole('cell', { name: /与王丽委员当面沟通/ }).waitFor();

    // 3. The co-units sign and give their opinions (the city waits for them before the reply).
    for (const co of coUnits) {
      const page = await pageAs(unit(co), `/proposals/${id}`);
      await page
        .getByRole('button', { name: '协办意见', exact: true })
        .or(page.getByRole('button', { name: '签收', exact: true }))
        .first()
        .waitFor();
      if (await page.getByRole('button', { name: '签收', exact: true }).isVisible()) await confirmAction(page, '签收');
      const d = await openAction(page, '协办意见');
      await d.getByLabel('意见内容', { exact: true }).fill('同意主办单位意见，本单位将配合做好相关监管工作。');
      await submitDialog(page, d, '提交意见');
      await page.getByRole('button', { name: '协办意见', exact: true }).waitFor({ state: 'hidden' });
    }

    // 4. The lead replies. A blank reply is refused by the server: its message shows beside 答复内容.
    await lead.reload();
    const reply = await openAction(lead, '答复');
    await choose(reply, lead, '答复类别', /^B类/);
    await reply.getByLabel('答复内容', { exact: true }).fill('   ');
    const refused = lead.waitForResponse((r) => r.url().endsWith(`/v1/proposals/${id}/replies`) && r.request().method() === 'POST');
    await reply.getByRole('button', { name: '提交答复', exact: true }).click();
    expect((await refused).status()).toBe(400);
    expect(await errorBeside(reply, '答复内容', /不能为空|必填/)).not.toMatch(/[A-Za-z]{3}/);
    await shot(lead, '05-dialog-reply-field-error');
    await reply.getByLabel('答复内容', { exact: true }).fill('已将夜市街区建设列入明年商贸工作计划，会同市场监管部门加强食品安全检查。');
    await submitDialog(lead, reply, '提交答复');
    await waitForStatus(id, 'reply_review');

    // 5. The office approves (审核通过). Its list shows the proposal.
    const office = await pageAs(OFFICE, '/proposals');
    await office
      .getByRole('link', { name: assigned.number })
      .or(office.getByRole('cell', { name: assigned.number }))
      .first()
      .waitFor();
    await shot(office, '06-office-proposal-list');
    // At 1280 px every column shows; on a tablet (768 px) 提案人 and 答复期限 give way and the table fits.
    await office.getByRole('columnheader', { name: '答复期限' }).waitFor();
    await office.setViewportSize({ width: 768, height: 1024 });
    await office.getByRole('columnheader', { name: '答复期限' }).waitFor({ state: 'detached' });
    expect(await office.getByRole('columnheader', { name: '提案人' }).count()).toBe(0);
    const lastColumn = await office.getByRole('columnheader', { name: '状态灯' }).boundingBox();
    expect(lastColumn).toBeTruthy();
    expect(lastColumn!.x + lastColumn!.width).toBeLessThanOrEqual(768 - 16);
    expect(await office.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(768);
    await shot(office, '06-office-proposal-list-tablet');
    await office.setViewportSize({ width: 1280, height: 800 });
    await open(office, `/proposals/${id}`);
    await office.getByRole('button', { name: '审核通过', exact: true }).waitFor();
    await shot(office, '07-office-proposal-detail-review');
    // What the browser scrolls into view stops below the sticky top bar, not under it.
    const bar = (await office.getByRole('banner').boundingBox())!;
    const bodyHeading = office.getByRole('heading', { name: '正文', exact: true });
    await bodyHeading.evaluate((h) => h.scrollIntoView());
    expect(await office.evaluate('window.scrollY')).toBeGreaterThan(0);
    expect((await bodyHeading.boundingBox())!.y).toBeGreaterThanOrEqual(bar.y + bar.height);
    await office.evaluate('window.scrollTo(0, document.documentElement.scrollHeight)');
    const print = office.getByRole('button', { name: '打印' });
    await print.focus();
    expect((await print.boundingBox())!.y).toBeGreaterThanOrEqual(bar.y + bar.height);
    await office.evaluate('window.scrollTo(0, 0)');
    await confirmAction(office, '审核通过');
    await waitForStatus(id, 'replied');

    // 6. The member reads the reply and rates it 不满意.
    await open(member, `/proposals/${id}`);
    await member.getByText('已将夜市街区建设列入明年商贸工作计划', { exact: false }).first().waitFor();
    await shot(member, '08-member-proposal-replied');
    const rate1 = await openAction(member, '评价');
    await rate1.getByRole('radio', { name: '不满意' }).check({ force: true });
    await rate1.getByLabel('评价意见', { exact: true }).fill('夜市选址未征求周边居民意见，请进一步研究。');
    await submitDialog(member, rate1, '提交评价');
    await waitForStatus(id, 'rehandling');

    // 7. The unit re-handles: replies again; the office approves again.
    await lead.reload();
    const reply2 = await openAction(lead, '答复');
    await choose(reply2, lead, '答复类别', /^A类/);
    await reply2.getByLabel('答复内容', { exact: true }).fill('已征求周边居民意见并调整夜市选址，新址已于本月开放。');
    await submitDialog(lead, reply2, '提交答复');
    await waitForStatus(id, 'reply_review');
    await office.reload();
    await confirmAction(office, '审核通过');
    await waitForStatus(id, 'replied');

    // 8. The member rates 满意: the proposal is closed (已办结).
    await member.reload();
    const rate2 = await openAction(member, '评价');
    await rate2.getByRole('radio', { name: '满意', exact: true }).check({ force: true });
    await submitDialog(member, rate2, '提交评价');
    const closed = await waitForStatus(id, 'closed');
    expect(closed.feedback.map((f: any) => f.satisfaction)).toEqual(['dissatisfied', 'satisfied']);
    expect(closed.replies.filter((r: any) => r.status === 'approved')).toHaveLength(2);
    expect(closed.contacts).toEqual([expect.objectContaining({ unit: 'commerce', mode: 'face_to_face' })]);
    await member.reload();
    await member.getByText('已办结', { exact: true }).first().waitFor();
    // 办理过程 shows the 重新办理 that the 不满意 started, between the two replies.
    const steps = await member.getByRole('region', { name: '办理过程' }).locator('strong').allTextContents();
    expect(steps.filter((t) => t === '重新办理')).toHaveLength(1);
    const rehandled = steps.indexOf('重新办理');
    expect(steps.slice(0, rehandled)).toContain('满意度评价');
    expect(steps.slice(rehandled + 1)).toContain('提交答复');
    await shot(member, '09-member-proposal-closed');
    await open(member, '/proposals');
    await member
      .getByRole('link', { name: assigned.number })
      .or(member.getByRole('cell', { name: assigned.number }))
      .first()
      .waitFor();
    await shot(member, '10-member-proposal-list');
  });

  it('shows a unit only its own proposals, and a member no office action', async () => {
    // A second proposal, through the API (this test is about what each role is offered), to 司法局,
    // brought to the office's review of its reply.
    const memberToken = MEMBER;
    const sub = await session.cs.api('/v1/proposals', memberToken, {
      method: 'POST',
      body: {
        title: '关于扩大法律援助覆盖面的建议',
        body: '建议扩大法律援助覆盖面，完善公共法律服务体系，加强人民调解。',
        proposers: [{ memberId: 'm-001' }],
      },
    });
    expect(sub.status).toBe(201);
    const id = sub.body.id as string;
    await session.cs.stack.drain();
    const p = await waitForStatus(id, 'assigned');
    expect(p.lead).toBe('justice');
    await session.cs.api(`/v1/proposals/${id}/units/justice/acknowledge`, unit('justice'), { method: 'POST' });
    for (const co of p.co as string[]) {
      await session.cs.api(`/v1/proposals/${id}/units/${co}/acknowledge`, unit(co), { method: 'POST' });
      await session.cs.api(`/v1/proposals/${id}/units/${co}/opinion`, unit(co), { method: 'POST', body: { text: '同意。' } });
    }
    const replied = await session.cs.api(`/v1/proposals/${id}/replies`, unit('justice'), {
      method: 'POST',
      body: { class: 'A', text: '已扩大法律援助覆盖面。' },
    });
    expect(replied.status).toBe(200);
    await waitForStatus(id, 'reply_review');

    // 司法局 sees it; 商务局 neither lists it nor opens it.
    const justice = await pageAs(unit('justice'), '/proposals');
    await justice.getByText(p.number, { exact: true }).first().waitFor();
    const commerce = await pageAs(unit('commerce'), '/proposals');
    await commerce
      .getByText(/年度提案/)
      .first()
      .waitFor();
    await commerce.waitForLoadState('networkidle');
    await expect.poll(() => commerce.getByText('关于扩大法律援助覆盖面的建议').count()).toBe(0);
    if (lifecycleId) await commerce.getByText('关于发展夜市经济促进夜间消费的建议').first().waitFor();
    await open(commerce, `/proposals/${id}`);
    await commerce.getByRole('heading', { name: '提案不存在或无权查看' }).waitFor();
    await expect.poll(() => commerce.getByText('关于扩大法律援助覆盖面的建议').count()).toBe(0);
    expect(await commerce.getByText(/not found|proposal/i).count()).toBe(0);
    await shot(commerce, '11-unit-other-units-proposal');
    await commerce.getByRole('link', { name: '返回提案列表' }).click();
    await commerce.waitForURL(/\/proposals$/);
    await commerce
      .getByText(/年度提案/)
      .first()
      .waitFor();

    // The office is offered 审核通过 and 退回; the member, on the same proposal, nothing of the office's.
    const office = await pageAs(OFFICE, `/proposals/${id}`);
    await office.getByRole('button', { name: '审核通过', exact: true }).waitFor();
    await office.getByRole('button', { name: '退回', exact: true }).waitFor();
    const member = await pageAs(MEMBER, `/proposals/${id}`);
    await member.getByRole('heading', { name: /关于扩大法律援助覆盖面的建议/ }).waitFor();
    await member.waitForLoadState('networkidle');
    for (const name of ['审核通过', '退回', '交办', '调整承办单位', '审查立案', '延期', '签收', '答复']) {
      expect(await member.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    }
    // Nor does the member's menu offer 统计与报告 (it does offer 提案列表; the office's does offer
    // 统计与报告), and the member does not see the office's reply under review.
    const memberMenu = member.getByRole('complementary', { name: '主菜单' });
    await memberMenu.getByRole('link', { name: '提案列表', exact: true }).waitFor();
    expect(await memberMenu.getByRole('link', { name: '统计与报告' }).count()).toBe(0);
    expect(await office.getByRole('complementary', { name: '主菜单' }).getByRole('link', { name: '统计与报告' }).count()).toBe(1);
    expect(await member.getByText('已扩大法律援助覆盖面。').count()).toBe(0);
  });

  it("shows the server's field errors beside their fields on 提交提案", async () => {
    const office = await pageAs(OFFICE, '/proposals/new');
    await office.getByRole('heading', { name: '提交提案', exact: true }).waitFor();
    await office.getByLabel('标题', { exact: true }).fill('关于加强校园安全的建议');
    await office.getByLabel('正文', { exact: true }).fill('建议加强中小学校园安全管理。');
    // The office picks the proposers from the 委员名册; a 集体提案 without its name: the server's
    // message shows in Chinese beside the field (the form leaves the check to the server).
    await choose(office, office, '第一提案人', /李建国（m-002/);
    await office.getByText('以界别、党派或专委会名义提出').click();
    const refused = office.waitForResponse((r) => new URL(r.url()).pathname === '/v1/proposals' && r.request().method() === 'POST');
    await office.getByRole('button', { name: '提交提案', exact: true }).click();
    const answer = await refused;
    expect(answer.status()).toBe(400);
    expect(await answer.json()).toMatchObject({ errors: [expect.objectContaining({ path: 'collective.name' })] });
    expect(await errorBeside(office, '集体名称', /集体名称不能为空/)).toBe('集体名称不能为空');
    expect(office.url()).toMatch(/\/proposals\/new$/);
    await shot(office, '12-new-proposal-field-error');
  });

  it('shows the office 统计与报告: figures, charts, per-unit table, 通报 and the annual report', async () => {
    // More of the year, through the API (this test is about the page): proposals to other units at
    // other stages, so that the charts and tables have something to show.
    await seed('关于推进居家养老服务的建议', '建议发展社区养老和居家养老服务，加大养老补贴。', 'civil-affairs', {
      replyClass: 'A',
      contact: true,
      satisfaction: 'satisfied',
    });
    await seed('关于加强中小学校园安全的建议', '建议加强中小学校园安全，完善学校周边交通秩序。', 'education', {
      replyClass: 'B',
      satisfaction: 'basically_satisfied',
    });
    await seed('关于优化城乡公交线路的建议', '建议优化城乡公交线路，增加农村公路客运班次。', 'transport', {
      replyClass: 'C',
      contact: true,
      satisfaction: 'dissatisfied',
    });
    await seed('关于老旧小区加装充电桩的建议', '建议在老旧小区改造中统筹建设充电桩，完善物业管理。', 'housing', {});

    const office = await pageAs(OFFICE, '/reports');
    await office.getByRole('heading', { name: '统计与报告', exact: true }).waitFor();
    await office.getByText('提案总数').waitFor();
    await office
      .getByRole('img', { name: /各承办单位/ })
      .locator('canvas')
      .waitFor();
    await office.getByRole('table').first().waitFor();
    await expect
      .poll(() => office.getByRole('region', { name: '各承办单位' }).getByRole('cell', { name: '民政局', exact: true }).count())
      .toBeGreaterThan(0);
    await office.waitForTimeout(500); // the charts' entry animation
    await shot(office, '13-office-reports');

    // Printed (A4): the page alone, without the menu, the top bar and the buttons.
    await office.emulateMedia({ media: 'print' });
    expect(await office.getByRole('complementary', { name: '主菜单' }).isVisible()).toBe(false);
    expect(await office.getByRole('button', { name: '打印' }).isVisible()).toBe(false);
    await office.getByText('提案总数').waitFor();
    await shot(office, '13-office-reports-print');
    const pdf = await office.pdf({ preferCSSPageSize: true, printBackground: true });
    writeFileSync(join(SCREENSHOTS, '13-office-reports-print.pdf'), pdf);
    const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [
      Math.round(Number(m[1])),
      Math.round(Number(m[2])),
    ]);
    expect(boxes.length).toBeGreaterThan(0);
    for (const b of boxes) expect(b).toEqual([595, 842]); // A4 in points
    await office.emulateMedia({ media: 'screen' });

    // On a tablet (768 px) the charts stack and the menu folds away behind its button.
    await office.setViewportSize({ width: 768, height: 1024 });
    await office.waitForTimeout(300);
    await shot(office, '13-office-reports-tablet');
    await office.setViewportSize({ width: 1280, height: 800 });

    // Another year: its figures, and the year in the address; the page stays (not rebuilt).
    const pageRoot = await office.getByRole('main').evaluateHandle((m) => m.firstElementChild);
    await choose(office, office, '年度', '2025年');
    await office.getByText('2025 年度，数据截至', { exact: false }).waitFor();
    await office.waitForURL(/\/reports\?year=2025$/);
    expect(await pageRoot.evaluate((el) => el?.isConnected)).toBe(true);
    await choose(office, office, '年度', '2026年');
    await office.getByText('2026 年度，数据截至', { exact: false }).waitFor();

    await office.getByRole('tab', { name: '通报' }).click();
    await office.getByRole('heading', { name: /提案办理情况通报/ }).waitFor();
    await shot(office, '14-office-reports-bulletin');

    await office.getByRole('tab', { name: '年度报告' }).click();
    await office.getByRole('button', { name: '查看年度报告' }).click();
    const frame = office.getByTitle('年度提案办理工作情况报告').contentFrame();
    await frame
      .getByRole('heading', { name: /提案办理工作情况报告/ })
      .first()
      .waitFor();
    await frame.getByRole('heading', { name: /基本情况/ }).waitFor();
    const download = office.waitForEvent('download');
    await office.getByRole('button', { name: '下载 Markdown' }).click();
    expect((await download).suggestedFilename()).toMatch(/\.md$/);
    await shot(office, '15-office-annual-report');

    // The office's menu offers the page; a member's does not.
    expect(await office.getByRole('complementary', { name: '主菜单' }).getByRole('link', { name: '统计与报告' }).count()).toBe(1);
    const member = await pageAs(MEMBER, '/');
    await member.getByRole('heading', { name: '我的待办', exact: true }).waitFor();
    await shot(member, '16-member-tasks');
    const memberMenu = member.getByRole('complementary', { name: '主菜单' });
    await memberMenu.getByRole('link', { name: '我的待办', exact: true }).waitFor();
    expect(await memberMenu.getByRole('link', { name: '统计与报告' }).count()).toBe(0);

    // A leader: offered the page; the top bar names the role once (分管领导, not 分管领导 · 分管领导).
    const leader = await pageAs({ role: 'leader' }, '/');
    await leader.getByRole('heading', { name: '我的待办', exact: true }).waitFor();
    await leader.waitForLoadState('networkidle');
    expect(await leader.getByTestId('identity').textContent()).toBe('分管领导');
    expect(await leader.getByRole('complementary', { name: '主菜单' }).getByRole('link', { name: '统计与报告' }).count()).toBe(1);
    await shot(leader, '17-leader-tasks');
  });

  it('shows the office the 委员名册: filters, the edit dialog with field errors beside the fields, the import hint', async () => {
    const office = await pageAs(OFFICE, '/members');
    await office.getByRole('heading', { name: /委员名册（\d+ 人）/ }).waitFor();
    await office.getByRole('cell', { name: '古丽娜尔·买买提', exact: true }).waitFor();
    await office.getByText('npm run import:members', { exact: false }).waitFor();
    await choose(office, office, '界别', '少数民族界');
    await expect.poll(async () => office.getByRole('cell', { name: '王丽', exact: true }).count()).toBe(0);
    await office.getByRole('cell', { name: '艾尔肯·吐尔逊', exact: true }).waitFor();
    await shot(office, '13-members');
    await office.getByRole('button', { name: '新增委员', exact: true }).click();
    const d = dialog(office, '新增委员');
    await d.getByLabel('委员编号', { exact: true }).fill('m-900');
    await d.getByLabel('姓名', { exact: true }).fill('新委员');
    await d.getByLabel('电子邮箱', { exact: true }).fill('not-an-address');
    await d.getByRole('button', { name: '保存', exact: true }).click();
    expect(await errorBeside(d, '界别', /界别不能为空/)).toBe('界别不能为空');
    expect(await errorBeside(d, '电子邮箱', /电子邮箱地址格式不正确/)).toBe('电子邮箱地址格式不正确');
    await shot(office, '14-member-dialog-errors');
    // Units and members have no 委员名册 in their menu.
    const member = await pageAs(MEMBER, '/');
    await member.getByRole('link', { name: '提案列表' }).waitFor();
    expect(await member.getByRole('link', { name: '委员名册' }).count()).toBe(0);
  });

  it('asks a co-proposer to confirm the 联名 in 我的待办 and on the proposal; confirmed, it counts as theirs', async () => {
    const sub = await session.cs.api('/v1/proposals', MEMBER, {
      method: 'POST',
      body: {
        title: '关于完善社区养老服务的建议',
        body: '建议发展社区养老服务，完善养老设施。',
        proposers: [{ memberId: 'm-001' }, { memberId: 'm-002' }],
      },
    });
    expect(sub.status, JSON.stringify(sub.body)).toBe(201);
    const id = sub.body.id as string;
    await session.cs.stack.drain();
    const co = await pageAs({ role: 'member', memberId: 'm-002' }, '/');
    await co.getByText('联名确认', { exact: true }).first().waitFor();
    await shot(co, '15-cosign-task');
    await open(co, `/proposals/${id}`);
    const d = await openAction(co, '联名确认');
    await d.getByRole('radio', { name: '同意联名', exact: true }).check({ force: true });
    await submitDialog(co, d, '提交确认');
    await expect.poll(async () => (await proposal(id)).proposers[1].cosign).toBe('accepted');
    await co.getByRole('button', { name: '联名确认', exact: true }).waitFor({ state: 'hidden' });
    await shot(co, '16-cosign-confirmed');
    const mails = (await (await fetch(`${session.cs.base}/_local/emails`)).json()) as { to: string[]; subject: string; text: string }[];
    const asked = mails.filter((m) => m.subject.includes('联名确认') && m.to.includes('lijianguo@example.com'));
    expect(asked).toHaveLength(1);
    expect(asked[0]!.text).toContain(`/proposals/${id}`);
  });

  it('ran without uncaught errors in the pages', () => {
    expect(errors).toEqual([]);
  });
});
