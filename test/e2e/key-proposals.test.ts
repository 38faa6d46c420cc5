/**
 * Key proposals (重点提案) end to end in Debian's Chromium against the local stack (the sample city):
 * the office marks an assigned proposal a key proposal led by 分管副市长 (设为重点提案, 领办领导), that
 * leader signs in by name, sees it and records a 批示 through the UI, and the lead unit sees the 批示 in
 * its timeline and signs it (签收批示). The API is read only to check state. Screenshots under
 * tmp/screenshots/ (key-*.png).
 */
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { shot, type Who } from './support.ts';
import { consoleSession } from './session.ts';

const session = consoleSession('key');
const { pageAs, errors } = session;

const OFFICE: Who = { role: 'office' };
const LEADER: Who = { role: 'leader', leader: '分管副市长' };

async function proposal(id: string): Promise<any> {
  const res = await session.cs.api(`/v1/proposals/${id}`, OFFICE);
  expect(res.status).toBe(200);
  return res.body;
}

const dialog = (page: Page, name: string): Locator => page.getByRole('dialog', { name });

async function openAction(page: Page, button: string): Promise<Locator> {
  await page.getByRole('button', { name: button, exact: true }).click();
  const d = dialog(page, button);
  await d.waitFor();
  return d;
}

async function submitDialog(d: Locator, submit: string): Promise<void> {
  await d.getByRole('button', { name: submit, exact: true }).click();
  await d.waitFor({ state: 'hidden' });
}

/** Picks an option of a select found by its label: focus, ↓ opens the list. */
async function choose(scope: Locator, page: Page, label: string, option: string): Promise<void> {
  const box = scope.getByLabel(label, { exact: true }).and(scope.getByRole('combobox'));
  await box.focus();
  await box.press('ArrowDown');
  await page.getByRole('option', { name: option }).filter({ visible: true }).first().click();
}

/** A proposal the office submits on a member's behalf, assigned by keyword (夜市 -> 商务局). */
async function assignedProposal(): Promise<any> {
  const text = { title: '关于规划建设夜市街区促进夜间消费的建议', body: '建议规划建设夜市街区，加强夜市食品安全管理，促进消费。' };
  let res = await session.cs.api('/v1/proposals', OFFICE, { method: 'POST', body: { ...text, proposers: [{ memberId: 'm-001' }] } });
  // (A runtime without the member directory still takes the proposer's name and address.)
  if (res.status === 400)
    res = await session.cs.api('/v1/proposals', OFFICE, {
      method: 'POST',
      body: { ...text, proposers: [{ memberId: 'm-001', name: '王丽', email: 'wangli@example.com' }] },
    });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await session.cs.stack.drain();
  let p: any;
  await expect.poll(async () => (p = await proposal(res.body.id)).status, { timeout: 20_000, interval: 200 }).toBe('assigned');
  return p;
}

describe('key proposals in Chromium', () => {
  it('the office marks a key proposal with its leader, the leader records a 批示, the unit signs it', async () => {
    const p = await assignedProposal();
    const path = `/proposals/${p.id}`;

    // 1. The office: 设为重点提案, 领办领导 分管副市长.
    const office = await pageAs(OFFICE, path);
    await office.getByRole('heading', { name: p.title }).waitFor();
    const d = await openAction(office, '设为重点提案');
    await choose(d, office, '领办领导', '分管副市长');
    await shot(office, 'key-01-office-set-key');
    await submitDialog(d, '确定');
    await office.getByText('领办领导：分管副市长').first().waitFor();
    expect(await proposal(p.id)).toMatchObject({ key: true, leader: '分管副市长' });
    await office.getByRole('button', { name: '调整重点提案', exact: true }).waitFor();

    // 2. The leader, signed in by name: sees it (重点提案 in the list), records a 批示.
    const leader = await pageAs(LEADER, '/proposals');
    await leader.getByRole('link', { name: p.number, exact: true }).first().click();
    await leader.waitForURL(new RegExp(`${path}$`));
    await leader.getByText('领办领导：分管副市长').first().waitFor();
    const instruct = await openAction(leader, '批示');
    await instruct.getByLabel('批示内容', { exact: true }).fill('请商务局牵头，会同有关部门抓紧研究夜市街区规划，年内见成效。');
    await shot(leader, 'key-02-leader-instruction');
    await submitDialog(instruct, '提交批示');
    await expect.poll(async () => (await proposal(p.id)).instructions.length, { timeout: 10_000 }).toBe(1);
    await leader.getByText('领导批示', { exact: true }).first().waitFor();
    await shot(leader, 'key-03-leader-timeline');
    const after = await proposal(p.id);
    expect(after.instructions[0]).toMatchObject({ n: 1, leader: '分管副市长' });
    expect(Object.keys(after.instructions[0].units).sort()).toEqual([p.lead, ...p.co].sort());

    // 3. The lead unit: the 批示 in its timeline, 签收批示.
    const unit = await pageAs({ role: 'unit', unit: p.lead }, path);
    await unit.getByText('请商务局牵头，会同有关部门抓紧研究夜市街区规划，年内见成效。').first().waitFor();
    await unit.getByRole('button', { name: '签收批示', exact: true }).click();
    const confirm = dialog(unit, '签收批示');
    await confirm.getByRole('button', { name: '确定' }).click();
    await unit.getByRole('button', { name: '签收批示', exact: true }).waitFor({ state: 'hidden' });
    await shot(unit, 'key-04-unit-acknowledged');
    const signed = await proposal(p.id);
    expect(signed.instructions[0].units[p.lead].acknowledgedAt).toEqual(expect.any(String));
    expect(signed.obligations.filter((o: any) => o.obligation === 'instruction').map((o: any) => o.unit)).toEqual(p.co);

    // The timeline (the office's audit trail) names both steps.
    await office.reload();
    await office.getByText('领导批示', { exact: true }).first().waitFor();
    await office.getByText('签收批示', { exact: true }).first().waitFor();
    expect(errors).toEqual([]);
  });
});
