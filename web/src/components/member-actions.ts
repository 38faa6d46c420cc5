/**
 * The console's action of a co-proposer (docs/console.md's table): 联名确认, accepting or declining
 * that a proposal is also theirs (POST /v1/proposals/{id}/cosign).
 */
import { api, unwrap } from '../api/client';
import type { ProposalView } from '../api/types';
import type { ActionContext, ActionSpec } from './actions';

export const memberActionSpecs: Record<'cosign', ActionSpec> = {
  cosign: {
    button: () => '联名确认',
    fields: () => [
      {
        prop: 'accept',
        label: '是否联名',
        kind: 'radio',
        required: true,
        options: [
          { value: 'yes', label: '同意联名' },
          { value: 'no', label: '不同意联名' },
        ],
      },
    ],
    initial: () => ({ accept: 'yes' }),
    submit: '提交确认',
    send: async (c: ActionContext, f) => {
      const answer = await unwrap(
        api().POST('/v1/proposals/{id}/cosign', { params: { path: { id: c.view.id } }, body: { accept: f.accept !== 'no' } }),
      );
      if ('actions' in answer) return answer;
      // Declined: no longer one of the proposers (the API shows them the number and status only).
      const me = c.identity.memberId;
      const view: ProposalView = { ...c.view, actions: [], proposers: c.view.proposers.filter((p) => p.memberId !== me) };
      return view;
    },
  },
};
