/**
 * Email templates (通知模板): one short function per notice kind turns the notice's typed vars
 * (events/notices.ts) into a small document (paragraphs, fields, quoted text, links, one table);
 * `layout` (layout.ts) renders that document as the subject, the text part and the HTML part, and
 * alone escapes. Names come from the glossary. Pure: no I/O.
 */
import type { NoticeKind, NoticeOf, NoticeVarsMap } from '#events/notices.ts';
import { chineseDate, noticeKindNames, obligationNames, pct, replyClassNames, roleNames, supervisionModeNames } from '#domain/glossary.ts';
import { layout, type Block, type Doc, type RenderedMail, type TemplateCity } from '#render/layout.ts';
import { keyProposalTemplates } from '#render/key-proposal-emails.ts';
import { memberTemplates } from '#render/member-emails.ts';

export type { RenderedMail, TemplateCity } from '#render/layout.ts';

/** The email of a notice whose vars are checked (a Notice, or a message through checkNotice). */
export function renderNotice<K extends NoticeKind>(notice: NoticeOf<K>, city: TemplateCity): RenderedMail {
  return layout(templates[notice.kind](notice.vars, city), city);
}

type Templates = { [K in NoticeKind]: (v: NoticeVarsMap[K], city: TemplateCity) => Doc };
const cn = chineseDate; // 2026-03-09 -> 2026年3月9日
const ref = (v: { number: string; title: string }) => `${v.number}号提案《${v.title}》`;
const topic = (v: { number: string; title: string }) => ({ number: v.number, title: v.title });
const view = (city: TemplateCity, id: string): Block => ({
  label: '查看提案',
  link: `${city.linkBase.replace(/\/+$/, '')}/v1/proposals/${encodeURIComponent(id)}`,
});

