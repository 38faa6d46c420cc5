/**
 * Email templates of the committee's and the key proposals' notices (重点提案, 领导批示, 退回提案委员会),
 * in the manner of emails.ts (which takes them into its table): a small document per kind; the layout
 * escapes every value.
 */
import type { NoticeVarsMap } from '#events/notices.ts';
import { chineseDate as cn } from '#domain/glossary.ts';
import type { Block, Doc, TemplateCity } from '#render/layout.ts';

type Kinds = 'keyProposal' | 'instruction' | 'instructionAcknowledged' | 'returnedToCommittee';
type Templates = { [K in Kinds]: (v: NoticeVarsMap[K], city: TemplateCity) => Doc };

const ref = (v: { number: string; title: string }) => `${v.number}号提案《${v.title}》`;
const topic = (v: { number: string; title: string }) => ({ number: v.number, title: v.title });
const view = (city: TemplateCity, id: string, label = '查看提案'): Block => ({
  label,
  link: `${city.linkBase.replace(/\/+$/, '')}/v1/proposals/${encodeURIComponent(id)}`,
});

export const keyProposalTemplates: Templates = {
  keyProposal: (v, city) => ({
    label: v.change === 'set' ? '重点提案领办通知' : '重点提案调整通知',
    topic: topic(v),
    greeting: v.leader ? `${v.leader}：` : '领导：',
    blocks: [
      v.change === 'set'
        ? {
            p: `${ref(v)}已确定为重点提案，由您领衔督办（领办）。您将收到该提案的办理通知，并可在系统中作出批示，承办单位须签收落实。`,
          }
        : { p: `${ref(v)}已不再由您领办（重点提案已调整）。` },
      view(city, v.proposalId),
    ],
  }),
  instruction: (v, city) => ({
    label: '领导批示',
    topic: topic(v),
    greeting: `${city.unitName(v.unit)}：`,
    blocks: [
      { p: `${v.leader}对重点提案${ref(v)}作出批示（第${v.n}号），请你单位认真研究落实。` },
      { quote: v.text, label: '批示内容' },
      { p: `请于${cn(v.deadline)}前登录系统签收批示，并按批示要求办理。`, strong: true },
      view(city, v.proposalId, '签收批示'),
    ],
  }),
  instructionAcknowledged: (v, city) => ({
    label: '批示已签收',
    topic: topic(v),
    greeting: `${v.leader}：`,
    blocks: [{ p: `${city.unitName(v.unit)}已签收您对${ref(v)}的第${v.n}号批示。` }, view(city, v.proposalId)],
  }),
  returnedToCommittee: (v, city) => ({
    label: '提案退回提案委员会',
    topic: topic(v),
    greeting: '政协提案委员会：',
    blocks: [
      { p: `政府办公室认为${ref(v)}不属于政府职责范围，现退回提案委员会重新审查（立案、不予立案或并案）。` },
      { quote: v.reason, label: '退回理由' },
      view(city, v.proposalId, '重新审查'),
    ],
  }),
};
