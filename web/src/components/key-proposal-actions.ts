/**
 * The console's actions of key proposals and the committee (docs/console.md's table): 重点提案 and
 * its 领办领导 (committee, office), 批示 (the leading leader), 签收批示 (units), 退回提案委员会 (office).
 */
import { api, unwrap } from '../api/client';
import type { ProposalView } from '../api/types';
import type { ActionContext, ActionSpec, FormValue } from './actions';

type KeyActions = 'setKey' | 'instruct' | 'acknowledgeInstruction' | 'returnToCommittee';

const text = (v: FormValue): string => (typeof v === 'string' ? v.trim() : '');
const id = (c: ActionContext) => ({ path: { id: c.view.id } });
/** The oldest 批示 the signed-in unit has not acknowledged yet. */
const pendingInstruction = (c: ActionContext) =>
  c.view.instructions.find((i) => {
    const u = c.identity.unit ? i.units[c.identity.unit] : undefined;
    return u !== undefined && !u.acknowledgedAt;
  });

export const keyProposalActionSpecs: Record<KeyActions, ActionSpec> = {
  setKey: {
    button: (v: ProposalView) => (v.key ? '调整重点提案' : '设为重点提案'),
    fields: (c) => [
      { prop: 'key', label: '重点提案', kind: 'switch' },
      {
        prop: 'leader',
        label: '领办领导',
        kind: 'select',
        options: (c.leaders ?? []).map((l) => ({ value: l.name, label: l.name })),
      },
    ],
    initial: (c) => ({ key: true, leader: c.view.leader ?? c.leaders?.[0]?.name }),
    submit: '确定',
    send: (c, f) => {
      const key = f.key === true;
      const leader = text(f.leader);
      return unwrap(api().POST('/v1/proposals/{id}/key', { params: id(c), body: { key, ...(key && leader ? { leader } : {}) } }));
    },
  },
  instruct: {
    button: () => '批示',
    fields: () => [{ prop: 'text', label: '批示内容', kind: 'textarea', required: true }],
    submit: '提交批示',
    send: (c, f) => unwrap(api().POST('/v1/proposals/{id}/instructions', { params: id(c), body: { text: text(f.text) } })),
  },
  acknowledgeInstruction: {
    button: () => '签收批示',
    confirm: '确认签收领导批示？请按批示要求认真落实。',
    send: (c) =>
      unwrap(
        api().POST('/v1/proposals/{id}/instructions/{n}/acknowledge', {
          params: { path: { id: c.view.id, n: String(pendingInstruction(c)?.n ?? '') } },
        }),
      ),
  },
  returnToCommittee: {
    button: () => '退回提案委员会',
    fields: () => [{ prop: 'reason', label: '退回理由', kind: 'textarea', required: true }],
    submit: '退回',
    send: (c, f) => unwrap(api().POST('/v1/proposals/{id}/return-to-committee', { params: id(c), body: { reason: text(f.reason) } })),
  },
};
