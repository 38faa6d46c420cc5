/**
 * Statistics of a year's proposals (办理情况统计). Pure: (proposals, now, options) -> figures. Each
 * measure is defined once, per proposal, in measures.ts; here they are counted over the year's cases,
 * per unit (as lead), per 界别 and per theme, and the units assessed (assessment.ts). docs/reports.md
 * says the same in words and is the reference for every figure.
 *
 * - total: every proposal submitted in the year (提案总数), whatever became of it.
 * - registered (立案): total minus rejected (不予立案), merged (并案: counted once, through its main
 *   proposal), withdrawn (撤案) and those still waiting for review (submitted).
 * - assigned (交办): registered proposals with a lead unit.
 * - answered (已办复): assigned proposals with an approved reply. replyRate (办复率) = answered / assigned;
 *   completionRate (办结率, as the seed's "办结率100%": every proposal answered) = answered / registered
 *   (per unit: / assigned).
 * - closed: registered proposals whose feedback round is done (status closed).
 * - onTimeReplyRate (按时办复率) = onTime / replyDue (measures.replyTimeliness: the unit's reply left the
 *   unit by its deadline; the office's review not counted). onTimeRate: the same figure (older name).
 * - ratings: each proposer's last rating of a proposal's replies; satisfactionRate (满意率) = 满意 / rated,
 *   basicSatisfactionRate (基本满意率) = 基本满意 / rated, overallSatisfactionRate (满意和基本满意) = both / rated.
 * - feedbackRate (评价反馈率) = rated / asked (confirmed proposers of answered proposals).
 * - faceToFaceRate (面商率) = assigned proposals whose lead unit met the proposers (面商 or 走访) / assigned;
 *   contactRate (沟通率) = assigned proposals with any contact by any unit / assigned.
 * - officeReview (答复审核): the office's reviews of the year's replies: average working days from the
 *   start of a review to its decision, and the late ones (decided after, or still open past, reviewBy).
 * - classes (答复分类): the class of each proposal's last approved reply, over the city's codes.
 * - secondReply (二次答复): proposals closed with a follow-up class whose follow-up ended or is late
 *   (due), and those that ended in a final report (given); secondRatings: the proposers' last ratings
 *   of those reports.
 * - rehandled (重新办理), assignmentAccuracy (交办准确率) = never reassigned / assigned, assignment (from
 *   the events; null without them), acknowledgeOnTimeRate (按时签收率, per unit assignment, lead or co).
 * - byUnit (as lead; co and overdue as any role), bySector (界别), byTheme (category), assessment (办理考评).
 * - overdue: every open unit obligation past its deadline now (超期清单), most overdue first.
 * - reminders / escalations (催办 1, 督办 2, 报分管领导 3): counted from the events when given.
 * Rates are 0..1, or null when their denominator is 0.
 */
import type { DomainEvent, Satisfaction } from '#events/domain-events.ts';
import type { Proposal } from '#domain/proposal.ts';
import { defaultReplyClasses } from '#domain/reply-classes.ts';
import { openObligations } from '#domain/obligations.ts';
import {
  acknowledgements,
  askedToRate,
  contacted,
  isAnswered,
  isRegistered,
  lastClass,
  lastRatings,
  metInPerson,
  officeReviews,
  replyTimeliness,
  secondRatings,
  secondReply,
  sectorOf,
  themeKey,
  workdaysBetween,
  type DayCalendar,
} from '#domain/measures.ts';
import { assessUnits, defaultWeights, type AssessmentRow, type AssessmentWeights } from '#domain/assessment.ts';
import { followUpOpen, partsOf } from '#domain/parts.ts';
import { WorkingCalendar } from '#domain/calendar.ts';

export { isRegistered, lastRatings, replyTimeliness } from '#domain/measures.ts';

