/**
 * Response schemas of the reports' routes (functions/reports/routes.ts); the OpenAPI document is
 * generated from them with the api's (scripts/gen-openapi.ts).
 */
import * as z from '#shared/zod.ts';

const rate = () => z.nullable(z.number());
const count = () => z.int().check(z.nonnegative());
const ratings = () => z.object({ satisfied: count(), basically_satisfied: count(), dissatisfied: count() });
/** The measures over a set of cases (shared/domain/statistics.ts Measures; docs/reports.md defines each). */
const measures = () => ({
  assigned: count(),
  /** 已办复: with an approved reply. */
  answered: count(),
  /** 办复率 = answered / assigned */
  replyRate: rate(),
  replyDue: count(),
  onTime: count(),
  /** 按时办复率 = onTime / replyDue: the reply left the unit (签发) by its deadline; the office's review not counted. */
  onTimeReplyRate: rate(),
  /** Feedback round done (status closed). */
  closed: count(),
  /** Proposers asked to rate; ratings received (each proposer's last). */
  asked: count(),
  rated: count(),
  /** 评价反馈率 = rated / asked */
  feedbackRate: rate(),
  ratings: ratings(),
  /** 满意率 = 满意 / rated */
  satisfactionRate: rate(),
  /** 基本满意率 = 基本满意 / rated */
  basicSatisfactionRate: rate(),
  /** (满意 + 基本满意) / rated */
  overallSatisfactionRate: rate(),
  /** 面商: the lead unit met the proposers (face to face or a visit). */
  faceToFace: count(),
  faceToFaceRate: rate(),
  /** 沟通: any contact by any unit. */
  contacted: count(),
  contactRate: rate(),
});
const group = () => ({ registered: count(), ...measures(), /** answered / registered */ completionRate: rate() });
const assessmentRates = () =>
  z.object({ acknowledgeOnTime: rate(), contact: rate(), replyOnTime: rate(), satisfaction: rate(), secondReply: rate() });
const sources = () => z.object({ met: z.array(z.string()), missed: z.array(z.string()) });

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
    /** 撤案 */
    withdrawn: count(),
    ...measures(),
    /** 办结率 = answered / registered (as the seed: every proposal answered). */
    completionRate: rate(),
    /** The same as onTimeReplyRate (older name). */
    onTimeRate: rate(),
    /** Answered proposals per class of their last approved reply, over the city's codes. */
    classes: z.record(z.string(), count()),
    /** The city's reply classes. */
    replyClasses: z.array(z.object({ code: z.string(), name: z.string(), followUp: z.boolean() })),
    /** 二次答复: due, given, given / due; and the ratings of those reports. */
    secondReply: z.object({ due: count(), given: count(), rate: rate() }),
    secondRatings: ratings(),
    /** The office's reviews (审核) of the replies: working days taken, late ones (decided after or open past reviewBy). */
    officeReview: z.object({
      reviews: count(),
      decided: count(),
      open: count(),
      averageWorkdays: z.nullable(z.number()),
      late: count(),
      lateNumbers: z.array(z.string()),
    }),
    rehandled: count(),
    neverReassigned: count(),
    assignmentAccuracy: rate(),
    assignment: z.nullable(z.object({ byKeywords: count(), byOffice: count(), changedOnObjection: count() })),
    acknowledgements: count(),
    acknowledgedOnTime: count(),
    acknowledgeOnTimeRate: rate(),
    followUpOpen: count(),
    /** 督办记录 of the year's cases, in all and per mode (实地督查, 电话督办, 座谈). */
    supervisions: z.object({ total: count(), onsite: count(), phone: count(), meeting: count() }),
    reminders: z.nullable(count()),
    escalations: z.nullable(z.object({ 1: count(), 2: count(), 3: count() })),
    byUnit: z.array(
      z.object({
        unit: z.string(),
        unitName: z.string(),
        ...measures(),
        /** answered / assigned */
        completionRate: rate(),
        onTimeRate: rate(),
        co: count(),
        acknowledgements: count(),
        acknowledgedOnTime: count(),
        overdue: count(),
        supervisions: count(),
      }),
    ),
    /** Per 界别 of the first proposer (null: none recorded). */
    bySector: z.array(z.object({ sector: z.nullable(z.string()), ...group() })),
    /** Per theme (the proposal's category; null: none). */
    byTheme: z.array(z.object({ theme: z.nullable(z.string()), ...group() })),
    /** 办理考评: per unit, the five rates, the score 0..100 (null: nothing to score) and the case numbers behind each rate. */
    assessment: z.array(
      z.object({
        unit: z.string(),
        unitName: z.string(),
        score: z.nullable(z.number()),
        rates: assessmentRates(),
        sources: z.object({
          acknowledgeOnTime: sources(),
          contact: sources(),
          replyOnTime: sources(),
          satisfaction: sources(),
          secondReply: sources(),
        }),
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
