import { describe, expect, it } from 'vitest';
import type { DomainEvent, ProposalView } from '../api/types';
import { timelineFromEvents, timelineFromView } from './timeline';

const names: Record<string, string> = { commerce: '商务局', transport: '交通运输局' };
const unitName = (id: string) => names[id] ?? id;
const ev = (
  type: string,
  data: Record<string, unknown>,
  actor: DomainEvent['actor'] = { role: 'system', sub: 's' },
  at = '2026-03-01T02:00:00Z',
) => ({ eventId: type, proposalId: 'p', seq: 1, at, actor, type, data }) as DomainEvent;

describe('timeline', () => {
  it('names each audit event in Chinese with its actor and a line of detail', () => {
    const items = timelineFromEvents(
      [
        ev('ProposalAssigned', { lead: 'commerce', co: ['transport'], matches: [], by: 'keywords', deadlines: {} }),
        ev('UnitAcknowledged', { unit: 'commerce' }, { role: 'unit', sub: 'u', unit: 'commerce' }),
        ev(
          'ReplySubmitted',
          { n: 1, unit: 'commerce', replyClass: 'B', text: 't', round: 1 },
          { role: 'unit', sub: 'u', unit: 'commerce' },
        ),
        ev('Escalated', { obligation: 'reply', unit: 'commerce', deadline: 'x', level: 2, step: 1, to: [], key: false }),
      ],
      unitName,
    );
    expect(items.map((i) => [i.title, i.actor, i.detail])).toEqual([
      ['交办', '系统', '主办：商务局；协办：交通运输局'],
      ['签收', '商务局', undefined],
      ['提交答复', '商务局', '商务局 B类（所提问题正在解决或已列入计划逐步解决）'],
      ['催办督办', '系统', '商务局 答复（第2级）'],
    ]);
  });

  it('builds a member’s timeline from the view’s dates, oldest first', () => {
    const view = {
      createdAt: '2026-03-01T01:00:00Z',
      units: { commerce: { role: 'lead', assignedAt: '2026-03-01T01:01:00Z', acknowledgedAt: '2026-03-03T01:00:00Z' } },
      contacts: [],
      replies: [
        {
          n: 1,
          round: 1,
          unit: 'commerce',
          replyClass: 'A',
          text: 't',
          status: 'approved',
          submittedAt: '2026-04-01T00:00:00Z',
          decidedAt: '2026-04-02T00:00:00Z',
        },
      ],
      feedback: [{ n: 1, memberId: 'm-001', satisfaction: 'satisfied', at: '2026-04-05T00:00:00Z' }],
      closedAt: '2026-04-05T00:00:01Z',
    } as unknown as ProposalView;
    expect(timelineFromView(view, unitName).map((i) => i.title)).toEqual([
      '提交提案',
      '交办',
      '签收',
      '提交答复',
      '答复审核通过',
      '满意度评价',
      '办结',
    ]);
  });

  describe('重新办理 in a member’s timeline', () => {
    const base = {
      createdAt: '2026-03-01T01:00:00Z',
      units: { commerce: { role: 'lead', assignedAt: '2026-03-01T01:01:00Z' } },
      contacts: [],
    };
    const reply = (n: number, round: number, submittedAt: string, decidedAt?: string) => ({
      n,
      round,
      unit: 'commerce',
      replyClass: 'A',
      text: 't',
      status: decidedAt ? 'approved' : 'review',
      submittedAt,
      ...(decidedAt ? { decidedAt } : {}),
    });
    const titles = (v: unknown) => timelineFromView(v as ProposalView, unitName).map((i) => i.title);

    it('puts it between the 不满意 rating and the second reply', () => {
      const view = {
        ...base,
        status: 'closed',
        replies: [reply(1, 1, '2026-04-01T00:00:00Z', '2026-04-02T00:00:00Z'), reply(2, 2, '2026-04-10T00:00:00Z', '2026-04-11T00:00:00Z')],
        feedback: [
          { n: 1, memberId: 'm-001', satisfaction: 'dissatisfied', comment: '请进一步研究。', at: '2026-04-05T00:00:00Z' },
          { n: 2, memberId: 'm-001', satisfaction: 'satisfied', at: '2026-04-12T00:00:00Z' },
        ],
        closedAt: '2026-04-12T00:00:01Z',
      };
      expect(titles(view)).toEqual([
        '提交提案',
        '交办',
        '提交答复',
        '答复审核通过',
        '满意度评价',
        '重新办理',
        '提交答复',
        '答复审核通过',
        '满意度评价',
        '办结',
      ]);
      const item = timelineFromView(view as unknown as ProposalView, unitName).find((i) => i.title === '重新办理');
      expect(item).toEqual({
        at: '2026-04-05T00:00:00Z',
        title: '重新办理',
        detail: '对第1次答复不满意，承办单位重新办理：请进一步研究。',
      });
    });

    it('shows it while the unit re-handles, before any second reply', () => {
      const view = {
        ...base,
        status: 'rehandling',
        replies: [reply(1, 1, '2026-04-01T00:00:00Z', '2026-04-02T00:00:00Z')],
        feedback: [{ n: 1, memberId: 'm-001', satisfaction: 'dissatisfied', at: '2026-04-05T00:00:00Z' }],
      };
      expect(titles(view).slice(-2)).toEqual(['满意度评价', '重新办理']);
    });

    it('shows it once when several proposers rate 不满意, and not when a 不满意 closed the proposal', () => {
      const twice = {
        ...base,
        status: 'reply_review',
        replies: [reply(1, 1, '2026-04-01T00:00:00Z', '2026-04-02T00:00:00Z'), reply(2, 2, '2026-04-10T00:00:00Z')],
        feedback: [
          { n: 1, memberId: 'm-001', satisfaction: 'dissatisfied', at: '2026-04-05T00:00:00Z' },
          { n: 1, memberId: 'm-002', satisfaction: 'dissatisfied', at: '2026-04-06T00:00:00Z' },
        ],
      };
      expect(titles(twice).filter((t) => t === '重新办理')).toHaveLength(1);
      const closed = {
        ...base,
        status: 'closed',
        replies: [reply(1, 1, '2026-04-01T00:00:00Z', '2026-04-02T00:00:00Z')],
        feedback: [{ n: 1, memberId: 'm-001', satisfaction: 'dissatisfied', at: '2026-04-05T00:00:00Z' }],
        closedAt: '2026-04-05T00:00:01Z',
      };
      expect(titles(closed)).not.toContain('重新办理');
    });

    it('is not started by a 不满意 of the 二次答复', () => {
      const view = {
        ...base,
        status: 'rehandling',
        replies: [reply(1, 1, '2026-04-01T00:00:00Z', '2026-04-02T00:00:00Z')],
        feedback: [
          { n: 1, memberId: 'm-001', satisfaction: 'satisfied', at: '2026-04-05T00:00:00Z' },
          { n: 1, memberId: 'm-001', satisfaction: 'dissatisfied', at: '2026-09-05T00:00:00Z', second: true },
        ],
      };
      expect(titles(view)).toEqual(['提交提案', '交办', '提交答复', '答复审核通过', '满意度评价', '二次答复评价']);
    });
  });

  describe('the reply steps (issue 20)', () => {
    const unit = { role: 'unit', sub: 'u', unit: 'commerce' } as const;
    const office = { role: 'office', sub: 'o' } as const;
    const classes = [
      { code: 'A', name: '已解决' },
      { code: 'S', name: '列入规划' },
    ];

    it('names 起草, 签发, 会签, the class correction, the 二次答复 and its rating', () => {
      const items = timelineFromEvents(
        [
          ev('ReplyDrafted', { n: 1, unit: 'commerce', replyClass: 'S', text: 't', round: 1 }, unit),
          ev('ReplySubmitted', { n: 1, unit: 'commerce', replyClass: 'S', text: 't', round: 1, next: 'signing' }, unit),
          ev('ReplySigned', { n: 1, unit: 'commerce', signer: '李局长', docNumber: '商务函〔2026〕1号', next: 'countersign' }, unit),
          ev(
            'ReplyCountersigned',
            { n: 1, unit: 'transport', note: '同意。', complete: true },
            { role: 'unit', sub: 't', unit: 'transport' },
          ),
          ev('ReplyApproved', { n: 1, feedbackDeadline: 'x', classCorrection: { from: 'S', to: 'A', reason: '问题已解决' } }, office),
          ev('ReplyApproved', { n: 2, feedbackDeadline: 'x' }, office),
          ev('ProgressReported', { text: '已建成', resolved: true, n: 1 }, unit),
          ev('ProgressReported', { text: '推进中', resolved: false, capped: true }, unit),
          ev('FeedbackGiven', { n: 1, memberId: 'm-001', satisfaction: 'satisfied', second: true }, { role: 'member', sub: 'm' }),
        ],
        unitName,
        classes,
      );
      expect(items.map((i) => [i.title, i.detail])).toEqual([
        ['起草答复', '商务局 S类（列入规划），草稿'],
        ['提交答复', '商务局 S类（列入规划），送单位负责人签发'],
        ['签发答复', '签发人：李局长；文号：商务函〔2026〕1号；送协办单位会签'],
        ['会签答复', '交通运输局 会签第1次答复：同意。（会签完成，送政府办审核）'],
        ['答复审核通过', '答复类别由 S类（列入规划） 更正为 A类（已解决）：问题已解决'],
        ['答复审核通过', undefined],
        ['二次答复', '已建成'],
        ['跟踪进展', '推进中（跟踪期满，跟踪落实结束）'],
        ['二次答复评价', '满意'],
      ]);
    });

    it('builds them from the view’s dates for those without the audit trail', () => {
      const view = {
        createdAt: '2026-03-01T01:00:00Z',
        units: {},
        contacts: [],
        status: 'closed',
        replies: [
          {
            n: 1,
            round: 1,
            unit: 'commerce',
            replyClass: 'A',
            text: 't',
            status: 'approved',
            submittedAt: '2026-04-01T00:00:00Z',
            signedAt: '2026-04-02T00:00:00Z',
            countersigns: [{ unit: 'transport', at: '2026-04-03T00:00:00Z', note: '同意。' }],
            decidedAt: '2026-04-04T00:00:00Z',
            classCorrection: { from: 'S', reason: '问题已解决' },
            letter: { contactName: '', contactPhone: '', disclosure: 'public', signer: '李局长', docNumber: '商务函〔2026〕1号' },
          },
          {
            n: 2,
            round: 1,
            unit: 'commerce',
            replyClass: 'A',
            text: 't',
            status: 'draft',
            submittedAt: '2026-04-05T00:00:00Z',
            countersigns: [],
          },
        ],
        feedback: [],
        followUp: { open: false, progress: [{ text: '已建成', resolved: true, at: '2026-09-01T00:00:00Z' }] },
      } as unknown as ProposalView;
      expect(timelineFromView(view, unitName).map((i) => [i.title, i.actor, i.detail])).toEqual([
        ['提交提案', undefined, undefined],
        ['提交答复', '商务局', 'A类'],
        ['签发答复', '商务局', '签发人：李局长；商务函〔2026〕1号'],
        ['会签答复', '交通运输局', '同意。'],
        ['答复审核通过', undefined, '答复类别由 S类 更正为 A类：问题已解决'],
        ['起草答复', '商务局', 'A类'],
        ['二次答复', undefined, '已建成'],
      ]);
    });
  });

  describe('分办 (several lead units)', () => {
    it('names every lead unit of the assignment and its change', () => {
      const items = timelineFromEvents(
        [
          ev('ProposalAssigned', { lead: 'commerce', co: [], leads: ['commerce', 'transport'], matches: [], by: 'office', deadlines: {} }),
          ev('AssignmentChanged', {
            lead: 'transport',
            co: ['housing'],
            leads: ['transport', 'commerce'],
            previous: { lead: 'commerce', co: [], leads: ['commerce', 'transport'] },
            reason: '分两部分办理',
            deadlines: {},
          }),
          ev('AssignmentChanged', { lead: 'commerce', co: [], previous: { lead: 'transport', co: [] }, deadlines: {} }),
        ],
        unitName,
      );
      expect(items.map((i) => i.detail)).toEqual([
        '主办（分办）：商务局、交通运输局',
        '主办（分办）：交通运输局、商务局；协办：housing；理由：分两部分办理',
        '主办：商务局',
      ]);
    });

    const part = (n: number, unit: string, round: number, submittedAt: string, decidedAt: string) => ({
      n,
      round,
      unit,
      replyClass: 'B',
      text: 't',
      status: 'approved',
      submittedAt,
      decidedAt,
    });
    const base = {
      createdAt: '2026-03-01T01:00:00Z',
      lead: 'commerce',
      leads: ['commerce', 'transport'],
      units: {
        commerce: { role: 'lead', assignedAt: '2026-03-01T01:01:00Z' },
        transport: { role: 'lead', assignedAt: '2026-03-01T01:01:00Z' },
      },
      contacts: [],
    };

    it('shows each part’s follow-up and 二次答复 by its unit', () => {
      const view = {
        ...base,
        status: 'closed',
        replies: [part(1, 'commerce', 1, '2026-04-01T00:00:00Z', '2026-04-02T00:00:00Z')],
        feedback: [],
        followUp: { open: true, progress: [{ text: '推进中', resolved: false, at: '2026-06-01T00:00:00Z' }] },
        partFollowUps: {
          transport: {
            open: false,
            progress: [{ text: '线路已开通。', resolved: true, at: '2026-07-01T00:00:00Z' }],
            secondReply: { n: 2, text: '线路已开通。', at: '2026-07-01T00:00:00Z' },
          },
        },
      };
      const items = timelineFromView(view as unknown as ProposalView, unitName).filter((i) => i.at >= '2026-06-01');
      expect(items).toEqual([
        { at: '2026-06-01T00:00:00Z', title: '跟踪进展', actor: '商务局', detail: '未解决' },
        { at: '2026-07-01T00:00:00Z', title: '二次答复', actor: '交通运输局', detail: '线路已开通。' },
      ]);
    });

    it('shows a part’s 重新办理 by its own rounds, not the other part’s', () => {
      // A's part answered in round 1 (n 1, rated satisfied); B's first answer (n 2) rated 不满意 and
      // re-handled: B's round is 2 while A's reply, the latest, is A's.
      const view = {
        ...base,
        units: { ...base.units, transport: { ...base.units.transport, round: 2, rehandles: 1 } },
        status: 'in_progress',
        replies: [
          part(2, 'transport', 1, '2026-04-01T00:00:00Z', '2026-04-02T00:00:00Z'),
          part(3, 'commerce', 1, '2026-04-03T00:00:00Z', '2026-04-04T00:00:00Z'),
        ],
        feedback: [
          { n: 2, memberId: 'm-001', satisfaction: 'dissatisfied', at: '2026-04-05T00:00:00Z' },
          { n: 3, memberId: 'm-001', satisfaction: 'dissatisfied', at: '2026-04-06T00:00:00Z' },
        ],
      };
      const rehandled = timelineFromView(view as unknown as ProposalView, unitName).filter((i) => i.title === '重新办理');
      // Named as B counts it: its first answer (n 2 is the proposal's second reply).
      expect(rehandled.map((i) => i.detail)).toEqual(['对第1次答复（交通运输局）不满意，承办单位重新办理']);
    });
  });
});
