/**
 * Deadlines on the local stack with the clock moved forward (a simulated stretch of the year): the
 * 签收 (acknowledge) reminders come on working days before the deadline, the escalation ladder climbs
 * level by level after it, no reminder mail goes out at night or on a day off, and nothing more
 * comes once the unit acknowledges. Crosses 2026's Mid-Autumn Festival and National Day holidays.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { WorkingCalendar } from '#domain/calendar.ts';
import { startApi, type Api } from './support.ts';

const config = loadCityConfigFile('infra/cities/alar.yaml');
const calendar = new WorkingCalendar({ timeZone: config.timeZone, ...config.calendar });
const HOUR = 3_600_000;

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api?.stack.stop();
});

interface Seen {
  at: Date;
  subject: string;
  to: string[];
  text: string;
}

/** Moves the clock in steps, sweeping at each; returns the emails each sweep caused, with the clock time. */
async function run(from: Date, until: Date, stepMs: number): Promise<Seen[]> {
  const seen: Seen[] = [];
  let known = (await api.emails()).length;
  for (let t = from.getTime(); t <= until.getTime(); t += stepMs) {
    await api.call('POST', '/_local/clock', { body: { set: new Date(t).toISOString() } });
    const res = await api.call('POST', '/_local/sweep');
    if ((res.body.result?.fired ?? 0) === 0) continue;
    await api.settle();
    const all = await api.emails();
    for (const m of all.slice(known)) seen.push({ at: new Date(t), subject: m.subject, to: m.to, text: m.text });
    known = all.length;
  }
  return seen;
}

describe('a simulated stretch of the year', () => {
  it('reminds before the 签收 deadline, escalates level by level after it, never at night or on a day off, and stops once acknowledged', async () => {
    const start = new Date('2026-09-21T10:00:00+08:00'); // Monday; Mid-Autumn and National Day ahead
    await api.call('POST', '/_local/clock', { body: { set: start.toISOString() } });
    const member = await api.token('member', { memberId: 'm-deadline' });
    const res = await api.call('POST', '/v1/proposals', {
      token: member,
      body: {
        title: '关于规范夜市管理的建议',
        body: '夜市占道经营，夜市噪音扰民。',
        proposers: [{ memberId: 'm-deadline' }],
      },
    });
    expect(res.status).toBe(201);
    await api.settle();
    const office = await api.token('office');
    const p = (await api.call('GET', `/v1/proposals/${res.body.id}`, { token: office })).body;
    expect(p.lead).toBe('commerce');
    const deadline = new Date(p.deadlines.acknowledge);
    expect(calendar.isWorkday(calendar.localDate(deadline))).toBe(true);

    const before = await run(start, new Date(deadline.getTime() + 30 * 24 * HOUR), 2 * HOUR);
    const mine = before.filter((m) => m.subject.includes(p.number) && m.text.includes('签收'));
    const reminders = mine.filter((m) => m.subject.includes('办理提醒'));
    const escalations = mine.filter((m) => !m.subject.includes('办理提醒'));

    // Reminders: -3wd and -1wd (the -10wd one lies before the assignment), on working mornings before the deadline.
    expect(reminders.length).toBe(2);
    for (const m of reminders) expect(m.at.getTime()).toBeLessThan(deadline.getTime());
    expect(calendar.localDate(reminders[1]!.at)).toBe(calendar.addWorkdays(calendar.localDate(deadline), -1));
    expect(calendar.localDate(reminders[0]!.at)).toBe(calendar.addWorkdays(calendar.localDate(deadline), -3));

    // The ladder: 催办 (level 1) -> 督办 (2) -> 报分管领导 (3), in that order, after the deadline.
    const levelOf = (s: string) => (s.includes('报分管领导') ? 3 : s.includes('督办') ? 2 : s.includes('催办') ? 1 : 0);
    const levels = escalations.map((m) => levelOf(m.subject));
    expect(levels.slice(0, 3)).toEqual([1, 2, 3]);
    for (const m of escalations) expect(m.at.getTime()).toBeGreaterThan(deadline.getTime());
    const level3 = escalations.find((m) => levelOf(m.subject) === 3)!;
    expect(level3.to).toEqual(expect.arrayContaining(config.email.leaders.map((l) => l.email)));

    // No reminder or escalation mail at night or on a day off (quiet hours 20:00-08:00, holidays, weekends).
    for (const m of before.filter((x) => /办理提醒|催办|督办/.test(x.subject))) {
      expect(calendar.isQuiet(m.at), `${m.subject} at ${m.at.toISOString()}`).toBe(false);
    }
    const after = (await api.call('GET', `/v1/proposals/${p.id}`, { token: office })).body;
    expect(after.escalationLevel).toBeGreaterThanOrEqual(3);
    expect(after.trafficLight).toBe('red');

    // The unit acknowledges: no more 签收 mail, and the level drops.
    const unit = await api.token('unit', { unit: 'commerce' });
    const ack = await api.call('POST', `/v1/proposals/${p.id}/units/commerce/acknowledge`, { token: unit });
    expect(ack.status).toBe(200);
    const lastAt = new Date((await api.call('GET', '/_local/clock')).body.now);
    const later = await run(new Date(lastAt.getTime() + 2 * HOUR), new Date(lastAt.getTime() + 15 * 24 * HOUR), 6 * HOUR);
    expect(later.filter((m) => m.subject.includes(p.number) && m.text.includes('签收'))).toEqual([]);
  });
});
