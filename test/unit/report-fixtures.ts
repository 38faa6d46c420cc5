/**
 * A small known year of proposals for the statistics and annual report tests. The expected figures
 * are worked out by hand in statistics.test.ts.
 */
import { domainEventSchema, type DomainEvent } from '#events/domain-events.ts';
import { proposalSchema, type Proposal, type ProposalInput } from '#domain/proposal.ts';

export const cst = (local: string) => new Date(`${local.replace(' ', 'T')}+08:00`).toISOString();
export const NOW = new Date(cst('2026-12-01 10:00'));

const deadlines = { acknowledge: cst('2026-01-20 23:59:59'), contact: cst('2026-02-10 23:59:59'), reply: cst('2026-04-20 23:59:59') };
const m = (id: string, name: string) => ({ memberId: id, name, email: `${id}@example.com` });
const unit = (role: 'lead' | 'co', acknowledgedAt?: string) => ({
  role,
  assignedAt: cst('2026-01-12 09:00'),
  ...(acknowledgedAt ? { acknowledgedAt } : {}),
});
const reply = (n: number, round: number, unitId: string, replyClass: 'A' | 'B' | 'C' | 'D', text: string, decidedAt: string) => ({
  n,
  round,
  unit: unitId,
  replyClass,
  text,
  status: 'approved' as const,
  submittedAt: decidedAt,
  decidedAt,
});

export function proposal(seq: number, over: Partial<ProposalInput>): Proposal {
  return proposalSchema.parse({
    id: `p${seq}`,
    number: `2026-${String(seq).padStart(3, '0')}`,
    year: 2026,
    seq,
    title: `提案${seq}`,
    body: '正文',
    key: false,
    proposers: [m('m1', '王丽')],
    submittedBy: { role: 'member', sub: 'm1' },
    status: 'assigned',
    co: [],
    matches: [],
    deadlines,
    escalationLevel: 0,
    version: 5,
    createdAt: cst('2026-01-10 09:00'),
    updatedAt: cst('2026-01-10 09:00'),
    ...over,
  });
}

