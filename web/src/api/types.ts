/** Names for the generated API types the pages use. */
import type { components, paths } from './schema';

export type ProposalView = components['schemas']['ProposalView'];
export type DomainEvent = components['schemas']['DomainEvent'];
export type Action = ProposalView['actions'][number];
export type Task = paths['/v1/tasks']['get']['responses'][200]['content']['application/json']['items'][number];
export type TrafficLight = ProposalView['trafficLight'];
