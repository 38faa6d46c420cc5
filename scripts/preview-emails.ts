/**
 * Renders every notice kind with sample data (阿拉尔市) to tmp/email-preview/<name>.html and .txt,
 * plus index.html linking them. `npm run preview:emails` (tsx scripts/preview-emails.ts).
 * One sample has a malicious title to show that escaping and subject cleaning work.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { checkNotice, type NoticeKind, type NoticeOf, type NoticeVarsMap } from '#events/notices.ts';
import { renderNotice, type TemplateCity } from '#render/emails.ts';

const units: Record<string, string> = {
  commerce: '市商务局',
  urban: '市城市管理局',
  market: '市市场监督管理局',
  police: '市公安局',
  culture: '市文化体育广电和旅游局',
};
const city: TemplateCity = {
  name: '阿拉尔市',
  linkBase: 'http://127.0.0.1:3000',
  unitName: (id) => units[id] ?? id,
};

const p = { number: '2026-001', title: '关于加快发展夜市经济、激发城市消费活力的建议', proposalId: '01JQ8ZP3N7V2K5' };
const sample = <K extends NoticeKind>(name: string, kind: K, vars: NoticeVarsMap[K]) => {
  const notice: NoticeOf<K> = { id: `preview-${name}`, kind, recipients: [{ kind: 'office' }], vars, createdAt: '2026-03-06T02:00:00Z' };
  return { name, notice };
};

const reply: NoticeVarsMap['replyApproved'] = {
  number: p.number,
  title: p.title,
  unit: 'commerce',
  replyClass: 'B',
  replyText:
    '王丽委员、李建国委员：\n\n您提出的关于发展夜市经济的建议收悉。我局高度重视，会同市城市管理局、市市场监督管理局进行了研究。\n\n一、2026年将在塔河路步行街试点建设特色夜市街区，统一规划摊位和水电设施。\n二、制定夜间经营管理办法，明确经营时段和环境卫生要求。\n三、将夜市建设纳入2027年市级财政预算统筹安排。\n\n感谢您对商务工作的关心和支持。',
  proposerName: '王丽',
  feedbackUrl: 'http://127.0.0.1:3000/v1/feedback?token=eyJwIjoiMDFKUTgiLCJtIjoid2FuZ2xpIn0.c2lnbmF0dXJl',
  feedbackDeadline: '2026-06-26',
  letterUrl:
    'http://127.0.0.1:3000/v1/letter?id=0190d8a2-7c1e-7d3a-9b1f-2a6c4e8f1b3d&n=1&token=eyJwIjoiMDFKUTgiLCJtIjoid2FuZ2xpIn0.c2lnbmF0dXJl',
};

const samples = [
  sample('assignment', 'assignment', {
    ...p,
    unit: 'commerce',
    role: 'lead',
    deadlines: { acknowledge: '2026-03-13', objection: '2026-03-17', contact: '2026-04-03', reply: '2026-06-06' },
    matchedKeywords: ['夜市', '消费', '商业街区'],
    proposers: ['王丽', '李建国'],
  }),
  sample('assignment-co', 'assignment', {
    ...p,
    unit: 'urban',
    role: 'co',
    deadlines: { acknowledge: '2026-03-13', objection: '2026-03-17', coOpinion: '2026-04-08', reply: '2026-06-06' },
    matchedKeywords: ['占道经营', '环境卫生'],
    proposers: ['王丽', '李建国'],
  }),
  sample('assignment-malicious', 'assignment', {
    ...p,
    number: '2026-099',
    title: '<script>alert(1)</script>\r\nBcc: x@evil.com',
    unit: 'commerce',
    role: 'lead',
    deadlines: { acknowledge: '2026-03-13' },
    matchedKeywords: ['<img src=x onerror=alert(2)>'],
    proposers: ['"><b>Mallory</b>'],
    proposalId: '"><script>alert(3)</script>',
  }),
  sample('triage', 'triage', {
    ...p,
    number: '2026-017',
    title: '关于设立塔里木河生态保护志愿服务站的建议',
    reason: '没有单位的关键词得分达到最低分（2）。',
  }),
  sample('objection', 'objection', {
    ...p,
    unit: 'market',
    reason: '夜市摊位规划和管理主要由城市管理部门负责，\n我局仅负责食品安全监管，建议调整为协办。',
  }),
  sample('objectionDeclined', 'objectionDeclined', {
    ...p,
    unit: 'market',
    reason: '夜市食品安全监管是办理该提案的重要内容，请按原交办协办。',
    deadline: '2026-03-24',
  }),
  sample('reassignment', 'reassignment', {
    ...p,
    unit: 'market',
    change: 'removed',
    role: 'lead',
    reason: '根据申请调整，改由市商务局主办。',
  }),
  sample('reminder', 'reminder', { ...p, unit: 'commerce', obligation: 'contact', deadline: '2026-04-03', daysLeft: 3 }),
  sample('escalation', 'escalation', { ...p, unit: 'commerce', obligation: 'reply', deadline: '2026-06-06', level: 2, daysOverdue: 12 }),
  sample('escalation-1', 'escalation', {
    ...p,
    unit: 'commerce',
    obligation: 'acknowledge',
    deadline: '2026-03-13',
    level: 1,
    daysOverdue: 2,
  }),
  sample('escalation-3', 'escalation', { ...p, unit: 'commerce', obligation: 'reply', deadline: '2026-06-06', level: 3, daysOverdue: 35 }),
  sample('replyApproved', 'replyApproved', reply),
  sample('replyApproved-last-round', 'replyApproved', { ...reply, feedbackDeadline: '2026-09-04', rehandlePossible: false }),
  sample('feedbackReminder', 'feedbackReminder', {
    number: p.number,
    title: p.title,
    unit: 'commerce',
    proposerName: '王丽',
    feedbackUrl: 'http://127.0.0.1:3000/v1/feedback?token=eyJwIjoiMDFKUTgiLCJtIjoid2FuZ2xpIn0.c2lnbmF0dXJl',
    feedbackDeadline: '2026-06-26',
    daysLeft: 3,
  }),
  sample('replyReturned', 'replyReturned', {
    ...p,
    unit: 'commerce',
    reason: '答复未说明与提案人面商的情况；\n第三条措施缺少具体时间安排，请补充。',
  }),
  sample('rehandling', 'rehandling', {
    ...p,
    unit: 'commerce',
    deadline: '2026-08-05',
    comment: '答复中的试点街区离居民区太近，噪音问题没有考虑，希望再研究。',
  }),
  sample('rehandling-office', 'rehandling', {
    ...p,
    unit: 'commerce',
    deadline: '2026-08-05',
    orderedBy: 'office',
    reason: '答复未回应提案人提出的停车问题，请补充办理。',
  }),
  sample('extensionRequested', 'extensionRequested', {
    ...p,
    unit: 'commerce',
    n: 1,
    until: '2026-07-31',
    reason: '夜市选址需会同自然资源部门开展专题调研，原定期限内难以完成。',
    decideBy: '2026-03-20',
  }),
  sample('extensionDecided', 'extensionDecided', {
    ...p,
    unit: 'commerce',
    approve: true,
    until: '2026-07-31',
    reason: '同意延期，请按期答复。',
  }),
  sample('extensionRefused', 'extensionDecided', { ...p, unit: 'commerce', approve: false, until: '2026-07-31', reason: '理由不充分。' }),
  sample('supervision', 'supervision', {
    ...p,
    unit: 'commerce',
    mode: 'onsite',
    at: '2026-04-10',
    note: '现场查看夜市规划，要求4月底前完成选址方案。',
  }),
  sample('withdrawn', 'withdrawn', { ...p, unit: 'commerce', reason: '所提问题已通过其他渠道解决。' }),
  sample('closed', 'closed', { ...p, followUp: true }),
  sample('deliveryFailed', 'deliveryFailed', {
    ...p,
    failedKind: 'assignment',
    noticeId: '01JQ8ZP3N7V2K5:3/assignment/commerce',
    to: ['swj@example.gov.cn'],
    reason: '邮件服务拒收（MessageRejected: Email address is not verified）',
  }),
  sample('reviewResult', 'reviewResult', {
    ...p,
    decision: 'merged',
    intoNumber: '2026-002',
    intoTitle: '关于发展夜间经济的建议',
    reason: '内容相近，并案办理',
  }),
  sample('replyForReview', 'replyForReview', { ...p, unit: 'commerce', replyClass: 'A', round: 1 }),
  sample('keyProposal', 'keyProposal', { ...p, key: true, leader: '分管副市长', change: 'set' }),
  sample('instruction', 'instruction', {
    ...p,
    unit: 'commerce',
    leader: '分管副市长',
    text: '夜间经济是扩大消费的重要抓手。请商务局牵头，会同有关部门拿出夜市街区建设方案，年内见成效。',
    n: 1,
    deadline: '2026-03-20',
  }),
  sample('instructionAcknowledged', 'instructionAcknowledged', { ...p, unit: 'commerce', leader: '分管副市长', n: 1 }),
  sample('returnedToCommittee', 'returnedToCommittee', { ...p, reason: '所提事项属于法院职责，不属于政府职责范围。' }),
  sample('cosignRequest', 'cosignRequest', {
    ...p,
    proposerName: '李建国',
    initiator: '王丽',
    consoleUrl: 'https://proposals.alar.example.gov.cn/proposals/P1',
  }),
  sample('cosignRequest-collective', 'cosignRequest', {
    ...p,
    proposerName: '"><b>Mallory</b>',
    initiator: '王丽',
    collective: '经济界（界别）',
    consoleUrl: 'https://proposals.alar.example.gov.cn/proposals/P1',
  }),
  sample('bulletin', 'bulletin', {
    period: '2026年第二季度',
    rows: [
      {
        unit: 'commerce',
        unitName: '市商务局',
        open: 4,
        followUp: 1,
        overdue: 1,
        periodAnswered: 3,
        periodOnTime: 2,
        assigned: 7,
        answered: 6,
        replyRate: 6 / 7,
        onTimeReplyRate: 0.857,
      },
      {
        unit: 'urban',
        unitName: '市城市管理局',
        open: 2,
        followUp: 0,
        overdue: 0,
        periodAnswered: 1,
        periodOnTime: 1,
        assigned: 4,
        answered: 4,
        replyRate: 1,
        onTimeReplyRate: 1,
      },
      {
        unit: 'market',
        unitName: '市市场监督管理局',
        open: 5,
        followUp: 2,
        overdue: 3,
        periodAnswered: 2,
        periodOnTime: 0,
        assigned: 6,
        answered: 3,
        replyRate: 0.5,
        onTimeReplyRate: 0.6,
      },
      {
        unit: 'culture',
        unitName: '市文化体育广电和旅游局',
        open: 1,
        followUp: 0,
        overdue: 0,
        periodAnswered: 0,
        periodOnTime: 0,
        assigned: 1,
        answered: 0,
        replyRate: 0,
        onTimeReplyRate: null,
      },
    ],
    best: ['urban'],
    criticized: ['commerce', 'market'],
  }),
];

const dir = fileURLToPath(new URL('../tmp/email-preview/', import.meta.url));
await mkdir(dir, { recursive: true });
const links: string[] = [];
for (const s of samples) {
  const mail = renderNotice(checkNotice(s.notice), city); // checked as the mailer checks it
  await writeFile(`${dir}${s.name}.html`, mail.html);
  await writeFile(`${dir}${s.name}.txt`, `Subject: ${mail.subject}\n\n${mail.text}`);
  links.push(`<li><a href="${s.name}.html">${s.name}</a> (<a href="${s.name}.txt">txt</a>) — ${escapeHtml(mail.subject)}</li>`);
  console.log(`${dir}${s.name}.html`);
}
await writeFile(
  `${dir}index.html`,
  `<!DOCTYPE html><meta charset="utf-8"><title>邮件预览</title><h1>邮件预览</h1><ul>\n${links.join('\n')}\n</ul>\n`,
);
console.log(`${dir}index.html`);

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