/** The measures over a set of cases (all of the year's, a unit's lead cases, a 界别's, a theme's). */
export interface Measures {
  assigned: number;
  /** 已办复 */
  answered: number;
  /** 办复率 = answered / assigned */
  replyRate: number | null;
  replyDue: number;
  onTime: number;
  /** 按时办复率 = onTime / replyDue */
  onTimeReplyRate: number | null;
  /** Feedback round done (status closed). */
  closed: number;
  /** Proposers asked to rate; rated: the ratings received (each proposer's last). */
  asked: number;
  rated: number;
  /** 评价反馈率 = rated / asked */
  feedbackRate: number | null;
  ratings: Record<Satisfaction, number>;
  /** 满意率 = 满意 / rated */
  satisfactionRate: number | null;
  /** 基本满意率 = 基本满意 / rated */
  basicSatisfactionRate: number | null;
  /** 满意和基本满意 / rated */
  overallSatisfactionRate: number | null;
  /** 面商 (lead unit, face to face or visit) */
  faceToFace: number;
  faceToFaceRate: number | null;
  /** 沟通 (any unit, any mode) */
  contacted: number;
  contactRate: number | null;
}

export interface UnitRow extends Measures {
  unit: string;
  /** Proposals it is co-unit of. */
  co: number;
  /** 办结率 of its lead proposals = answered / assigned. */
  completionRate: number | null;
  /** The same as onTimeReplyRate (older name). */
  onTimeRate: number | null;
  /** 按时签收 of its assignments (lead or co). */
  acknowledgements: number;
  acknowledgedOnTime: number;
  /** Proposals (lead or co) where the unit owes an obligation past its deadline now. */
  overdue: number;
  /** 督办记录 of this unit. */
  supervisions: number;
}

/** A 界别's or a theme's cases (null: none recorded). */
export interface GroupRow extends Measures {
  registered: number;
  /** answered / registered */
  completionRate: number | null;
}

export interface OverdueItem {
  id: string;
  number: string;
  title: string;
  unit: string;
  role: 'lead' | 'co';
  obligation: string;
  deadline: string;
  daysOverdue: number;
}

export interface OfficeReview {
  /** Reviews started (of the year's cases' replies), decided, still open. */
  reviews: number;
  decided: number;
  open: number;
  /** Average working days from the start of a review to its decision (null: none decided). */
  averageWorkdays: number | null;
  /** Decided after reviewBy, or still open past it. */
  late: number;
  lateNumbers: string[];
}

export interface Statistics extends Measures {
  year: number;
  asOf: string;
  total: number;
  registered: number;
  rejected: number;
  merged: number;
  pendingReview: number;
  withdrawn: number;
  /** 办结率 = answered / registered. */
  completionRate: number | null;
  /** The same as onTimeReplyRate (older name, ../shared/API.md). */
  onTimeRate: number | null;
  /** The class of each answered proposal's last approved reply, over the city's codes. */
  classes: Record<string, number>;
  /** The city's reply classes (codes, names, which are followed up). */
  replyClasses: { code: string; name: string; followUp: boolean }[];
  /** 二次答复: due (follow-up class, follow-up ended or late), given (a final report), given / due; ratings of those reports. */
  secondReply: { due: number; given: number; rate: number | null };
  secondRatings: Record<Satisfaction, number>;
  officeReview: OfficeReview;
  rehandled: number;
  neverReassigned: number;
  assignmentAccuracy: number | null;
  assignment: { byKeywords: number; byOffice: number; changedOnObjection: number } | null;
  acknowledgements: number;
  acknowledgedOnTime: number;
  acknowledgeOnTimeRate: number | null;
  followUpOpen: number;
  supervisions: { total: number; onsite: number; phone: number; meeting: number };
  reminders: number | null;
  escalations: Record<'1' | '2' | '3', number> | null;
  byUnit: UnitRow[];
  bySector: (GroupRow & { sector: string | null })[];
  byTheme: (GroupRow & { theme: string | null })[];
  assessment: AssessmentRow[];
  overdue: OverdueItem[];
}