export const dataset: Proposal[] = [
  // closed, A, 面商, both units acknowledged on time, reply approved on time, two proposers satisfied / basically
  proposal(1, {
    title: '关于加强婴幼儿托育服务的建议',
    category: '社会民生',
    status: 'closed',
    lead: 'health',
    co: ['transport'],
    proposers: [m('m1', '王丽'), m('m2', '李建国')],
    units: { health: unit('lead', cst('2026-01-13 10:00')), transport: unit('co', cst('2026-01-14 10:00')) },
    contacts: [
      { unit: 'health', mode: 'face_to_face', at: cst('2026-02-01 10:00'), note: '当面沟通', recordedAt: cst('2026-02-01 12:00') },
    ],
    replies: [reply(1, 1, 'health', 'A', '新增普惠托育机构3家。', cst('2026-04-01 10:00'))],
    feedback: [
      { n: 1, memberId: 'm1', satisfaction: 'satisfied', at: cst('2026-04-05 10:00') },
      { n: 1, memberId: 'm2', satisfaction: 'basically_satisfied', at: cst('2026-04-06 10:00') },
    ],
    mergedFrom: ['p5'],
    closedAt: cst('2026-04-06 10:00'),
  }),
  // closed after 重新办理: reply 1 (C) late and rated 不满意, reply 2 (B); reassigned once; follow-up open
  proposal(2, {
    title: '关于发展夜市经济的建议',
    status: 'closed',
    lead: 'commerce',
    reassignments: 1,
    rehandles: 1,
    proposers: [m('m3', '赵敏'), m('m4', '<script>孙</script>')],
    units: { commerce: unit('lead', cst('2026-01-25 10:00')) },
    contacts: [{ unit: 'commerce', mode: 'phone', at: cst('2026-02-01 10:00'), note: '电话沟通', recordedAt: cst('2026-02-01 12:00') }],
    replies: [
      reply(1, 1, 'commerce', 'C', '条件暂不具备。', cst('2026-05-10 10:00')),
      reply(2, 2, 'commerce', 'B', '列入明年计划，打造夜市街区。', cst('2026-06-20 10:00')),
    ],
    feedback: [
      { n: 1, memberId: 'm3', satisfaction: 'dissatisfied', at: cst('2026-05-12 10:00') },
      { n: 1, memberId: 'm4', satisfaction: 'basically_satisfied', at: cst('2026-05-13 10:00') },
      { n: 2, memberId: 'm3', satisfaction: 'satisfied', at: cst('2026-06-25 10:00') },
      { n: 2, memberId: 'm4', satisfaction: 'dissatisfied', at: cst('2026-06-26 10:00') },
    ],
    followUp: { open: true, progress: [] },
    closedAt: cst('2026-06-26 10:00'),
  }),
  // in progress, no contact, no reply: the contact and the reply are overdue (health)
  proposal(3, {
    title: '关于完善院前急救体系的建议',
    category: '社会民生',
    status: 'in_progress',
    lead: 'health',
    units: { health: unit('lead', cst('2026-01-15 10:00')) },
  }),
  proposal(4, { title: '一点想法', status: 'rejected', rejectReason: '不属于提案范围', deadlines: {} }),
  proposal(5, { title: '关于发展托育服务的建议', status: 'merged', mergedInto: 'p1', deadlines: {} }),
  proposal(6, { title: '关于某事的建议', status: 'triage', deadlines: {} }),
  // replied (C, on time, 面商), not rated yet; its co-unit never acknowledged
  proposal(7, {
    title: '关于老旧小区供热管网改造的建议',
    category: '城乡建设',
    status: 'replied',
    lead: 'housing',
    co: ['health'],
    units: { housing: unit('lead', cst('2026-01-13 10:00')), health: unit('co') },
    contacts: [
      { unit: 'housing', mode: 'face_to_face', at: cst('2026-02-03 10:00'), note: '现场面商', recordedAt: cst('2026-02-03 12:00') },
    ],
    replies: [reply(1, 1, 'housing', 'C', '资金有限，分年度实施。', cst('2026-04-20 18:00'))],
    deadlines: { ...deadlines, feedback: cst('2026-12-20 23:59:59') },
  }),
  proposal(8, {
    year: 2025,
    number: '2025-008',
    title: '去年的提案',
    status: 'closed',
    lead: 'health',
    units: { health: unit('lead', cst('2025-01-13 10:00')) },
  }),
  proposal(9, { title: '刚提交的建议', status: 'submitted', deadlines: {} }),
];

/** The events of proposal `id`, numbered from 1. */
export const eventsOf = (id: string, list: [type: string, data: Record<string, unknown>][]): DomainEvent[] =>
  list.map(([type, data], i) =>
    domainEventSchema.parse({
      eventId: `${id}:${i + 1}`,
      proposalId: id,
      seq: i + 1,
      at: NOW.toISOString(),
      actor: { role: 'system', sub: 'sweep' },
      type,
      data,
    }),
  );
export const assignedBy = (by: 'keywords' | 'office', lead: string, co: string[] = []): [string, Record<string, unknown>] => [
  'ProposalAssigned',
  { lead, co, matches: [], by, deadlines },
];
const base = { obligation: 'reply', unit: 'health', deadline: deadlines.reply, to: ['unit'], key: false };
export const events = new Map<string, DomainEvent[]>([
  ['p1', eventsOf('p1', [assignedBy('keywords', 'health', ['transport'])])],
  // assigned by keyword to housing, which asked for a change (申请调整): the office gave it to commerce
  [
    'p2',
    eventsOf('p2', [
      assignedBy('keywords', 'housing'),
      ['UnitObjected', { unit: 'housing', reason: '不属于本单位职责' }],
      ['AssignmentChanged', { lead: 'commerce', co: [], previous: { lead: 'housing', co: [] }, deadlines }],
    ]),
  ],
  // from triage, assigned by the office
  [
    'p3',
    eventsOf('p3', [
      assignedBy('office', 'health'),
      ['ReminderDue', { ...base, step: 0 }],
      ['ReminderDue', { ...base, step: 1 }],
      ['Escalated', { ...base, level: 1, step: 2 }],
      ['Escalated', { ...base, level: 2, step: 3 }],
      ['Escalated', { ...base, level: 3, step: 4 }],
      ['Escalated', { ...base, level: 3, step: 5 }],
    ]),
  ],
  ['p7', eventsOf('p7', [assignedBy('keywords', 'housing', ['health'])])],
]);
