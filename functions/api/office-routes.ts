/**
 * The routes of the office's powers (重新办理, 督办记录, 审批延期, 修改标题/类别) and of the lead unit's
 * 申请延期 and a proposer's 撤案: parse -> pure decision (shared/domain/office-powers.ts) or use case ->
 * the new view. routes.ts lends its helpers (visible proposal, command, own unit, actor).
 */
import type { Identity } from '#domain/access.ts';
import type { Proposal } from '#domain/proposal.ts';
import type { Actor } from '#events/domain-events.ts';
import type * as wf from '#domain/workflow.ts';
import { editProposal, orderRehandling, recordSupervision, withdraw } from '#domain/office-powers.ts';
import { decideReplyExtension, requestReplyExtension } from '#app/extension-requests.ts';
import type { ApiState } from '#app/state.ts';
import { json, jsonBody, parse, type ApiResult } from '#functions/http/http.ts';
import { authed, type AuthedContext, type Route } from '#functions/http/router.ts';
import { toView } from './views.ts';
import { proposalView } from './schemas.ts';
import * as S from './office-schemas.ts';

export interface RouteHelpers {
  visibleProposal(state: ApiState, who: Identity, rawId: string | undefined): Promise<Proposal>;
  command(ctx: AuthedContext, decide: (p: Proposal, c: wf.Ctx) => wf.Decision): Promise<ApiResult>;
  ownUnit(who: Identity, unit: string | undefined): string;
  actorOf(who: Identity): Actor;
}

export function officePowerRoutes(h: RouteHelpers): Route[] {
  const load = (ctx: AuthedContext) => () => h.visibleProposal(ctx.state, ctx.who, ctx.params.id);
  return [
    authed(
      'POST',
      '/v1/proposals/:id/rehandle',
      ['office'],
      async (ctx) => {
        const { reason, unit } = jsonBody(ctx.event, S.rehandleBody);
        return h.command(ctx, (p, c) => orderRehandling(p, c, reason, unit ?? p.lead ?? ''));
      },
      {
        operationId: 'orderRehandling',
        body: S.rehandleBody,
        summary: '重新办理（政府办决定，次数以城市配置为限）',
        response: proposalView,
      },
    ),

    authed(
      'POST',
      '/v1/proposals/:id/supervision',
      ['office'],
      async (ctx) => {
        const input = jsonBody(ctx.event, S.supervisionBody);
        return h.command(ctx, (p, c) => recordSupervision(p, c, input));
      },
      {
        operationId: 'recordSupervision',
        body: S.supervisionBody,
        summary: '督办记录（实地督查 / 电话督办 / 座谈）',
        response: proposalView,
      },
    ),

    authed(
      'POST',
      '/v1/proposals/:id/extension-requests',
      ['unit'],
      async (ctx) => {
        const input = jsonBody(ctx.event, S.extensionRequestBody);
        const unit = h.ownUnit(ctx.who, ctx.who.role === 'unit' ? ctx.who.unit : undefined);
        const p = await requestReplyExtension(ctx.state, load(ctx), h.actorOf(ctx.who), unit, input);
        return json(200, toView(p, ctx.state, ctx.who));
      },
      {
        operationId: 'requestExtension',
        body: S.extensionRequestBody,
        summary: '主办单位申请延期答复（由政府办审批，不超过 replyMax）',
        response: proposalView,
      },
    ),

    authed(
      'POST',
      '/v1/proposals/:id/extension-requests/:n/decision',
      ['office'],
      async (ctx) => {
        const n = parse(S.extensionRequestNumberParam, ctx.params.n, 'n');
        const input = jsonBody(ctx.event, S.extensionDecisionBody);
        const p = await decideReplyExtension(ctx.state, load(ctx), h.actorOf(ctx.who), n, input);
        return json(200, toView(p, ctx.state, ctx.who));
      },
      { operationId: 'decideExtension', body: S.extensionDecisionBody, summary: '审批延期申请（同意 / 不同意）', response: proposalView },
    ),

    authed(
      'POST',
      '/v1/proposals/:id/edit',
      ['office'],
      async (ctx) => {
        const input = jsonBody(ctx.event, S.editBody);
        return h.command(ctx, (p, c) => editProposal(p, c, input));
      },
      { operationId: 'editProposal', body: S.editBody, summary: '修改提案标题或类别（保留原值）', response: proposalView },
    ),

    authed(
      'POST',
      '/v1/proposals/:id/withdraw',
      ['member'],
      async (ctx) => {
        const { reason } = jsonBody(ctx.event, S.withdrawBody);
        const memberId = ctx.who.role === 'member' ? ctx.who.memberId : '';
        return h.command(ctx, (p, c) => withdraw(p, c, memberId, reason));
      },
      { operationId: 'withdrawProposal', body: S.withdrawBody, summary: '提案人撤回提案（答复前）', response: proposalView },
    ),
  ];
}
