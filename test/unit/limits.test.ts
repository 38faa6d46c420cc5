/**
 * How large a proposal may grow (shared/domain/limits.ts), on the pure decisions: the count caps, the
 * size rule and its numbers. A proposal at every submission cap (20,000-character body, 50 proposers,
 * 10 co-units with opinions and objections at their longest) is filled with records until they are
 * refused; then a reply of the longest kind, its approval, every proposer's rating, the 二次答复 and
 * its ratings all still fit, and the whole stays well under DynamoDB's 400 KB.
 */
import { describe, expect, it } from 'vitest';
import { proposalSchema, type Proposal } from '#domain/proposal.ts';
import * as wf from '#domain/workflow.ts';
import * as op from '#domain/office-powers.ts';
import { instruct } from '#domain/key-proposals.ts';
import { caps, ITEM_LIMIT, ProposalFull, roomFor, storedBytes, textMax, utf8Length } from '#domain/limits.ts';

const at = '2026-03-02T01:00:00.000Z';
const later = '2026-06-01T15:59:59.999Z';
const ctx = (over: Partial<wf.Ctx> = {}): wf.Ctx => ({
  at,
  actor: { role: 'unit', sub: 'u-lead', unit: 'lead' },
  due: () => later,
  replyWaitsForCoOpinions: false,
  maxRehandles: 1,
  ...over,
});
/** Chinese text: 3 bytes a character in UTF-8, the most per character the caps count. */
const zh = (n: number, c = '政') => c.repeat(n);

/** A proposal assigned, with every field the submission and the assignment bring at its longest. */
function atSubmissionCaps(): Proposal {
  const unit = (role: 'lead' | 'co') => ({
    role,
    assignedAt: at,
    acknowledgedAt: at,
    objection: { reason: zh(textMax.objection), at, decideBy: at, decidedAt: at },
    ...(role === 'co' ? { opinion: { text: zh(textMax.opinion), at } } : {}),
  });
  const co = Array.from({ length: 10 }, (_, i) => `co-unit-${i}`);
  return proposalSchema.parse({
    id: '3f1c2a9e-0000-4000-8000-000000000000',
    number: '2026-001',
    year: 2026,
    seq: 1,
    title: zh(200),
    body: zh(20_000),
    key: true,
    leader: '张副市长',
    proposers: Array.from({ length: 50 }, (_, i) => ({
      memberId: `m-${String(i).padStart(60, '0')}`,
      name: zh(50),
      email: `${'x'.repeat(240)}@example.com`,
      mobile: '13800000000',
      sector: zh(50),
      cosign: 'accepted',
    })),
    submittedBy: { role: 'member', sub: 'm' },
    status: 'in_progress',
    lead: 'lead',
    co,
    matches: ['lead', ...co].map((u) => ({ unit: u, score: 9, keywords: ['夜市', '停车'] })),
    deadlines: { acknowledge: at, objection: at, contact: at, coOpinion: at, reply: later },
    escalationLevel: 0,
    units: Object.fromEntries([['lead', unit('lead')], ...co.map((c) => [c, unit('co')])]),
    similar: Array.from({ length: 5 }, (_, i) => ({ id: `id-${i}`, number: '2025-001', title: zh(200), score: 0.5 })),
    version: 1,
    createdAt: at,
    updatedAt: at,
  });
}

/**
 * DynamoDB's own measure of an item (developer guide, "Item sizes"): strings in UTF-8, a number about
 * one byte per two digits plus one, a boolean or null one byte, a list or map 3 bytes plus one per
 * element, a map's attribute names in UTF-8.
 */
function dynamoSize(v: unknown): number {
  if (typeof v === 'string') return utf8Length(v);
  if (typeof v === 'number') return Math.ceil(String(Math.abs(v)).replace(/[.e+-]/g, '').length / 2) + 1;
  if (typeof v === 'boolean' || v === null) return 1;
  if (Array.isArray(v)) return 3 + v.reduce((n: number, x) => n + 1 + dynamoSize(x), 0);
  if (typeof v === 'object')
    return (
      3 +
      Object.entries(v)
        .filter(([, x]) => x !== undefined)
        .reduce((n, [k, x]) => n + 1 + utf8Length(k) + dynamoSize(x), 0)
    );
  return 0;
}
/** The proposal item as stored: its keys, then the proposal (shared/adapters/dynamo-store.ts). */
const itemSize = (p: Proposal) =>
  dynamoSize({ PK: `P#${p.id}`, SK: 'PROPOSAL', GSI1PK: `Y#${p.year}`, GSI1SK: p.seq, entity: 'proposal', ...p }) - 3;

const full = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    if (err instanceof ProposalFull) return err;
    throw err;
  }
  return undefined;
};

describe('the size of UTF-8 text', () => {
  it('counts bytes as Buffer does, without encoding', () => {
    for (const s of ['', 'abc', 'é', '政协提案', '😀 emoji', `${zh(10)}abc\u00e9😀`]) expect(utf8Length(s)).toBe(Buffer.byteLength(s));
  });
});