export interface StatisticsOptions {
  /** Every registered proposal's events (reminders, escalations, how assigned). */
  events?: ReadonlyMap<string, readonly DomainEvent[]>;
  /** The city's reply classes (config replies.classes); default the national four. */
  classes?: readonly { code: string; name: string; followUp: boolean }[];
  /** 办理考评 weights (config assessment.weights). */
  weights?: AssessmentWeights;
  /** The city's working calendar, for the office's review time; default weekdays in China Standard Time. */
  calendar?: DayCalendar;
  /** 界别 of members (the directory), for proposals whose first proposer has no 界别 recorded. */
  sectors?: ReadonlyMap<string, string>;
}

const DAY_MS = 86_400_000;
const rate = (n: number, d: number) => (d === 0 ? null : n / d);
const noRatings = (): Record<Satisfaction, number> => ({ satisfied: 0, basically_satisfied: 0, dissatisfied: 0 });
let weekdays: WorkingCalendar | undefined;
/** A unit's figures beyond its lead cases' measures. */
type UnitExtras = Pick<UnitRow, 'co' | 'acknowledgements' | 'acknowledgedOnTime' | 'overdue' | 'supervisions'>;
const noExtras = (): UnitExtras => ({ co: 0, acknowledgements: 0, acknowledgedOnTime: 0, overdue: 0, supervisions: 0 });

/** The measures over some cases. */
export function measure(cases: readonly Proposal[], now: Date): Measures {
  const assigned = cases.filter((p) => p.lead);
  const ratings = noRatings();
  let [replyDue, onTime, asked] = [0, 0, 0];
  for (const p of assigned) {
    const timely = replyTimeliness(p, now);
    if (timely) replyDue++;
    if (timely === 'on_time') onTime++;
    asked += askedToRate(p);
    for (const s of lastRatings(p)) ratings[s]++;
  }
  const answered = assigned.filter(isAnswered).length;
  const rated = ratings.satisfied + ratings.basically_satisfied + ratings.dissatisfied;
  const faceToFace = assigned.filter(metInPerson).length;
  const contactedN = assigned.filter(contacted).length;
  return {
    assigned: assigned.length,
    answered,
    replyRate: rate(answered, assigned.length),
    replyDue,
    onTime,
    onTimeReplyRate: rate(onTime, replyDue),
    closed: cases.filter((p) => p.status === 'closed').length,
    asked,
    rated,
    feedbackRate: rate(rated, asked),
    ratings,
    satisfactionRate: rate(ratings.satisfied, rated),
    basicSatisfactionRate: rate(ratings.basically_satisfied, rated),
    overallSatisfactionRate: rate(ratings.satisfied + ratings.basically_satisfied, rated),
    faceToFace,
    faceToFaceRate: rate(faceToFace, assigned.length),
    contacted: contactedN,
    contactRate: rate(contactedN, assigned.length),
  };
}

function groupBy<K>(cases: readonly Proposal[], key: (p: Proposal) => K): Map<K, Proposal[]> {
  const out = new Map<K, Proposal[]>();
  for (const p of cases) {
    const k = key(p);
    const list = out.get(k);
    if (list) list.push(p);
    else out.set(k, [p]);
  }
  return out;
}

/** The measures per group (界别, theme), the largest first, the group without a name last. */
function groupRows(cases: readonly Proposal[], key: (p: Proposal) => string | null, now: Date): [string | null, GroupRow][] {
  return [...groupBy(cases, key)]
    .map(([k, ps]): [string | null, GroupRow] => {
      const m = measure(ps, now);
      return [k, { registered: ps.length, ...m, completionRate: rate(m.answered, ps.length) }];
    })
    .sort(([ka, a], [kb, b]) => b.registered - a.registered || (ka === null ? 1 : kb === null ? -1 : ka.localeCompare(kb, 'zh')));
}

