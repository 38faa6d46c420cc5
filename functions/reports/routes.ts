/**
 * The reports' routes (统计报表, ../shared/API.md), served by the reports function: the same HTTP API,
 * routed here by API Gateway (shared/wiring.ts, the reports trigger), so that the api's cold start
 * carries none of the report code, and a report that reads a whole year runs with its own memory
 * and time limit.
 */
import { annualQuery, annualReport, reportSummary, summaryQuery } from '#app/reports.ts';
import { json, parse, text } from '#functions/http/http.ts';
import { authed, type Route } from '#functions/http/router.ts';
import * as S from './schemas.ts';
import { bulletinQuery, bulletinReport, bulletinView } from './bulletin.ts';
import { letterRoutes } from './letter-routes.ts';
import { publicReplyRoutes } from './public-routes.ts';

export const reportRoutes: Route[] = [
  authed(
    'GET',
    '/v1/reports/summary',
    ['office', 'leader', 'committee'],
    async ({ event, state, who }) => json(200, await reportSummary(state, parse(summaryQuery, event.queryStringParameters ?? {}), who)),
    { operationId: 'getReportSummary', query: summaryQuery, summary: '年度办理情况统计', response: S.summaryView },
  ),

  authed(
    'GET',
    '/v1/reports/annual',
    ['office', 'leader'],
    async ({ event, state }) => {
      const q = parse(annualQuery, event.queryStringParameters ?? {});
      const type = q.format === 'md' ? 'text/markdown; charset=utf-8' : 'text/html; charset=utf-8';
      return text(200, await annualReport(state, q), type);
    },
    {
      operationId: 'getAnnualReport',
      query: annualQuery,
      summary: '年度提案办理工作情况报告（md | html）',
      contentTypes: ['text/html', 'text/markdown'],
    },
  ),

  authed(
    'GET',
    '/v1/reports/bulletin',
    ['office', 'leader'],
    async ({ event, state }) => json(200, await bulletinReport(state, parse(bulletinQuery, event.queryStringParameters ?? {}))),
    {
      operationId: 'getBulletin',
      query: bulletinQuery,
      summary: '通报：各承办单位在办、逾期件数和按时办结率（某年某月，截至当前）',
      response: bulletinView,
    },
  ),
  // Read-only pages: the 答复函 and the published results (办理结果公开).
  ...letterRoutes,
  ...publicReplyRoutes,
];