describe('count caps', () => {
  it('a 51st contact is refused (413 ProposalFull) and changes nothing; a repeat of one recorded changes nothing either', () => {
    let p: Proposal = { ...atSubmissionCaps(), body: '夜市', proposers: atSubmissionCaps().proposers.slice(0, 2), co: [] };
    p = { ...p, units: { lead: { role: 'lead', assignedAt: at } } };
    for (let i = 0; i < caps.contacts.max; i++) p = wf.recordContact(p, ctx(), { unit: 'lead', mode: 'phone', at, note: `第${i}次` }).next;
    expect(p.contacts).toHaveLength(50);
    const refused = full(() => wf.recordContact(p, ctx(), { unit: 'lead', mode: 'phone', at, note: '第51次' }));
    expect(refused?.message).toBe('本提案的联系记录已达 50 条上限，不能再添加');
    expect(wf.recordContact(p, ctx(), { unit: 'lead', mode: 'phone', at, note: '第7次' }).events).toEqual([]);
  });

  it('a reply that replaces the lead unit’s draft adds none: the draft can still be saved at the cap', () => {
    const replies = Array.from({ length: caps.replies.max - 1 }, (_, i) => ({
      n: i + 1,
      round: 1,
      unit: 'lead',
      replyClass: 'A',
      text: '退回的答复',
      status: 'returned' as const,
      submittedAt: at,
      countersigns: [],
    }));
    let p: Proposal = { ...atSubmissionCaps(), replies, proposers: atSubmissionCaps().proposers.slice(0, 1) };
    p = wf.submitReply(p, ctx(), 'lead', 'A', '草稿一', { draft: true }).next;
    expect(p.replies).toHaveLength(10);
    p = wf.submitReply(p, ctx(), 'lead', 'A', '草稿二', { draft: true }).next;
    expect(p.replies.at(-1)?.text).toBe('草稿二');
    const returned: Proposal = { ...p, replies: p.replies.map((r) => ({ ...r, status: 'returned' as const })) };
    expect(full(() => wf.submitReply(returned, ctx(), 'lead', 'A', '再答复'))?.message).toBe('本提案的答复已达 10 条上限，不能再添加');
  });
});

describe('the size rule', () => {
  it('at every submission cap, records stop; then the longest reply, its approval, 50 ratings, the 二次答复 and 50 more ratings fit', () => {
    let p = atSubmissionCaps();
    const note = zh(textMax.contactNote);
    let refused: ProposalFull | undefined;
    for (let i = 0; !refused && i < caps.contacts.max; i++) {
      refused = full(() => (p = wf.recordContact(p, ctx(), { unit: 'lead', mode: 'phone', at: `${at.slice(0, 20)}${i}Z`, note }).next));
    }
    expect(refused?.message).toMatch(/400 KB 的存储上限.*联系记录/);
    // Every record stops alike: a supervision, a 批示, an extension request.
    const office = ctx({ actor: { role: 'office', sub: 'o' } });
    expect(full(() => op.recordSupervision(p, office, { mode: 'onsite', note: zh(textMax.supervisionNote), at }))).toBeInstanceOf(
      ProposalFull,
    );
    expect(full(() => instruct(p, office, '张副市长', zh(textMax.instruction)))).toBeInstanceOf(ProposalFull);
    expect(
      full(() => op.requestExtension(p, ctx(), 'lead', '2026-07-01T15:59:59.999Z', '2026-09-01T15:59:59.999Z', zh(1000))),
    ).toBeInstanceOf(ProposalFull);

    p = wf.submitReply(p, ctx(), 'lead', 'B', zh(textMax.reply)).next;
    p = wf.approveReply(p, office, 1).next;
    const member = (m: string) => ctx({ actor: { role: 'member', sub: m } });
    const comment = zh(textMax.ratingComment);
    for (const x of p.proposers)
      p = wf.giveFeedback(p, member(x.memberId), { n: 1, memberId: x.memberId, satisfaction: 'satisfied', comment }).next;
    expect(p.status).toBe('closed');
    expect(p.followUp?.open).toBe(true);
    p = wf.reportProgress(p, ctx(), 'lead', zh(textMax.progress), true).next;
    for (const x of p.proposers)
      p = wf.rateSecondReply(p, member(x.memberId), { memberId: x.memberId, satisfaction: 'satisfied', comment }).next;
    expect(p.feedback).toHaveLength(100);

    // Our estimate over-counts DynamoDB's measure, and both are well under the item limit.
    expect(storedBytes(p)).toBeGreaterThan(itemSize(p));
    expect(storedBytes(p)).toBeLessThan(ITEM_LIMIT - 30 * 1024);
  });

  it('a proposal with few proposers takes some 75,000 characters of records before they stop', () => {
    let p: Proposal = { ...atSubmissionCaps(), body: zh(3000), proposers: atSubmissionCaps().proposers.slice(0, 3) };
    p = {
      ...p,
      co: ['co-unit-0', 'co-unit-1'],
      units: { lead: p.units.lead!, 'co-unit-0': p.units['co-unit-0']!, 'co-unit-1': p.units['co-unit-1']! },
    };
    let chars = 0;
    for (let i = 0; i < caps.contacts.max; i++) {
      const before = p;
      if (
        full(
          () =>
            (p = wf.recordContact(p, ctx(), {
              unit: 'lead',
              mode: 'phone',
              at: `${at.slice(0, 20)}${i}Z`,
              note: zh(textMax.contactNote),
            }).next),
        )
      ) {
        expect(p).toBe(before);
        break;
      }
      chars += textMax.contactNote;
    }
    expect(chars).toBeGreaterThanOrEqual(74_000);
    // The refusal says how much still fits.
    const err = full(() => roomFor(p, 'contacts', zh(textMax.contactNote)));
    expect(err?.message).toMatch(/此条联系记录最多还能写约 \d+ 个字/);
  });
});