export function computeStatistics(year: number, all: readonly Proposal[], now: Date, opts: StatisticsOptions = {}): Statistics {
  const { events } = opts;
  const classList = (opts.classes ?? defaultReplyClasses).map((c) => ({ code: c.code, name: c.name, followUp: c.followUp }));
  const followUpClasses = new Set(classList.filter((c) => c.followUp).map((c) => c.code));
  const calendar = opts.calendar ?? (weekdays ??= new WorkingCalendar({ timeZone: 'Asia/Shanghai', extraHolidays: [], extraWorkdays: [] }));
  const proposals = all.filter((p) => p.year === year);
  const cases = proposals.filter(isRegistered);
  const assigned = cases.filter((p) => p.lead);
  const overdue: OverdueItem[] = [];
  const classes: Record<string, number> = Object.fromEntries(classList.map((c) => [c.code, 0]));
  const supervisions = { total: 0, onsite: 0, phone: 0, meeting: 0 };
  const unitExtras = new Map<string, UnitExtras>();
  const extra = (unit: string) => {
    let r = unitExtras.get(unit);
    if (!r) unitExtras.set(unit, (r = noExtras()));
    return r;
  };
  const review = { reviews: 0, decided: 0, open: 0, late: 0, workdays: 0, lateNumbers: [] as string[] };
  const second = { due: 0, given: 0, ratings: noRatings() };

  for (const p of cases) {
    const cls = lastClass(p);
    if (cls) classes[cls] = (classes[cls] ?? 0) + 1;
    for (const a of acknowledgements(p, now)) {
      if (a.due) extra(a.unit).acknowledgements++;
      if (a.onTime) extra(a.unit).acknowledgedOnTime++;
    }
    for (const [unit, u] of Object.entries(p.units)) if (u.role === 'co') extra(unit).co++;
    for (const x of p.supervisions) {
      supervisions.total++;
      supervisions[x.mode]++;
      extra(x.unit).supervisions++;
    }
    const late = new Set<string>();
    for (const o of openObligations(p)) {
      if (!o.unit || Date.parse(o.deadline) >= now.getTime()) continue;
      late.add(o.unit);
      const role = p.units[o.unit]?.role ?? 'lead';
      const daysOverdue = Math.floor((now.getTime() - Date.parse(o.deadline)) / DAY_MS);
      overdue.push({
        id: p.id,
        number: p.number,
        title: p.title,
        unit: o.unit,
        role,
        obligation: o.obligation,
        deadline: o.deadline,
        daysOverdue,
      });
    }
    for (const unit of late) extra(unit).overdue++;
    for (const r of officeReviews(p, now)) {
      review.reviews++;
      if (r.open) review.open++;
      if (r.decidedAt) {
        review.decided++;
        review.workdays += workdaysBetween(calendar, r.from, r.decidedAt);
      }
      if (r.late) {
        review.late++;
        if (!review.lateNumbers.includes(p.number)) review.lateNumbers.push(p.number);
      }
    }
    const s2 = secondReply(p, followUpClasses, now);
    if (s2.due) second.due++;
    if (s2.given) second.given++;
    for (const s of secondRatings(p)) second.ratings[s]++;
  }

  // Per unit as lead: each part of a 分办 proposal counts for its own unit (parts.ts partsOf).
  const leads = groupBy(assigned.flatMap(partsOf), (p) => p.lead ?? '');
  const byUnit = [...new Set([...leads.keys(), ...unitExtras.keys()])]
    .map((unit): UnitRow => {
      const m = measure(leads.get(unit) ?? [], now);
      const x = unitExtras.get(unit) ?? noExtras();
      return { unit, ...m, completionRate: rate(m.answered, m.assigned), onTimeRate: m.onTimeReplyRate, ...x };
    })
    .sort((a, b) => b.assigned - a.assigned || a.unit.localeCompare(b.unit));
  const bySector = groupRows(cases, (p) => sectorOf(p, opts.sectors) ?? null, now).map(([sector, r]) => ({ sector, ...r }));
  const byTheme = groupRows(cases, (p) => themeKey(p) ?? null, now).map(([theme, r]) => ({ theme, ...r }));
  overdue.sort((a, b) => b.daysOverdue - a.daysOverdue || a.number.localeCompare(b.number));
  const totals = measure(cases, now);
  const sum = (f: (x: UnitExtras) => number) => [...unitExtras.values()].reduce((n, x) => n + f(x), 0);
  const [acknowledgementsDue, acknowledgedOnTime] = [sum((x) => x.acknowledgements), sum((x) => x.acknowledgedOnTime)];
  const neverReassigned = assigned.filter((p) => p.reassignments === 0).length;
  const flat = events ? [...events.values()].flat() : undefined;
  return {
    year,
    asOf: now.toISOString(),
    total: proposals.length,
    registered: cases.length,
    rejected: proposals.filter((p) => p.status === 'rejected').length,
    merged: proposals.filter((p) => p.status === 'merged').length,
    pendingReview: proposals.filter((p) => p.status === 'submitted').length,
    withdrawn: proposals.filter((p) => p.status === 'withdrawn').length,
    ...totals,
    completionRate: rate(totals.answered, cases.length),
    onTimeRate: totals.onTimeReplyRate,
    classes,
    replyClasses: classList,
    secondReply: { due: second.due, given: second.given, rate: rate(second.given, second.due) },
    secondRatings: second.ratings,
    officeReview: {
      reviews: review.reviews,
      decided: review.decided,
      open: review.open,
      averageWorkdays: review.decided ? review.workdays / review.decided : null,
      late: review.late,
      lateNumbers: review.lateNumbers,
    },
    rehandled: cases.filter((p) => p.rehandles > 0).length,
    neverReassigned,
    assignmentAccuracy: rate(neverReassigned, assigned.length),
    assignment: events ? assignmentCounts(assigned, events) : null,
    acknowledgements: acknowledgementsDue,
    acknowledgedOnTime,
    acknowledgeOnTimeRate: rate(acknowledgedOnTime, acknowledgementsDue),
    followUpOpen: cases.filter(followUpOpen).length,
    supervisions,
    reminders: flat ? flat.filter((e) => e.type === 'ReminderDue').length : null,
    escalations: flat ? escalationCounts(flat) : null,
    byUnit,
    bySector,
    byTheme,
    assessment: assessUnits(cases, now, { weights: opts.weights ?? defaultWeights, followUpClasses }),
    overdue,
  };
}