const templates: Templates = {
  ...keyProposalTemplates,
  ...memberTemplates,
  assignment: (v, city) => {
    const { acknowledge, objection, contact, coOpinion, reply } = v.deadlines;
    const by = (d: string | undefined) => (d ? `于${cn(d)}前` : '尽快');
    const lead = v.role === 'lead';
    return {
      label: '交办通知',
      topic: topic(v),
      greeting: `${city.unitName(v.unit)}：`,
      blocks: [
        lead && v.partners?.length
          ? {
              p: `经审查，${ref(v)}由你单位与${v.partners.map((u) => city.unitName(u)).join('、')}分办。请你单位就职责范围内的部分主办，与提案人面商，并负责就该部分答复提案人；各单位分别答复、分别接受评价。`,
            }
          : lead
            ? { p: `经审查，${ref(v)}交由你单位主办。请你单位牵头办理，加强与协办单位的沟通协调，与提案人面商，并负责答复提案人。` }
            : { p: `经审查，${ref(v)}交由你单位协办。请你单位积极配合主办单位办理，并按时向主办单位提出会签意见。` },
        {
          fields: [
            ['提案编号', v.number],
            ['提案标题', v.title],
            ['提案人', v.proposers.join('、') || undefined],
            ['办理方式', roleNames[v.role]],
            ['签收期限', acknowledge && cn(acknowledge)],
            ['申请调整期限', objection && cn(objection)],
            lead ? ['面商联系期限', contact && cn(contact)] : ['会签意见期限', coOpinion && cn(coOpinion)],
            [lead ? '答复期限' : '主办单位答复期限', reply && cn(reply)],
            ['匹配关键词', v.matchedKeywords.join('、') || undefined],
          ],
        },
        {
          p: `下一步：请${by(acknowledge)}登录系统签收，${lead ? `${by(contact)}与提案人面商联系` : `${by(coOpinion)}向主办单位提出会签意见`}。如认为该提案不属于你单位职责范围，请${by(objection)}提出调整申请并说明理由。`,
          strong: true,
        },
        view(city, v.proposalId),
      ],
    };
  },
  triage: (v, city) => ({
    label: '待人工交办',
    topic: topic(v),
    greeting: '提案工作人员：',
    blocks: [
      { p: `${ref(v)}无法自动交办，请人工指定主办单位和协办单位。` },
      { quote: v.reason, label: '原因' },
      { ...view(city, v.proposalId), label: '前往交办' },
    ],
  }),
  objection: (v, city) => ({
    label: '申请调整',
    topic: topic(v),
    greeting: '提案工作人员：',
    blocks: [
      { p: `${city.unitName(v.unit)}对${ref(v)}的交办提出调整申请，请审核后重新交办或维持原交办。` },
      { quote: v.reason, label: '申请理由' },
      view(city, v.proposalId),
    ],
  }),
  objectionDeclined: (v, city) => ({
    label: '维持原交办',
    topic: topic(v),
    greeting: `${city.unitName(v.unit)}：`,
    blocks: [
      { p: `你单位对${ref(v)}提出的调整申请，经审核，决定维持原交办，仍由你单位按原交办承办。` },
      ...(v.reason ? [{ quote: v.reason, label: '审核意见' }] : []),
      {
        fields: [
          ['提案编号', v.number],
          ['提案标题', v.title],
          ['签收期限', v.deadline && cn(v.deadline)],
        ],
      },
      { p: v.deadline ? `下一步：请于${cn(v.deadline)}前登录系统签收，并按期办理。` : '下一步：你单位已签收，请按期办理。', strong: true },
      view(city, v.proposalId),
    ],
  }),
  reassignment: (v, city) => ({
    label: '交办调整',
    topic: topic(v),
    greeting: `${city.unitName(v.unit)}：`,
    blocks: [
      v.change === 'removed'
        ? { p: `${ref(v)}的交办已调整，你单位不再${v.role ? `作为${roleNames[v.role]}单位` : ''}承办该提案，无需继续办理。` }
        : { p: `${ref(v)}的交办已调整，现增加你单位为${v.role ? roleNames[v.role] : '承办'}单位，请尽快登录系统签收并办理。` },
      ...(v.reason ? [{ quote: v.reason, label: '调整原因' }] : []),
      view(city, v.proposalId),
    ],
  }),
  reminder: (v, city) => {
    const duty = obligationNames[v.obligation];
    const left = v.daysLeft === 0 ? '今天到期' : `距到期还有${v.daysLeft}天`;
    return {
      label: '办理提醒',
      topic: topic(v),
      greeting: v.unit ? `${city.unitName(v.unit)}：` : '您好：',
      blocks: [
        { p: `${ref(v)}的${duty}期限为${cn(v.deadline)}，${left}。请按时完成${duty}。` },
        {
          fields: [
            ['提案编号', v.number],
            ['提案标题', v.title],
            ['办理事项', duty],
            ['办理期限', cn(v.deadline)],
          ],
        },
        view(city, v.proposalId),
      ],
    };
  },
  escalation: (v, city) => {
    const duty = obligationNames[v.obligation];
    const who = v.unit ? city.unitName(v.unit) : '承办单位';
    const late = `${ref(v)}的${duty}已于${cn(v.deadline)}到期，目前已逾期${v.daysOverdue}天`;
    const words = {
      1: { label: '催办通知', p: `${late}。请抓紧办理，尽快完成${duty}。` },
      2: { label: '督办通知', p: `${late}，经催办仍未完成，现予督办。请${who}高度重视，立即完成${duty}，并书面说明逾期原因。` },
      3: {
        label: '督办通知（报分管领导）',
        p: `${late}，经催办、督办仍未完成，现报请分管领导督促办理。请${who}主要负责同志亲自过问，立即落实，并书面说明逾期原因。`,
      },
    }[v.level];
    return {
      label: words.label,
      topic: topic(v),
      greeting: v.unit ? `${who}：` : '您好：',
      blocks: [
        { p: words.p, strong: v.level > 1 },
        {
          fields: [
            ['提案编号', v.number],
            ['提案标题', v.title],
            ['承办单位', v.unit && who],
            ['办理事项', duty],
            ['逾期天数', `${v.daysOverdue}天`],
          ],
        },
        view(city, v.proposalId),
      ],
    };
  },
  replyApproved: (v, city) => ({
    label: '提案答复',
    topic: topic(v),
    greeting: `尊敬的${v.proposerName}：`,
    blocks: [
      { p: `您提出的${ref(v)}已由${city.unitName(v.unit)}办理答复，经审核，现将答复转送给您。` },
      {
        fields: [
          ['答复单位', city.unitName(v.unit)],
          ['答复类别', `${v.replyClass}类（${replyClassNames[v.replyClass]}）`],
        ],
      },
      { quote: v.replyText, label: '答复内容' },
      ...(v.letterUrl ? [{ link: v.letterUrl, label: '查看、打印答复函' }] : []),
      ...(v.parts
        ? [{ p: `本提案由${v.parts}个单位分办，各单位分别答复、分别评价。其余单位答复后，提案进入评价期，届时您会收到评价提醒。` }]
        : []),
      {
        p: `请${v.parts ? '在评价期内' : `于${cn(v.feedbackDeadline)}前`}对办理结果作出评价：满意、基本满意或不满意。您的评价是考核承办单位的重要依据${v.rehandlePossible === false ? '。本次答复为最终答复，评价后提案即办结' : '；如不满意，承办单位将重新办理'}。`,
        strong: true,
      },
      { link: v.feedbackUrl, label: '评价办理结果' },
      { p: v.letterUrl ? '以上链接仅供您本人使用，请勿转发。' : '此链接仅供您本人使用，请勿转发。' },
    ],
  }),
  feedbackReminder: (v, city) => ({
    label: '评价提醒',
    topic: topic(v),
    greeting: `尊敬的${v.proposerName}：`,
    blocks: [
      {
        p: `${city.unitName(v.unit)}对您提出的${ref(v)}的办理答复已转送给您，请于${cn(v.feedbackDeadline)}前对办理结果作出评价（${v.daysLeft === 0 ? '今天到期' : `距到期还有${v.daysLeft}天`}）。逾期未评价的，提案按期办结。`,
        strong: true,
      },
      { link: v.feedbackUrl, label: '评价办理结果' },
      { p: '此链接仅供您本人使用，请勿转发。如您已作出评价，请忽略本邮件。' },
    ],
  }),
  reviewResult: (v, city) => ({
    label: v.decision === 'rejected' ? '不予立案通知' : '并案处理通知',
    topic: topic(v),
    greeting: '尊敬的提案人：',
    blocks: [
      v.decision === 'rejected'
        ? { p: `您提出的${ref(v)}经审查，不予立案。感谢您对政府工作的关心和支持。` }
        : {
            p: `您提出的${ref(v)}与${v.intoNumber ?? ''}号提案${v.intoTitle ? `《${v.intoTitle}》` : ''}内容相近，经审查并案办理。您将作为该提案的提案人收到办理答复。`,
          },
      ...(v.reason?.trim() ? [{ quote: v.reason, label: v.decision === 'rejected' ? '不予立案理由' : '并案说明' }] : []),
      view(city, v.proposalId),
    ],
  }),
  replyForReview: (v, city) => ({
    label: '答复待审核',
    topic: topic(v),
    greeting: '提案工作人员：',
    blocks: [
      {
        p: `${city.unitName(v.unit)}已提交${ref(v)}的${v.round > 1 ? '重新办理' : ''}答复（${v.replyClass}类），请及时审核：通过后答复将发送提案人，或退回并说明理由。`,
      },
      { ...view(city, v.proposalId), label: '审核答复' },
    ],
  }),
  replyForSignOff: (v, city) => ({
    label: '答复待签发',
    topic: topic(v),
    greeting: `${city.unitName(v.unit)}负责同志：`,
    blocks: [
      {
        p: `你单位对${ref(v)}的${v.round > 1 ? '重新办理' : ''}答复（${v.replyClass}类）已拟好，请审阅签发。签发后答复函取得文号，按程序报送审核。`,
      },
      { ...view(city, v.proposalId), label: '审阅签发' },
    ],
  }),
  replyForCountersign: (v, city) => ({
    label: '答复待会签',
    topic: topic(v),
    greeting: `${city.unitName(v.unit)}：`,
    blocks: [
      {
        p: `主办单位${city.unitName(v.lead)}对${ref(v)}的答复（${v.replyClass}类）已签发，请你单位作为协办单位于${cn(v.deadline)}前会签。`,
      },
      { ...view(city, v.proposalId), label: '会签答复' },
    ],
  }),
  secondReply: (v, city) => ({
    label: '二次答复',
    topic: topic(v),
    greeting: `尊敬的${v.proposerName}：`,
    blocks: [
      { p: `${city.unitName(v.unit)}对您提出的${ref(v)}所提问题的落实情况作出二次答复，现转送给您。` },
      { quote: v.text, label: '落实情况' },
      { p: '您可以登录提案工作台对二次答复作出评价。' },
      { ...view(city, v.proposalId), label: '查看并评价' },
    ],
  }),
  replyReturned: (v, city) => ({
    label: '答复退回',
    topic: topic(v),
    greeting: `${city.unitName(v.unit)}：`,
    blocks: [
      { p: `你单位对${ref(v)}的答复经审核未予通过，现予退回。请按以下意见修改后重新提交。` },
      { quote: v.reason, label: '退回原因' },
      view(city, v.proposalId),
    ],
  }),
  rehandling: (v, city) => ({
    label: '重新办理通知',
    topic: topic(v),
    greeting: `${city.unitName(v.unit)}：`,
    blocks: [
      {
        p: `${v.orderedBy === 'office' ? `经审核，${ref(v)}的办理答复未达到要求，政府办公室决定重新办理` : `提案人对${ref(v)}的办理结果不满意`}。请你单位重新办理，再次与提案人沟通，并于${cn(v.deadline)}前重新答复。`,
        strong: true,
      },
      ...(v.comment ? [{ quote: v.comment, label: '提案人意见' }] : []),
      ...(v.reason ? [{ quote: v.reason, label: '重新办理理由' }] : []),
      view(city, v.proposalId),
    ],
  }),
  extensionRequested: (v, city) => ({
    label: '延期申请',
    topic: topic(v),
    greeting: '提案工作人员：',
    blocks: [
      {
        p: `${city.unitName(v.unit)}申请将${ref(v)}的答复期限延至${cn(v.until)}，请于${cn(v.decideBy)}前审批（同意或不同意）。`,
        strong: true,
      },
      { quote: v.reason, label: '申请理由' },
      {
        fields: [
          ['提案编号', v.number],
          ['申请单位', city.unitName(v.unit)],
          ['申请延至', cn(v.until)],
          ['审批期限', cn(v.decideBy)],
        ],
      },
      { ...view(city, v.proposalId), label: '审批延期' },
    ],
  }),
  extensionDecided: (v, city) => ({
    label: v.approve ? '延期申请已同意' : '延期申请未同意',
    topic: topic(v),
    greeting: `${city.unitName(v.unit)}：`,
    blocks: [
      v.approve
        ? { p: `你单位关于${ref(v)}的延期申请，经审批同意，答复期限延至${cn(v.until)}。请按新的期限办理答复。`, strong: true }
        : { p: `你单位关于${ref(v)}的延期申请（延至${cn(v.until)}），经审批未予同意。请按原答复期限办理。`, strong: true },
      ...(v.reason ? [{ quote: v.reason, label: '审批意见' }] : []),
      view(city, v.proposalId),
    ],
  }),
  supervision: (v, city) => ({
    label: '督办记录',
    topic: topic(v),
    greeting: `${city.unitName(v.unit)}：`,
    blocks: [
      { p: `政府办公室于${cn(v.at)}对你单位办理${ref(v)}的情况进行了${supervisionModeNames[v.mode]}，现将督办意见告知如下，请抓紧落实。` },
      { quote: v.note, label: '督办意见' },
      view(city, v.proposalId),
    ],
  }),
  withdrawn: (v, city) => ({
    label: '撤案通知',
    topic: topic(v),
    greeting: v.unit ? `${city.unitName(v.unit)}：` : '提案工作人员：',
    blocks: [
      { p: `${ref(v)}已由提案人撤回（撤案）。${v.unit ? '你单位无需继续办理。' : ''}`, strong: true },
      { quote: v.reason, label: '撤案理由' },
      view(city, v.proposalId),
    ],
  }),
  closed: (v, city) => ({
    label: '办结通知',
    topic: topic(v),
    greeting: '您好：',
    blocks: [
      { p: `${ref(v)}已办结。` },
      { p: v.followUp ? '所提问题尚在落实中，承办单位将继续跟踪落实，并按期报告进展情况。' : '感谢您对提案办理工作的支持。' },
      view(city, v.proposalId),
    ],
  }),
  deliveryFailed: (v, city) => {
    const kind = noticeKindNames[v.failedKind];
    const about = v.number && v.title ? { number: v.number, title: v.title } : undefined;
    return {
      label: '通知发送失败',
      topic: about ?? kind,
      greeting: '提案工作人员：',
      blocks: [
        {
          p: `${about ? `${ref(about)}的` : ''}“${kind}”邮件未能送达，系统已停止重试。请核实收件地址，并通过电话等方式通知收件人；如地址有误，请更正城市配置中的邮箱。`,
          strong: true,
        },
        {
          fields: [
            ['通知类型', kind],
            ['收件人', v.to.join('、') || undefined],
            ['通知编号', v.noticeId],
          ],
        },
        { quote: v.reason, label: '失败原因' },
        ...(v.proposalId ? [view(city, v.proposalId)] : []),
      ],
    };
  },
  bulletin: (v, city) => {
    const names = new Map(v.rows.map((r) => [r.unit, r.unitName]));
    const nameOf = (id: string) => names.get(id) ?? city.unitName(id);
    const [best, criticized] = [v.best.map(nameOf), v.criticized.map(nameOf)];
    const own = v.to === undefined ? undefined : v.rows.find((r) => r.unit === v.to);
    const ownText = own
      ? `截至发送时，你单位在办${own.open}件、跟踪落实${own.followUp}件，其中逾期${own.overdue}件；本期签发答复${own.periodAnswered}件（按时${own.periodOnTime}件）；` +
        `本年累计主办${own.assigned}件、已办复${own.answered}件，办复率${pct(own.replyRate)}，按时办复率${pct(own.onTimeReplyRate)}。`
      : '截至发送时，你单位无在办事项，本年暂无主办提案。';
    const verdict =
      v.to && v.criticized.includes(v.to)
        ? '你单位有逾期事项，予以通报批评，请高度重视，抓紧办理。'
        : v.to && v.best.includes(v.to)
          ? '你单位予以通报表扬。'
          : '';
    return {
      label: '办理情况通报',
      topic: v.period,
      greeting: v.to ? `${city.unitName(v.to)}：` : '各位领导、提案工作人员：',
      blocks: [
        { p: `现将${v.period}提案办理情况通报如下。` },
        ...(v.to ? [{ p: `${ownText}${verdict}`, strong: true }] : []),
        v.rows.length
          ? {
              head: [
                '承办单位',
                '在办（当前）',
                '跟踪落实（当前）',
                '逾期（当前）',
                '本期办复',
                '本期按时办复',
                '本年累计主办',
                '本年累计办复率',
                '本年累计按时办复率',
              ],
              table: v.rows.map((r) => [
                r.unitName,
                `${r.open}`,
                `${r.followUp}`,
                `${r.overdue}`,
                `${r.periodAnswered}`,
                `${r.periodOnTime}`,
                `${r.assigned}`,
                pct(r.replyRate),
                pct(r.onTimeReplyRate),
              ]),
            }
          : { p: '本期暂无办理数据。' },
        {
          p: `说明：“当前”为截至发送时的状态（含往年事项；已办复、在跟踪落实的提案不计入在办）；“本期”为${v.period}内承办单位签发的答复；“本年累计”为本年度主办提案。按时办复以承办单位签发答复的时间计，不含政府办审核时间。`,
        },
        ...(best.length ? [{ p: `按时办复率较高且无逾期事项的单位：${best.join('、')}，予以通报表扬。` }] : []),
        ...(criticized.length ? [{ p: `有逾期事项的单位：${criticized.join('、')}，予以通报批评，请抓紧办理。` }] : []),
      ],
    };
  },
};
