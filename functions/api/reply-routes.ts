/**
 * The reply steps (答复): the lead unit drafts or submits (起草/提交), its head signs off (签发, the
 * 文号 is taken then), the co-units countersign (会签), the office approves (with a class correction)
 * or returns. Each: parse -> pure decision (shared/domain/workflow.ts) -> the new view. The steps a
 * city skips (config replies.signOff / countersign) are skipped by the decisions themselves.
 */
import * as wf from '#domain/workflow.ts';
import { formatLetterNumber, type Proposal } from '#domain/proposal.ts';
import { Forbidden, InvalidInput } from '#app/errors.ts';
import { runCommand } from '#app/run-command.ts';
import type { ApiState } from '#app/state.ts';
import { json, jsonBody, parse, type ApiEvent } from '#functions/http/http.ts';
import { authed, type AuthedContext, type Route } from '#functions/http/router.ts';
import type { RouteHelpers } from './office-routes.ts';
import { toView } from './views.ts';
import { proposalView, replyNumberParam, returnBody } from './schemas.ts';
import * as S from './reply-schemas.ts';

/** The body, or {} when there is none (these steps need none). */
const optionalBody = <T extends Parameters<typeof jsonBody>[1]>(event: ApiEvent, schema: T) =>
  (event.body ?? '').trim() === '' ? parse(schema, {}) : jsonBody(event, schema);

function checkClass(state: ApiState, code: string, path: string): void {
  const codes = state.config.replies.classes.map((c) => c.code);
  if (!codes.includes(code)) throw new InvalidInput([{ path, message: `答复类别须为本市的类别之一：${codes.join('、')}` }]);
}

/** The counter of a unit's letters in the city's current year, and the 文号 its next value makes. */
function letterNumbering(state: ApiState, unit: string) {
  const year = Number(state.calendar.localDate(state.clock.now()).slice(0, 4));
  const u = state.config.units.find((x) => x.id === unit);
  const short = u?.short ?? u?.name ?? unit;
  return {
    counter: `LETTER#${unit}#${year}`,
    docNumber: (seq: number) => formatLetterNumber(state.config.replies.letterNumber, { id: unit, short }, year, seq),
  };
}

/** Runs a numbered step: the decision may take the unit's next 文号 (gapless, moved in the same save). */
async function numbered(
  h: RouteHelpers,
  ctx: AuthedContext,
  unit: string,
  decide: (p: Proposal, c: wf.Ctx, docNumber: string) => wf.Decision,
) {
  const p = await h.visibleProposal(ctx.state, ctx.who, ctx.params.id);
  const { counter, docNumber } = letterNumbering(ctx.state, unit);
  const saved = await runCommand(ctx.state, p.id, h.actorOf(ctx.who), (q, c, seq) => decide(q, c, docNumber(seq)), p, counter);
  return json(200, toView(saved, ctx.state, ctx.who));
}

export function replyRoutes(h: RouteHelpers): Route[] {
  const ownUnit = (ctx: AuthedContext) => h.ownUnit(ctx.who, ctx.who.role === 'unit' ? ctx.who.unit : undefined);
  return [
    authed(
      'POST',
      '/v1/proposals/:id/replies',
      ['unit'],
      async (ctx) => {
        const b = jsonBody(ctx.event, S.replyBody);
        checkClass(ctx.state, b.class, 'class');
        const unit = ownUnit(ctx);
        const given = b.contactName !== undefined || b.contactPhone !== undefined || b.disclosure !== undefined;
        const letter = given
          ? {
              contactName: b.contactName ?? '',
              contactPhone: b.contactPhone ?? '',
              disclosure: b.disclosure ?? ('public' as const),
              ...(b.disclosureReason ? { disclosureReason: b.disclosureReason } : {}),
            }
          : undefined;
        return numbered(h, ctx, unit, (p, c, docNumber) =>
          wf.submitReply(p, c, unit, b.class, b.text, {
            ...(b.draft ? { draft: true } : { docNumber }),
            letter: letter ?? wf.replyInUnit(p, unit)?.letter ?? { contactName: '', contactPhone: '', disclosure: 'public' },
          }),
        );
      },
      {
        operationId: 'submitReply',
        body: S.replyBody,
        summary: '主办单位起草或提交答复（draft: true 仅保存草稿；否则送签发或审核）',
        response: proposalView,
      },
    ),

    authed(
      'POST',
      '/v1/proposals/:id/replies/:n/sign',
      ['unit'],
      async (ctx) => {
        const n = parse(replyNumberParam, ctx.params.n, 'n');
        const b = optionalBody(ctx.event, S.signBody);
        const unit = ownUnit(ctx);
        if (ctx.who.role !== 'unit' || !ctx.who.unitHead) throw new Forbidden('只有单位负责人（unitHead）可以签发答复');
        const signer = b.signer ?? ctx.who.name;
        if (!signer) throw new InvalidInput([{ path: 'signer', message: '需要签发人姓名（令牌中没有 name）' }]);
        return numbered(h, ctx, unit, (p, c, docNumber) => wf.signReply(p, c, unit, n, signer, docNumber));
      },
      { operationId: 'signReply', body: S.signBody, bodyOptional: true, summary: '单位负责人签发答复（取得文号）', response: proposalView },
    ),

    authed(
      'POST',
      '/v1/proposals/:id/replies/:n/countersign',
      ['unit'],
      async (ctx) => {
        const n = parse(replyNumberParam, ctx.params.n, 'n');
        const { note } = optionalBody(ctx.event, S.countersignBody);
        const unit = ownUnit(ctx);
        return h.command(ctx, (p, c) => wf.countersignReply(p, c, unit, n, note));
      },
      { operationId: 'countersignReply', body: S.countersignBody, bodyOptional: true, summary: '协办单位会签答复', response: proposalView },
    ),

    authed(
      'POST',
      '/v1/proposals/:id/replies/:n/approve',
      ['office'],
      async (ctx) => {
        const n = parse(replyNumberParam, ctx.params.n, 'n');
        const b = optionalBody(ctx.event, S.approveBody);
        if (b.class !== undefined) checkClass(ctx.state, b.class, 'class');
        const correction = b.class !== undefined && b.reason !== undefined ? { replyClass: b.class, reason: b.reason } : undefined;
        return h.command(ctx, (p, c) => wf.approveReply(p, c, n, correction));
      },
      {
        operationId: 'approveReply',
        body: S.approveBody,
        bodyOptional: true,
        summary: '答复审核通过（发送提案人；可更正类别）',
        response: proposalView,
      },
    ),

    authed(
      'POST',
      '/v1/proposals/:id/replies/:n/return',
      ['office'],
      async (ctx) => {
        const n = parse(replyNumberParam, ctx.params.n, 'n');
        const { reason } = jsonBody(ctx.event, returnBody);
        return h.command(ctx, (p, c) => wf.returnReply(p, c, n, reason));
      },
      { operationId: 'returnReply', body: returnBody, summary: '答复退回', response: proposalView },
    ),
  ];
}