function assignmentCounts(
  assigned: readonly Proposal[],
  events: ReadonlyMap<string, readonly DomainEvent[]>,
): NonNullable<Statistics['assignment']> {
  const out = { byKeywords: 0, byOffice: 0, changedOnObjection: 0 };
  for (const p of assigned) {
    const log = events.get(p.id) ?? [];
    const first = log.find((e) => e.type === 'ProposalAssigned');
    if (first?.type === 'ProposalAssigned') out[first.data.by === 'keywords' ? 'byKeywords' : 'byOffice']++;
    if (changedOnObjection(log)) out.changedOnObjection++;
  }
  return out;
}

/** Some change of units removed a unit, or changed its role, while its objection was pending (kept units are declined). */
function changedOnObjection(log: readonly DomainEvent[]): boolean {
  const pending = new Set<string>();
  for (const e of log) {
    if (e.type === 'UnitObjected') pending.add(e.data.unit);
    else if (e.type === 'ObjectionDeclined') pending.delete(e.data.unit);
    else if (e.type === 'AssignmentChanged') {
      const { lead, co, previous } = e.data;
      if ([...pending].some((u) => (previous.lead === u ? lead !== u : !co.includes(u)))) return true;
    }
  }
  return false;
}

function escalationCounts(events: readonly DomainEvent[]): Record<'1' | '2' | '3', number> {
  const out = { '1': 0, '2': 0, '3': 0 };
  for (const e of events) {
    if (e.type !== 'Escalated') continue;
    const level = e.data.level >= 3 ? '3' : e.data.level === 2 ? '2' : '1';
    out[level]++;
  }
  return out;
}
