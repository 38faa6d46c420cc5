/**
 * The routes of key proposals (重点提案) and the committee (提案委员会): designate a key proposal and
 * its 领办领导, the leader's 批示, a unit's 签收 of it, the office's return to the committee. parse ->
 * use case (shared/app/key-proposals.ts) -> the new view. routes.ts lends its helpers.
 */
import type { Identity } from '#domain/access.ts';
import type { Proposal } from '#domain/proposal.ts';
import type { Actor } from '#events/domain-events.ts';
import { acknowledgeInstructionFor, giveInstruction, returnProposalToCommittee, setKeyProposal } from '#app/key-proposals.ts';
import type { ApiState } from '#app/state.ts';
import { json, jsonBody, parse } from '#functions/http/http.ts';
import { authed, type AuthedContext, type Route } from '#functions/http/router.ts';
import { toView } from './views.ts';
import { proposalView } from './schemas.ts';
import * as S from './key-proposal-schemas.ts';

export interface KeyRouteHelpers {
  visibleProposal(state: ApiState, who: Identity, rawId: string | undefined): Promise<Proposal>;
  ownUnit(who: Identity, unit: string | undefined): string;
  actorOf(who: Identity): Actor;
}

export function keyProposalRoutes(h: KeyRouteHelpers): Route[] {
  const load = (ctx: AuthedContext) => () => h.visibleProposal(ctx.state, ctx.who, ctx.params.id);
  const view = (ctx: AuthedContext, p: Proposal) => json(200, toView(p, ctx.state, ctx.who));
  return [
    authed(
      'POST',
      '/v1/proposals/:id/key',
      ['office', 'committee'],
      async (ctx) => {
        const input = jsonBody(ctx.event, S.keyBody);
        return view(ctx, await setKeyProposal(ctx.state, load(ctx), h.actorOf(ctx.who), input));
      },
      { operationId: 'setKeyProposal', body: S.keyBody, summary: '设定或取消重点提案及其领办领导', response: proposalView },
    ),

    authed(
      'POST',
      '/v1/proposals/:id/instructions',
      ['leader'],
      async (ctx) => {
        const { text } = jsonBody(ctx.event, S.instructionBody);
        return view(ctx, await giveInstruction(ctx.state, load(ctx), ctx.who, h.actorOf(ctx.who), text));
      },
      { operationId: 'giveInstruction', body: S.instructionBody, summary: '领办领导批示（承办单位须签收）', response: proposalView },
    ),

    authed(
      'POST',
      '/v1/proposals/:id/instructions/:n/acknowledge',
      ['unit'],
      async (ctx) => {
        const n = parse(S.instructionNumberParam, ctx.params.n, 'n');
        const unit = h.ownUnit(ctx.who, ctx.who.role === 'unit' ? ctx.who.unit : undefined);
        return view(ctx, await acknowledgeInstructionFor(ctx.state, load(ctx), h.actorOf(ctx.who), n, unit));
      },
      { operationId: 'acknowledgeInstruction', summary: '承办单位签收领导批示', response: proposalView },
    ),

    authed(
      'POST',
      '/v1/proposals/:id/return-to-committee',
      ['office'],
      async (ctx) => {
        const { reason } = jsonBody(ctx.event, S.returnToCommitteeBody);
        return view(ctx, await returnProposalToCommittee(ctx.state, load(ctx), h.actorOf(ctx.who), reason));
      },
      {
        operationId: 'returnToCommittee',
        body: S.returnToCommitteeBody,
        summary: '退回提案委员会（不属于政府职责范围，由提案委员会重新审查）',
        response: proposalView,
      },
    ),
  ];
}
