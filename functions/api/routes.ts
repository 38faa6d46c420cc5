/**
 * The route table of HTTP API v1 (../shared/API.md): path, roles, and for each: parse -> use case
 * -> map. Workflow commands run through runCommand with a pure decision from shared/domain/workflow.
 * The reports (GET /v1/reports/*) are the reports function's (functions/reports/routes.ts).
 */
import { readFile } from 'node:fs/promises';
import { unitNames } from '#domain/city-config.ts';
import { canSee, type Identity } from '#domain/access.ts';
import type { Proposal } from '#domain/proposal.ts';
import * as wf from '#domain/workflow.ts';
import { reviewerOf, reviews } from '#domain/key-proposals.ts';
import { Forbidden, NotFound } from '#app/errors.ts';
import { submitFromDirectory } from '#app/submit-from-directory.ts';
import { reviewProposal } from '#app/review.ts';
import { listProposals } from '#app/list-proposals.ts';
import { runCommand } from '#app/run-command.ts';
import { myTasks } from '#app/tasks.ts';
import { assignUnits } from '#app/assign-units.ts';
import { extendReplyDeadline } from '#app/extend-reply.ts';
import { feedbackPage } from '#app/feedback-page.ts';
import { renderFeedbackPage } from '#render/feedback-page.ts';
import type { ApiState } from '#app/state.ts';
import { json, jsonBody, parse, text } from '#functions/http/http.ts';
import { authed, publicRoute, type AuthedContext, type Route } from '#functions/http/router.ts';
import { toView } from './views.ts';
import { auditTrail } from './projections.ts';
import { memberRoutes } from './member-routes.ts';
import { officePowerRoutes } from './office-routes.ts';
import { replyRoutes } from './reply-routes.ts';
import { keyProposalRoutes } from './key-proposal-routes.ts';
import { feedbackClaim } from './public-writes.ts';
import * as S from './schemas.ts';

async function visibleProposal(state: ApiState, who: Identity, rawId: string | undefined): Promise<Proposal> {
  const id = parse(S.proposalIdParam, rawId, 'id');
  const p = await state.proposals.get(id);
  // Not yours looks the same as not there: no probing for ids.
  if (!p || !canSee(who, p)) throw new NotFound(`提案 ${id}`);
  return p;
}

/** A unit acts only for itself: the {unit} in the path (or body) must be the token's unit. */
function ownUnit(who: Identity, unit: string | undefined): string {
  const u = parse(S.unitParam, unit, 'unit');
  if (who.role !== 'unit' || who.unit !== u) throw new Forbidden(`此令牌不能代表承办单位 ${u} 操作`);
  return u;
}

const actorOf = (who: Identity) => ({ role: who.role, sub: who.sub, ...(who.role === 'unit' ? { unit: who.unit } : {}) });

/** Loads the proposal the caller may see, then runs the decision as a command; answers the new view. */
async function command(ctx: AuthedContext, decide: (p: Proposal, c: wf.Ctx) => wf.Decision) {
  const p = await visibleProposal(ctx.state, ctx.who, ctx.params.id);
  return json(200, toView(await runCommand(ctx.state, p.id, actorOf(ctx.who), decide, p), ctx.state, ctx.who));
}

/**
 * The OpenAPI text, generated from these routes and their schemas (npm run gen:openapi; a test keeps
 * it current). A file beside this module (in Lambda: beside index.mjs, see `files` in shared/wiring.ts),
 * read on the first request for it: the 25 KB stay out of every cold start.
 */
let openApiText: Promise<string> | undefined;
function openApiJson(): Promise<string> {
  openApiText ??= readFile(new URL('./openapi.json', import.meta.url), 'utf8').catch((err: unknown) => {
    openApiText = undefined;
    throw err;
  });
  return openApiText;
}

