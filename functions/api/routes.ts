/**
 * The route table of HTTP API v1 (../shared/API.md): path, roles, and for each: parse -> use case
 * -> map. Every handler body fits in a few lines; the use cases live in shared/app.
 */
import { canSee } from '#domain/access.ts';
import type { Proposal } from '#domain/proposal.ts';
import { NotFound } from '#app/errors.ts';
import { submitProposal } from '#app/submit-proposal.ts';
import type { AppState } from '#app/state.ts';
import type { Identity } from '#domain/access.ts';
import { json, jsonBody, parse } from './http.ts';
import { authed, type Route } from './router.ts';
import { proposalIdParam, submitProposalBody, type ProposalView } from './schemas.ts';

async function visibleProposal(state: AppState, who: Identity, rawId: string | undefined): Promise<Proposal> {
  const id = parse(proposalIdParam, rawId);
  const p = await state.proposals.get(id);
  // Not yours looks the same as not there: no probing for ids.
  if (!p || !canSee(who, p)) throw new NotFound(`proposal ${id}`);
  return p;
}

export function toView(p: Proposal): ProposalView {
  return {
    id: p.id,
    number: p.number,
    year: p.year,
    status: p.status,
    title: p.title,
    body: p.body,
    ...(p.category ? { category: p.category } : {}),
    key: p.key,
    proposers: p.proposers,
    lead: p.lead ?? null,
    co: p.co,
    matchedKeywords: p.matches,
    deadlines: p.deadlines,
    replies: [],
    feedback: [],
    escalationLevel: p.escalationLevel,
    version: p.version,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

export const routes: Route[] = [
  authed('POST', '/v1/proposals', ['member', 'office'], async ({ event, state, who }) => {
    const input = jsonBody(event, submitProposalBody);
    const actor = { role: who.role, sub: who.sub };
    const p = await submitProposal(state, input, actor);
    return json(201, { id: p.id, number: p.number, status: p.status }, { location: `/v1/proposals/${p.id}` });
  }),
  authed('GET', '/v1/proposals/:id', ['office', 'leader', 'unit', 'member'], async ({ state, who, params }) =>
    json(200, toView(await visibleProposal(state, who, params.id))),
  ),
  authed('GET', '/v1/proposals/:id/events', ['office', 'leader'], async ({ state, who, params }) => {
    const p = await visibleProposal(state, who, params.id);
    return json(200, { items: await state.proposals.events(p.id) });
  }),
];
