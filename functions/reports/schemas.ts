/**
 * Response schemas of the reports' routes (functions/reports/routes.ts); the OpenAPI document is
 * generated from them with the api's (scripts/gen-openapi.ts).
 */
import * as z from '#shared/zod.ts';

const rate = () => z.nullable(z.number());
const count = () => z.int().check(z.nonnegative());
const perClass = () => z.object({ A: count(), B: count(), C: count(), D: count() });
/** The year's statistics (shared/domain/statistics.ts), as GET /v1/reports/summary answers them. */
export const summaryView = z.lazy(() =>
  z.object({
    year: z.int(),
    asOf: z.string(),
    total: count(),
    registered: count(),
    rejected: count(),
    merged: count(),
    pendingReview: count(),
    assigned: count(),
    closed: count(),
    completionRate: rate(),
    replyDue: count(),
    onTime: count(),
    onTimeRate: rate(),
    rated: count(),
    ratings: z.object({ satisfied: count(), basically_satisfied: count(), dissatisfied: count() }),
    satisfactionRate: rate(),
    faceToFace: count(),
    faceToFaceRate: rate(),
    classes: perClass(),
    rehandled: count(),
    neverReassigned: count(),
    assignmentAccuracy: rate(),
    assignment: z.nullable(z.object({ byKeywords: count(), byOffice: count(), changedOnObjection: count() })),
    acknowledgements: count(),
    acknowledgedOnTime: count(),
    acknowledgeOnTimeRate: rate(),
    followUpOpen: count(),
    /** 撤案 */
    withdrawn: count(),
    /** 督办记录 of the year's cases, in all and per mode (实地督查, 电话督办, 座谈). */
    supervisions: z.object({ total: count(), onsite: count(), phone: count(), meeting: count() }),
    reminders: z.nullable(count()),
    escalations: z.nullable(z.object({ 1: count(), 2: count(), 3: count() })),
    byUnit: z.array(
      z.object({
        unit: z.string(),
        unitName: z.string(),
        assigned: count(),
        co: count(),
        closed: count(),
        completionRate: rate(),
        replyDue: count(),
        onTime: count(),
        onTimeRate: rate(),
        overdue: count(),
        satisfied: count(),
        dissatisfied: count(),
        supervisions: count(),
      }),
    ),
    overdue: z.array(
      z.object({
        id: z.string(),
        number: z.string(),
        title: z.string(),
        unit: z.string(),
        role: z.enum(['lead', 'co']),
        obligation: z.string(),
        deadline: z.string(),
        daysOverdue: z.number(),
      }),
    ),
  }),
);
