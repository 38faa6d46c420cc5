/**
 * The demo year's annual report shows the measures of issue 20. The demo (scripts/demo.ts) drives
 * scripts/demo-data.ts through the local stack in about a minute; here the same year is laid out by
 * hand as the demo leaves it (units from the keyword matcher, replies in three March batches approved
 * two days later, the slow unit replying late, 不满意 re-handled, 界别 from the member file) and the
 * report is rendered from the city's own settings, as GET /v1/reports/annual does.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { WorkingCalendar } from '#domain/calendar.ts';
import { KeywordMatcher } from '#domain/matcher.ts';
import { proposalSchema, type Proposal, type ProposalInput } from '#domain/proposal.ts';
import { computeStatistics } from '#domain/statistics.ts';
import { renderAnnualReport } from '#render/annual-report.ts';
import { unitNames } from '#domain/city-config.ts';
import type { Satisfaction } from '#events/domain-events.ts';
import { late, MEMBER_FILE, members, proposals } from '../../scripts/demo-data.ts';

const root = new URL('../../', import.meta.url).pathname;
const config = loadCityConfigFile(`${root}infra/cities/alar.yaml`);
const calendar = new WorkingCalendar({ timeZone: config.timeZone, ...config.calendar });
const matcher = KeywordMatcher.fromUnits(config.units);
const SLOW_UNIT = 'natural-resources';
const cst = (local: string) => new Date(`2026-${local.replace(' ', 'T')}+08:00`).toISOString();
const eod = (day: string) => cst(`${day} 23:59:59`);
const plusWorkdays = (day: string, n: number) => calendar.addWorkdays(`2026-${day}`, n).slice(5);
const NOW = new Date(cst('12-31 10:00'));

// 委员名册: 界别 per member id (委员编号,姓名,界别,...).
const sectors = new Map(
  readFileSync(`${root}${MEMBER_FILE}`, 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((l) => l.split(','))
    .map(([id = '', , sector = '']) => [id, sector]),
);
const proposer = (i: number) => {
  const m = members[i]!;
  return { memberId: m.memberId, name: m.name, email: `${m.memberId}@example.com`, sector: sectors.get(m.memberId) };
};

const ratingsFor = (i: number, n: number): Satisfaction[] =>
  Array.from({ length: n }, (_, k) => (i === 0 && k === n - 1 ? 'dissatisfied' : (i + k) % 3 === 1 ? 'basically_satisfied' : 'satisfied'));

function demoYear(): Proposal[] {
  const out: Proposal[] = [];
  proposals.forEach((d, i) => {
    const m = matcher.assign(d.title, d.body, config.assignment);
    if (!m.lead) return;
    const lead = m.lead;
    const slow = lead === SLOW_UNIT;
    const day = slow ? '05-06' : (['03-02', '03-13', '03-24'] as const)[d.batch ?? 0];
    const signed = cst(`${day} 10:00`);
    const reply = (n: number, round: number, at: string, cls: string, text: string) => ({
      n,
      round,
      unit: lead,
      replyClass: cls,
      text,
      status: 'approved' as const,
      submittedAt: at,
      signedAt: at,
      reviewFrom: at,
      reviewBy: eod(plusWorkdays(at.slice(5, 10), 5)),
      decidedAt: new Date(Date.parse(at) + 2 * 86_400_000).toISOString(),
    });
    const by = d.by.map(proposer);
    const replies = [reply(1, 1, signed, d.cls, d.reply)];
    const feedback = ratingsFor(i, by.length).map((satisfaction, k) => ({
      n: 1,
      memberId: by[k]!.memberId,
      satisfaction,
      at: cst('04-01 10:00'),
    }));
    if (i === 0) {
      replies.push(reply(2, 2, cst('04-08 10:00'), 'A', '已选址建设夜市街区一期。'));
      feedback.push(...by.map((x) => ({ n: 2, memberId: x.memberId, satisfaction: 'satisfied' as const, at: cst('04-10 10:00') })));
    }
    const input: ProposalInput = {
      id: `d${i + 1}`,
      number: `2026-${String(i + 1).padStart(3, '0')}`,
      year: 2026,
      seq: i + 1,
      title: d.title,
      body: d.body,
      category: d.category,
      key: !!d.key,
      proposers: by,
      submittedBy: { role: 'member', sub: by[0]!.memberId },
      status: 'closed',
      lead,
      co: m.co,
      matches: [],
      deadlines: { acknowledge: eod('01-19'), contact: eod('02-09'), reply: eod('04-13') },
      escalationLevel: 0,
      units: Object.fromEntries([
        [lead, { role: 'lead', assignedAt: cst('01-12 09:00'), acknowledgedAt: cst(slow ? '01-28 10:00' : '01-13 10:00') }],
        ...m.co.map((c) => [c, { role: 'co', assignedAt: cst('01-12 09:00'), acknowledgedAt: cst('01-14 10:00') }]),
      ]),
      contacts: d.contact ? [{ unit: lead, mode: d.contact, at: cst('02-01 10:00'), note: '面商', recordedAt: cst('02-01 10:00') }] : [],
      replies,
      feedback,
      rehandles: i === 0 ? 1 : 0,
      ...(d.cls === 'B' && i !== 0 ? { followUp: { open: true, progress: [] } } : {}),
      version: 1,
      createdAt: cst('01-10 09:00'),
      updatedAt: cst('04-10 09:00'),
    };
    out.push(proposalSchema.parse(input));
  });
  // Submitted in October: its contact is overdue at year end, its reply not due yet.
  const m = matcher.assign(late.title, late.body, config.assignment);
  const first = out.find((p) => !p.followUp)!;
  out.push(
    proposalSchema.parse({
      ...first,
      id: 'late',
      number: `2026-${String(out.length + 1).padStart(3, '0')}`,
      seq: out.length + 1,
      title: late.title,
      body: late.body,
      category: late.category,
      key: false,
      proposers: late.by.map(proposer),
      status: 'in_progress',
      lead: m.lead,
      co: [],
      units: { [m.lead ?? '']: { role: 'lead', assignedAt: cst('10-12 09:00'), acknowledgedAt: cst('10-13 09:00') } },
      deadlines: { acknowledge: eod('10-19'), contact: eod('11-02'), reply: new Date('2027-01-10T23:59:59+08:00').toISOString() },
      contacts: [],
      replies: [],
      feedback: [],
      rehandles: 0,
    }),
  );
  return out;
}

const year = demoYear();
const stats = computeStatistics(2026, year, NOW, {
  classes: config.replies.classes,
  weights: config.assessment.weights,
  calendar,
});
const md = renderAnnualReport(
  stats,
  year,
  {
    name: config.name,
    timeZone: config.timeZone,
    unitName: unitNames(config),
    classes: config.replies.classes,
    weights: config.assessment.weights,
  },
  'md',
);

describe("the demo year's annual report", () => {
  it('is built from every demo proposal, each assigned by keyword', () => {
    expect(year).toHaveLength(proposals.length + 1);
    expect(stats.assigned).toBe(year.length);
  });

  it('reports 办结率 and 办复率 by answered proposals, 按时办复率 by the units’ own time, and no 按时办结率', () => {
    const slow = year.filter((p) => p.lead === SLOW_UNIT);
    expect(slow.length).toBeGreaterThan(0);
    // All but the October one answered; the slow unit's replies left it after the deadline.
    expect(stats.answered).toBe(year.length - 1);
    expect([stats.onTime, stats.replyDue]).toEqual([year.length - 1 - slow.length, year.length - 1]);
    expect(md).toContain(`已办复${stats.answered}件，办结率`);
    expect(md).toContain(`按时办复率`);
    expect(md).toContain(`（承办单位签发答复未超过办理期限，${stats.onTime}/${stats.replyDue}件）`);
    expect(md).not.toContain('按时办结率');
  });

  it('shows 满意率 and 基本满意率 apart, 评价反馈率, 面商率 and 沟通率, and the office review time', () => {
    expect(md).toMatch(/满意率\d+(\.\d)?%，基本满意率\d+(\.\d)?%，满意和基本满意合计\d+(\.\d)?%/);
    expect(md).toContain('评价反馈率');
    expect(md).toContain(`面商率`);
    expect(md).toContain(`沟通率`);
    expect(md).toContain(`政府办审核承办单位答复${stats.officeReview.reviews}件次`);
  });

  it('has the tables per theme and per 界别 (from the member directory)', () => {
    expect(md).toContain('### 各主题办理情况');
    expect(md).toContain('| 社会民生 |');
    expect(md).toContain('### 各界别提案办理情况');
    expect(md).toContain('| 经济界 |');
    expect(md).not.toContain('未登记界别');
  });

  it('assesses every lead unit (附表二), the slow unit last among them, its late replies named', () => {
    expect(md).toContain('## 附表二：各承办单位办理考评');
    const leads = new Set(year.map((p) => p.lead));
    for (const u of leads) expect(stats.assessment.some((a) => a.unit === u)).toBe(true);
    const slow = stats.assessment.find((a) => a.unit === SLOW_UNIT)!;
    expect(slow.sources.replyOnTime.missed).toEqual(year.filter((p) => p.lead === SLOW_UNIT).map((p) => p.number));
    expect(md).toContain(`按时办复：${slow.sources.replyOnTime.missed.join('、')}`);
    const scored = stats.assessment.filter((a) => leads.has(a.unit) && a.score !== null);
    expect(Math.min(...scored.map((a) => a.score ?? 0))).toBe(slow.score);
  });
});
