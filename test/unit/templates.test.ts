import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkNotice, noticeKinds, NoticeVarsError, type NoticeKind, type NoticeMessage, type NoticeVarsMap } from '#events/notices.ts';
import { renderNotice, type TemplateCity } from '#render/emails.ts';

const units: Record<string, string> = { commerce: '市商务局', urban: '市城市管理局' };
const city: TemplateCity = { name: '阿拉尔市', linkBase: 'https://ta.example.cn/', unitName: (id) => units[id] ?? id };
const p = { number: '2026-001', title: '关于发展夜市经济的建议', proposalId: 'P1' };

const vars: NoticeVarsMap = {
  assignment: {
    ...p,
    unit: 'commerce',
    role: 'lead',
    deadlines: { acknowledge: '2026-03-13', reply: '2026-06-06' },
    matchedKeywords: ['夜市'],
    proposers: ['王丽', '李建国'],
  },
  triage: { ...p, reason: '没有单位达到最低分' },
  objection: { ...p, unit: 'commerce', reason: '不属于我局职责' },
  objectionDeclined: { ...p, unit: 'commerce', reason: '夜市食品安全属你局职责', deadline: '2026-03-20' },
  reassignment: { ...p, unit: 'urban', change: 'added', role: 'co', reason: '申请调整' },
  reminder: { ...p, unit: 'commerce', obligation: 'contact', deadline: '2026-04-03', daysLeft: 3 },
  escalation: { ...p, unit: 'commerce', obligation: 'reply', deadline: '2026-06-06', level: 1, daysOverdue: 2 },
  replyApproved: {
    number: p.number,
    title: p.title,
    unit: 'commerce',
    replyClass: 'B',
    replyText: '拟于2026年试点。',
    proposerName: '王丽',
    feedbackUrl: 'https://ta.example.cn/feedback?token=abc',
    feedbackDeadline: '2026-06-26',
  },
  feedbackReminder: {
    number: p.number,
    title: p.title,
    unit: 'commerce',
    proposerName: '王丽',
    feedbackUrl: 'https://ta.example.cn/feedback?token=abc',
    feedbackDeadline: '2026-06-26',
    daysLeft: 3,
  },
  replyReturned: { ...p, unit: 'commerce', reason: '未说明面商情况' },
  rehandling: { ...p, unit: 'commerce', deadline: '2026-08-05', comment: '噪音问题没有考虑' },
  closed: { ...p, followUp: true },
  reviewResult: { ...p, decision: 'merged', intoNumber: '2026-002', intoTitle: '关于夜间经济的建议', reason: '内容相近' },
  replyForReview: { ...p, unit: 'commerce', replyClass: 'A', round: 1 },
  replyForSignOff: { ...p, unit: 'commerce', replyClass: 'B', round: 1, n: 1 },
  replyForCountersign: { ...p, unit: 'market', lead: 'commerce', replyClass: 'B', n: 1, deadline: '2026-06-10' },
  secondReply: {
    number: p.number,
    title: p.title,
    proposalId: p.proposalId,
    unit: 'commerce',
    proposerName: '张三',
    text: '夜市已建成投用。',
  },
  keyProposal: { ...p, key: true, leader: '分管副市长', change: 'set' },
  instruction: { ...p, unit: 'commerce', leader: '分管副市长', text: '请认真研究，<b>抓紧落实</b>。', n: 1, deadline: '2026-04-10' },
  instructionAcknowledged: { ...p, unit: 'commerce', leader: '分管副市长', n: 1 },
  returnedToCommittee: { ...p, reason: '属于法院职责，不属于政府职责范围' },
  deliveryFailed: {
    ...p,
    failedKind: 'assignment',
    noticeId: 'P1:3/assignment/commerce',
    to: ['swj@example.gov.cn'],
    reason: '邮件服务拒收（MessageRejected）',
  },
  extensionRequested: { ...p, unit: 'commerce', n: 1, until: '2026-07-31', reason: '需要开展专题调研', decideBy: '2026-03-20' },
  extensionDecided: { ...p, unit: 'commerce', approve: true, until: '2026-07-31', reason: '同意' },
  supervision: { ...p, unit: 'commerce', mode: 'onsite', at: '2026-04-10', note: '现场查看夜市规划进展' },
  withdrawn: { ...p, unit: 'commerce', reason: '问题已由其他渠道解决' },
  cosignRequest: {
    ...p,
    proposerName: '李建国',
    initiator: '王丽',
    collective: '经济界（界别）',
    consoleUrl: 'https://ta.example.cn/proposals/P1',
  },
  bulletin: {
    period: '2026年第二季度',
    rows: [
      {
        unit: 'commerce',
        unitName: '市商务局',
        open: 4,
        followUp: 1,
        overdue: 1,
        periodAnswered: 2,
        periodOnTime: 1,
        assigned: 7,
        answered: 6,
        replyRate: 6 / 7,
        onTimeReplyRate: 0.857,
      },
      {
        unit: 'urban',
        unitName: '市城市管理局',
        open: 1,
        followUp: 0,
        overdue: 0,
        periodAnswered: 1,
        periodOnTime: 1,
        assigned: 3,
        answered: 3,
        replyRate: 1,
        onTimeReplyRate: 1,
      },
    ],
    best: ['urban'],
    criticized: ['commerce'],
  },
};

