/** The statistics page's data, as the generated API types name it. */
import type { paths } from '../../api/schema';

type Json<P extends keyof paths> = paths[P] extends { get: { responses: { 200: { content: { 'application/json': infer T } } } } }
  ? T
  : never;

/** GET /v1/reports/summary */
export type Summary = Json<'/v1/reports/summary'>;
export type UnitRow = Summary['byUnit'][number];
/** A 界别's or a theme's row. */
export type GroupRow = Omit<Summary['byTheme'][number], 'theme'>;
export type AssessmentRow = Summary['assessment'][number];
export type OverdueItem = Summary['overdue'][number];
/** GET /v1/reports/bulletin */
export type Bulletin = Json<'/v1/reports/bulletin'>;
