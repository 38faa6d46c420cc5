/**
 * The member directory's routes (委员名册: GET /v1/members, PUT /v1/members/{memberId}), the names a
 * submission may pick its proposers from (GET /v1/member-names), and a co-proposer's 联名确认
 * (POST /v1/proposals/{id}/cosign). Parse -> use case -> map, as in routes.ts.
 */
import { canSee } from '#domain/access.ts';
import { answerCosign } from '#domain/cosign.ts';
import { memberSchema } from '#domain/member.ts';
import { InvalidInput, NotFound } from '#app/errors.ts';
import { listMembers, putMember } from '#app/members.ts';
import { runCommand } from '#app/run-command.ts';
import { json, jsonBody, parse } from '#functions/http/http.ts';
import { authed, type Route } from '#functions/http/router.ts';
import { toView } from './views.ts';
import * as S from './schemas.ts';
import * as M from './member-schemas.ts';

export const memberRoutes: Route[] = [
  authed(
    'GET',
    '/v1/members',
    ['office', 'committee'],
    async ({ event, state }) => {
      const q = parse(M.membersQuery, event.queryStringParameters ?? {});
      const filter = {
        ...(q.sector ? { sector: q.sector } : {}),
        ...(q.active ? { active: q.active === 'true' } : {}),
        ...(q.q ? { q: q.q } : {}),
      };
      return json(200, await listMembers(state, filter));
    },
    { operationId: 'listMembers', query: M.membersQuery, summary: '委员名册（按界别、在任状态、姓名或编号筛选）', response: M.memberList },
  ),

  authed(
    'PUT',
    '/v1/members/:memberId',
    ['office', 'committee'],
    async ({ event, state, params }) => {
      const memberId = parse(M.memberIdParam, params.memberId, 'memberId');
      const { memberId: inBody, ...fields } = jsonBody(event, M.memberBody);
      if (inBody !== undefined && inBody !== memberId)
        throw new InvalidInput([{ path: 'memberId', message: `与路径中的委员编号 ${memberId} 不一致` }]);
      const { member, created } = await putMember(state, memberSchema.parse({ ...fields, memberId }));
      return json(created ? 201 : 200, member);
    },
    { operationId: 'putMember', body: M.memberBody, summary: '新增或修改委员（整条记录）', response: M.memberView },
  ),

  authed(
    'GET',
    '/v1/member-names',
    ['member', 'office', 'committee'],
    async ({ state }) => {
      const active = await listMembers(state, { active: true });
      return json(200, {
        items: active.items.map((m) => ({ memberId: m.memberId, name: m.name, sector: m.sector, ...(m.party ? { party: m.party } : {}) })),
      });
    },
    { operationId: 'listMemberNames', summary: '可列为提案人的在任委员（不含联系方式，提交提案时选择用）', response: M.memberNameList },
  ),

  authed(
    'POST',
    '/v1/proposals/:id/cosign',
    ['member'],
    async ({ event, state, who, params }) => {
      const { accept } = jsonBody(event, M.cosignBody);
      const id = parse(S.proposalIdParam, params.id, 'id');
      const p = await state.proposals.get(id);
      if (!p || !canSee(who, p) || who.role !== 'member') throw new NotFound(`提案 ${id}`);
      const actor = { role: who.role, sub: who.sub };
      const next = await runCommand(state, p.id, actor, (x, c) => answerCosign(x, c, who.memberId, accept), p);
      // A co-proposer who declined no longer sees the proposal: the answer is then its number and status only.
      return canSee(who, next) ? json(200, toView(next, state, who)) : json(200, { id: next.id, number: next.number, status: next.status });
    },
    {
      operationId: 'answerCosign',
      body: M.cosignBody,
      summary: '联名提案人确认（或不同意）联名；不同意后不再能查看该提案，只答复案号和状态',
      response: M.cosignAnswer,
    },
  ),
];