function render<K extends NoticeKind>(kind: K, v: Partial<NoticeVarsMap[K]> = {}) {
  return renderRaw(kind, { ...vars[kind], ...v });
}

/** Vars as a queue message carries them: anything, so tests can pass wrong ones; checked as the mailer checks them. */
function renderRaw(kind: NoticeKind, v: Record<string, unknown>, c = city) {
  const message: NoticeMessage = { id: 'n1', kind, recipients: [{ kind: 'office' }], vars: v, createdAt: '2026-03-06T00:00:00Z' };
  return renderNotice(checkNotice(message), c);
}

describe('renderNotice', () => {
  it('words a rejection and a merge for the proposers', () => {
    expect(render('reviewResult').text).toContain('并案办理');
    expect(render('reviewResult').text).toContain('2026-002');
    expect(render('reviewResult', { decision: 'rejected', reason: '不属于政府职责' }).text).toContain('不予立案');
    expect(render('replyForReview').subject).toContain('答复待审核');
  });

  it.each(noticeKinds.filter((k) => k !== 'bulletin'))('%s: subject, text and html carry the number and title', (kind) => {
    const mail = render(kind);
    for (const part of [mail.subject, mail.text, mail.html]) {
      expect(part).toContain('2026-001');
      expect(part).toContain('关于发展夜市经济的建议');
    }
    expect(mail.subject).toMatch(/^【阿拉尔市提案办理】\S+：2026-001 关于发展夜市经济的建议$/);
    expect(mail.html).toContain('自动发送');
    expect(mail.text).toContain('自动发送');
  });

  it('bulletin: one table, its columns labelled now / this period / the year to date; the best praised, the overdue criticized', () => {
    const mail = render('bulletin');
    expect(mail.subject).toBe('【阿拉尔市提案办理】办理情况通报：2026年第二季度');
    expect(mail.html.match(/<table/g)).toHaveLength(1);
    expect(mail.html).toContain('85.7%');
    expect(mail.text).toContain(
      '在办（当前） | 跟踪落实（当前） | 逾期（当前） | 本期办复 | 本期按时办复 | 本年累计主办 | 本年累计办复率 | 本年累计按时办复率',
    );
    expect(mail.text).toContain('市商务局 | 4 | 1 | 1 | 2 | 1 | 7 | 85.7% | 85.7%');
    expect(mail.text).toContain('“本期”为2026年第二季度内承办单位签发的答复');
    expect(mail.text).toContain('按时办复率较高且无逾期事项的单位：市城市管理局，予以通报表扬。');
    expect(mail.text).toContain('有逾期事项的单位：市商务局，予以通报批评');
    // A rate short of 100% never shows as 100% (nor 100.0%).
    const almost = render('bulletin', { rows: [{ ...vars.bulletin.rows[0]!, onTimeReplyRate: 1999 / 2000 }] });
    expect(almost.text).toContain('| 99.9%');
    expect(almost.text).not.toContain('100%');
  });

  it("bulletin: a unit's own copy greets it and says where it stands, praised or criticized", () => {
    const commerce = render('bulletin', { to: 'commerce' });
    expect(commerce.text).toContain('市商务局：');
    expect(commerce.text).toContain('你单位在办4件、跟踪落实1件，其中逾期1件；本期签发答复2件（按时1件）；本年累计主办7件、已办复6件');
    expect(commerce.text).toContain('你单位有逾期事项，予以通报批评');
    const urban = render('bulletin', { to: 'urban' });
    expect(urban.text).toContain('你单位予以通报表扬。');
    expect(urban.text).not.toContain('各位领导');
  });

  it('objectionDeclined: the office kept the assignment, its reason, the new 签收 deadline and the next step', () => {
    const mail = render('objectionDeclined');
    expect(mail.subject).toContain('维持原交办');
    expect(mail.text).toContain('市商务局：');
    expect(mail.text).toContain('夜市食品安全属你局职责');
    expect(mail.text).toContain('请于2026年3月20日前登录系统签收');
    const signed = renderRaw('objectionDeclined', { ...p, unit: 'commerce' });
    expect(signed.text).toContain('你单位已签收，请按期办理');
    expect(signed.text).not.toContain('审核意见');
  });

  it('assignment: lead vs co wording, deadline and link', () => {
    const lead = render('assignment');
    expect(lead.subject).toContain('交办通知');
    expect(lead.text).toContain('市商务局：');
    expect(lead.text).toContain('交由你单位主办');
    expect(lead.text).toContain('请于2026年3月13日前登录系统签收');
    expect(lead.text).toContain('提案人：王丽、李建国');
    expect(lead.html).toContain('href="https://ta.example.cn/v1/proposals/P1"');
    const co = render('assignment', { role: 'co', unit: 'urban' });
    expect(co.text).toContain('交由你单位协办');
    expect(co.text).toContain('会签意见');
    expect(co.text).not.toContain('交由你单位主办');
  });

  it('assignment: the objection deadline, the lead’s contact and the co-unit’s opinion deadlines', () => {
    const deadlines = {
      acknowledge: '2026-03-09',
      objection: '2026-03-11',
      contact: '2026-03-23',
      coOpinion: '2026-04-02',
      reply: '2026-06-02',
    };
    const lead = render('assignment', { deadlines }).text;
    expect(lead).toContain('申请调整期限：2026年3月11日');
    expect(lead).toContain('面商联系期限：2026年3月23日');
    expect(lead).toContain('请于2026年3月11日前提出调整申请');
    expect(lead).not.toContain('签收期限内');
    expect(lead).not.toContain('会签意见期限');
    const co = render('assignment', { role: 'co', unit: 'urban', deadlines }).text;
    expect(co).toContain('会签意见期限：2026年4月2日');
    expect(co).toContain('于2026年4月2日前向主办单位提出会签意见');
    expect(co).not.toContain('面商联系期限');
  });

  it('replyApproved: the last round promises no re-handling', () => {
    expect(render('replyApproved', { rehandlePossible: true }).text).toContain('如不满意，承办单位将重新办理');
    const last = render('replyApproved', { rehandlePossible: false }).text;
    expect(last).not.toContain('重新办理');
    expect(last).toContain('本次答复为最终答复');
  });

  it('replyApproved: links the printable 答复函 when the notice has its address (older notices have none)', () => {
    const url = 'https://ta.example.cn/v1/letter?id=P1&n=1&token=abc';
    const mail = render('replyApproved', { letterUrl: url });
    expect(mail.text).toContain(`查看、打印答复函：${url}`);
    expect(mail.html).toContain(`href="${url.replace(/&/g, '&amp;')}"`);
    expect(mail.text).toContain('以上链接仅供您本人使用');
    const older = render('replyApproved').text;
    expect(older).not.toContain('答复函');
    expect(older).toContain('此链接仅供您本人使用');
  });

  it('feedbackReminder: the proposer, the deadline and days left, and their own link again', () => {
    const mail = render('feedbackReminder', {});
    expect(mail.text).toContain('尊敬的王丽：');
    expect(mail.text).toContain('请于2026年6月26日前对办理结果作出评价（距到期还有3天）');
    expect(mail.text).toContain('https://ta.example.cn/feedback?token=abc');
    expect(render('feedbackReminder', { daysLeft: 0 }).text).toContain('（今天到期）');
  });

  it('reviewResult: a rejection without a reason has no 理由 block', () => {
    for (const reason of [undefined, '', '  \n ']) {
      const mail = renderRaw('reviewResult', { ...p, decision: 'rejected', ...(reason === undefined ? {} : { reason }) });
      expect(mail.text).toContain('经审查，不予立案。');
      expect(mail.text + mail.html).not.toMatch(/理由|undefined/);
    }
    expect(render('reviewResult', { decision: 'rejected', reason: '不属于政府职责' }).text).toContain('不予立案理由：\n    不属于政府职责');
  });

  it('bulletin: greets the office and the leaders, who receive it', () => {
    const mail = render('bulletin');
    expect(mail.text).not.toContain('各承办单位');
    expect(mail.text).toContain('各位领导、提案工作人员：');
  });

  it('escalation: level words escalate 催办 -> 督办 -> 分管领导', () => {
    const [one, two, three] = ([1, 2, 3] as const).map((level) => render('escalation', { level }));
    expect(one!.subject).toContain('催办通知');
    expect(one!.text).toContain('逾期2天');
    expect(two!.subject).toContain('督办通知');
    expect(two!.text).toContain('现予督办');
    expect(three!.text).toContain('报请分管领导');
    expect(one!.text).not.toContain('分管领导');
  });

  it('reminder and replyApproved use the Chinese names of obligations and reply classes', () => {
    expect(render('reminder').text).toContain('面商联系期限为2026年4月3日，距到期还有3天');
    expect(render('reminder', { daysLeft: 0 }).text).toContain('今天到期');
    const reply = render('replyApproved');
    expect(reply.text).toContain('B类（所提问题正在解决或已列入计划逐步解决）');
    expect(reply.text).toContain('满意、基本满意或不满意');
    expect(reply.html).toContain('href="https://ta.example.cn/feedback?token=abc"');
  });

  it('escapes user values in the HTML part', () => {
    const mail = render('objection', { title: '<script>alert(1)</script>', reason: '"><img src=x onerror=alert(2)>' });
    expect(mail.html).not.toContain('<script');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('&quot;&gt;&lt;img');
  });

  it('keeps CR/LF in a title out of the subject', () => {
    const mail = render('assignment', { title: '<script>alert(1)</script>\r\nBcc: x@evil.com' });
    expect(mail.subject).toBe('【阿拉尔市提案办理】交办通知：2026-001 <script>alert(1)</script> Bcc: x@evil.com');
    expect(mail.html).not.toContain('<script');
  });

  it('cuts a long title in the subject with …', () => {
    const mail = render('closed', { title: '夜'.repeat(300) });
    expect(mail.subject.endsWith('…')).toBe(true);
    expect(Array.from(mail.subject).length).toBeLessThanOrEqual(120);
    expect(mail.html).toContain('夜'.repeat(300));
  });

  it('renders only http(s) URLs as links', () => {
    const mail = render('replyApproved', { feedbackUrl: 'javascript:alert(1)' });
    expect(mail.html).not.toContain('href=');
    expect(mail.html).toContain('javascript:alert(1)');
    const noBase = renderRaw('closed', vars.closed, { ...city, linkBase: 'data:text/html,x' });
    expect(noBase.html).not.toContain('href=');
  });

  it('throws an error naming the kind and the field for invalid vars', () => {
    expect(() => render('assignment', { deadlines: { reply: '6/6/2026' } })).toThrow(/"assignment".*deadlines\.reply/);
    expect(() => renderRaw('escalation', { ...vars.escalation, level: 4 })).toThrow(/"escalation".*level/);
    expect(() => renderRaw('bulletin', { ...vars.bulletin, rows: [{ unit: 'x' }] })).toThrow(/rows\[0\]\.unitName/);
    const error = (() => {
      try {
        renderRaw('replyApproved', { ...vars.replyApproved, replyClass: 'TOOLONG', proposerName: undefined });
      } catch (e) {
        return e;
      }
    })();
    if (!(error instanceof NoticeVarsError)) throw new Error(`expected a NoticeVarsError, got ${String(error)}`);
    expect(error.kind).toBe('replyApproved');
    expect(error.fields.sort()).toEqual(['proposerName', 'replyClass']);
  });

  it('property: any title or reason keeps the subject on one line and no raw <script in the HTML', () => {
    const nasty = fc
      .array(
        fc.oneof(
          fc.constantFrom('<script>', '<SCRIPT ', '\r', '\n', '\u0085', '\u2028', '"', '&', '\u202e'),
          fc.string({ unit: 'binary', maxLength: 8 }),
        ),
        { maxLength: 12 },
      )
      .map((parts) => parts.join(''))
      .filter((s) => s.length > 0);
    fc.assert(
      fc.property(
        nasty,
        nasty,
        fc.constantFrom<NoticeKind>('triage', 'objection', 'replyReturned', 'extensionRequested', 'withdrawn'),
        (title, reason, kind) => {
          const mail = render(kind, { title, reason });
          expect(mail.subject).not.toMatch(/[\r\n\u0085\u2028\u2029]/);
          expect(Array.from(mail.subject).length).toBeLessThanOrEqual(120);
          expect(mail.html).not.toMatch(/<script/i);
        },
      ),
    );
  });
});