export const routes: Route[] = [
  publicRoute(
    'GET',
    '/v1/openapi.json',
    async () => ({ statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: await openApiJson() }),
    { operationId: 'getOpenApi', summary: '接口文档（本 OpenAPI 文档）' },
  ),

  authed(
    'GET',
    '/v1/me',
    ['office', 'leader', 'unit', 'member', 'committee'],
    async (ctx) => {
      const { state, who } = ctx;
      const { config, clock, calendar } = state;
      const unitName = unitNames(config);
      const displayName = {
        office: '政府办公室',
        leader: (who.role === 'leader' && who.leader) || '分管领导',
        committee: '政协提案委员会',
        unit: who.role === 'unit' ? `${unitName(who.unit)}${who.unitHead ? '负责人' : ''}` : '',
        member: ctx.member?.name ?? '',
      }[who.role];
      const now = clock.now();
      return json(200, {
        identity: who,
        displayName,
        city: { id: config.id, name: config.name, timeZone: config.timeZone },
        year: Number(calendar.localDate(now).slice(0, 4)),
        now: now.toISOString(),
        units: config.units.map((u) => ({ id: u.id, name: u.name })),
        leaders: config.email.leaders.map((l) => ({ name: l.name })),
        replies: {
          signOff: config.replies.signOff,
          countersign: config.replies.countersign,
          classes: config.replies.classes.map((c) => ({ code: c.code, name: c.name, followUp: c.followUp })),
        },
      });
    },
    { operationId: 'getMe', summary: '当前登录身份与城市信息（工作台用）', response: S.meView },
  ),

  authed(
    'GET',
    '/v1/tasks',
    ['office', 'leader', 'unit', 'member', 'committee'],
    async ({ event, state, who }) => {
      const q = parse(S.tasksQuery, event.queryStringParameters ?? {});
      return json(200, { items: await myTasks(state, who, q.year) });
    },
    { operationId: 'listTasks', query: S.tasksQuery, summary: '我的待办（最紧急的在前）', response: S.taskList },
  ),

  authed(
    'POST',
    '/v1/proposals',
    ['member', 'office'],
    async ({ event, state, who }) => {
      const input = jsonBody(event, S.submitProposalBody);
      const p = await submitFromDirectory(state, input, who, actorOf(who));
      state.metrics.count('ProposalsSubmitted');
      return json(201, { id: p.id, number: p.number, status: p.status }, { location: `/v1/proposals/${p.id}` });
    },
    {
      operationId: 'submitProposal',
      body: S.submitProposalBody,
      summary: '提交提案',
      status: 201,
      response: S.submittedView,
      headers: { location: '新提案的地址 /v1/proposals/{id}' },
    },
  ),

  authed(
    'GET',
    '/v1/proposals',
    ['office', 'leader', 'unit', 'member', 'committee'],
    async ({ event, state, who }) => {
      const q = parse(S.listQuery, event.queryStringParameters ?? {});
      const page = await listProposals(state, who, q);
      return json(200, { items: page.items.map((p) => toView(p, state, who)), ...(page.cursor ? { cursor: page.cursor } : {}) });
    },
    { operationId: 'listProposals', query: S.listQuery, summary: '提案列表', response: S.proposalList },
  ),

  authed(
    'GET',
    '/v1/proposals/:id',
    ['office', 'leader', 'unit', 'member', 'committee'],
    async ({ state, who, params }) => json(200, toView(await visibleProposal(state, who, params.id), state, who)),
    { operationId: 'getProposal', summary: '提案详情', response: S.proposalView },
  ),

  authed(
    'GET',
    '/v1/proposals/:id/events',
    ['office', 'leader', 'committee'],
    async ({ state, who, params }) => {
      const p = await visibleProposal(state, who, params.id);
      return json(200, { items: auditTrail(await state.proposals.events(p.id)) });
    },
    { operationId: 'listProposalEvents', summary: '办理过程（审计记录）', response: S.eventList },
  ),

  authed(
    'POST',
    '/v1/proposals/:id/review',
    ['office', 'committee'],
    async ({ event, state, who, params }) => {
      // The city says who reviews (config review): the committee, or the office.
      if (!reviews(who, state.config))
        throw new Forbidden(`本市的提案由${reviewerOf(state.config) === 'committee' ? '政协提案委员会' : '政府办公室'}审查`);
      const input = jsonBody(event, S.reviewBody);
      const p = await visibleProposal(state, who, params.id);
      return json(200, toView(await reviewProposal(state, p.id, actorOf(who), input), state, who));
    },
    {
      operationId: 'reviewProposal',
      body: S.reviewBody,
      summary: '审查：立案 / 不予立案 / 并案（提案委员会或政府办，按城市配置 review）',
      response: S.proposalView,
    },
  ),

  authed(
    'POST',
    '/v1/proposals/:id/assignment',
    ['office'],
    async ({ event, state, who, params }) => {
      const input = jsonBody(event, S.assignmentBody);
      return json(200, toView(await assignUnits(state, () => visibleProposal(state, who, params.id), actorOf(who), input), state, who));
    },
    { operationId: 'assignProposal', body: S.assignmentBody, summary: '交办 / 调整承办单位', response: S.proposalView },
  ),

  authed(
    'POST',
    '/v1/proposals/:id/units/:unit/acknowledge',
    ['unit'],
    async (ctx) => {
      const unit = ownUnit(ctx.who, ctx.params.unit);
      return command(ctx, (p, c) => wf.acknowledge(p, c, unit));
    },
    { operationId: 'acknowledge', summary: '签收', response: S.proposalView },
  ),

  authed(
    'POST',
    '/v1/proposals/:id/units/:unit/objection',
    ['unit'],
    async (ctx) => {
      const unit = ownUnit(ctx.who, ctx.params.unit);
      const { reason } = jsonBody(ctx.event, S.objectionBody);
      return command(ctx, (p, c) => wf.object(p, c, unit, reason));
    },
    { operationId: 'object', body: S.objectionBody, summary: '申请调整', response: S.proposalView },
  ),

  authed(
    'POST',
    '/v1/proposals/:id/units/:unit/opinion',
    ['unit'],
    async (ctx) => {
      const unit = ownUnit(ctx.who, ctx.params.unit);
      const { text } = jsonBody(ctx.event, S.opinionBody);
      return command(ctx, (p, c) => wf.giveOpinion(p, c, unit, text));
    },
    { operationId: 'giveOpinion', body: S.opinionBody, summary: '协办单位会签意见', response: S.proposalView },
  ),

  authed(
    'POST',
    '/v1/proposals/:id/contacts',
    ['unit'],
    async (ctx) => {
      const input = jsonBody(ctx.event, S.contactBody);
      ownUnit(ctx.who, input.unit);
      return command(ctx, (p, c) => wf.recordContact(p, c, input));
    },
    { operationId: 'recordContact', body: S.contactBody, summary: '面商等联系记录', response: S.proposalView },
  ),

  authed(
    'POST',
    '/v1/proposals/:id/extension',
    ['office'],
    async ({ event, state, who, params }) => {
      const input = jsonBody(event, S.extensionBody);
      return json(
        200,
        toView(await extendReplyDeadline(state, () => visibleProposal(state, who, params.id), actorOf(who), input), state, who),
      );
    },
    { operationId: 'extendReply', body: S.extensionBody, summary: '延期答复（不超过 replyMax）', response: S.proposalView },
  ),

  authed(
    'POST',
    '/v1/proposals/:id/progress',
    ['unit'],
    async (ctx) => {
      const { text, resolved } = jsonBody(ctx.event, S.progressBody);
      const unit = ownUnit(ctx.who, ctx.who.role === 'unit' ? ctx.who.unit : undefined);
      return command(ctx, (p, c) => wf.reportProgress(p, c, unit, text, resolved));
    },
    { operationId: 'reportProgress', body: S.progressBody, summary: '跟踪落实进展（B/C 类）', response: S.proposalView },
  ),

  authed(
    'POST',
    '/v1/proposals/:id/feedback',
    ['member'],
    async (ctx) => {
      const { n, satisfaction, comment, second } = jsonBody(ctx.event, S.memberFeedbackBody);
      const memberId = ctx.who.role === 'member' ? ctx.who.memberId : '';
      const rating = { n, memberId, satisfaction, ...(comment ? { comment } : {}) };
      return command(ctx, (p, c) => (second ? wf.rateSecondReply(p, c, rating) : wf.giveFeedback(p, c, rating)));
    },
    { operationId: 'rateReply', body: S.memberFeedbackBody, summary: '提案人在工作台评价答复', response: S.proposalView },
  ),

  publicRoute(
    'GET',
    '/v1/feedback',
    async ({ event, state }) => {
      const page = await feedbackPage(state, event.queryStringParameters?.token ?? '');
      const status = page.ok ? 200 : { badLink: 400, noReply: 404 }[page.problem];
      return text(status, renderFeedbackPage(page), 'text/html; charset=utf-8');
    },
    {
      operationId: 'getFeedbackPage',
      summary: '满意度测评页面（邮件中的链接打开）',
      query: S.feedbackPageQuery,
      contentTypes: ['text/html'],
      pageErrors: [400, 404],
    },
  ),

  publicRoute(
    'POST',
    '/v1/feedback',
    async ({ event, state }) => {
      const input = jsonBody(event, S.feedbackBody);
      const { proposalId, memberId, n } = feedbackClaim(state, input.token);
      const p = await runCommand(state, proposalId, { role: 'member', sub: memberId }, (x, c) =>
        wf.giveFeedback(x, c, { n, memberId, satisfaction: input.satisfaction, ...(input.comment ? { comment: input.comment } : {}) }),
      );
      return json(200, { id: p.id, number: p.number, status: p.status });
    },
    { operationId: 'giveFeedback', body: S.feedbackBody, summary: '提案人满意度测评（凭邮件中的链接令牌）', response: S.submittedView },
  ),

  ...memberRoutes,
  ...officePowerRoutes({ visibleProposal, command, ownUnit, actorOf }),
  ...replyRoutes({ visibleProposal, command, ownUnit, actorOf }),
  ...keyProposalRoutes({ visibleProposal, ownUnit, actorOf }),
];
