/**
 * 办理考评: a score per unit for the year, from five figures, each a rate 0..1 defined in measures.ts:
 * - acknowledgeOnTime 按时签收: its assignments (lead or co) signed by their deadline / those due;
 * - contact 面商: its lead proposals where it met the proposers (面商 or 走访) / its lead proposals;
 * - replyOnTime 按时办复: its lead proposals answered by their deadline / those due;
 * - satisfaction 满意度: 满意 and 基本满意 / the ratings of its lead proposals' replies (last per proposer);
 * - secondReply 二次答复: its lead proposals closed with a follow-up class whose follow-up ended in a
 *   final report / those whose follow-up ended or is open past its deadline (measures.secondReply).
 * score = 100 × Σ(weight × rate) / Σ(weight), over the figures that are not null (nothing to count:
 * left out, not scored as 0); null when none is. Weights from the city config (assessment.weights).
 * Each figure names the proposals behind it (`sources`: met and missed, by case number; satisfaction
 * lists a number once per rating). Pure.
 */
import type { Proposal } from '#domain/proposal.ts';
import { partsOf } from '#domain/parts.ts';
import { acknowledgements, lastRatings, metInPerson, replyTimeliness, secondReply } from '#domain/measures.ts';

export const assessmentKeys = ['acknowledgeOnTime', 'contact', 'replyOnTime', 'satisfaction', 'secondReply'] as const;
export type AssessmentKey = (typeof assessmentKeys)[number];
export type AssessmentWeights = Record<AssessmentKey, number>;

/** As the city config's defaults (assessment.weights). */
export const defaultWeights: AssessmentWeights = { acknowledgeOnTime: 15, contact: 20, replyOnTime: 25, satisfaction: 30, secondReply: 10 };

export interface AssessmentSource {
  /** Case numbers counted for the figure (its numerator). */
  met: string[];
  /** Case numbers counted against it (in the denominator only). */
  missed: string[];
}

export interface AssessmentRow {
  unit: string;
  /** 0..100 with one decimal; null: no figure to score yet. */
  score: number | null;
  rates: Record<AssessmentKey, number | null>;
  sources: Record<AssessmentKey, AssessmentSource>;
}

const none = (): AssessmentSource => ({ met: [], missed: [] });
const emptySources = (): Record<AssessmentKey, AssessmentSource> => ({
  acknowledgeOnTime: none(),
  contact: none(),
  replyOnTime: none(),
  satisfaction: none(),
  secondReply: none(),
});
const rateOf = ({ met, missed }: AssessmentSource) => (met.length + missed.length ? met.length / (met.length + missed.length) : null);

/** The score of some rates: weighted mean of those not null, 0..100, one decimal. */
export function assessmentScore(rates: Record<AssessmentKey, number | null>, weights: AssessmentWeights): number | null {
  let [sum, total] = [0, 0];
  for (const k of assessmentKeys) {
    const r = rates[k];
    if (r === null) continue;
    sum += weights[k] * r;
    total += weights[k];
  }
  return total > 0 ? Math.round((1000 * sum) / total) / 10 : null;
}

/** Every unit with something to count in `cases` (the year's registered proposals), best score first. */
export function assessUnits(
  cases: readonly Proposal[],
  now: Date,
  opts: { weights: AssessmentWeights; followUpClasses: ReadonlySet<string> },
): AssessmentRow[] {
  const units = new Map<string, Record<AssessmentKey, AssessmentSource>>();
  const of = (unit: string) => {
    let s = units.get(unit);
    if (!s) units.set(unit, (s = emptySources()));
    return s;
  };
  const count = (unit: string, key: AssessmentKey, met: boolean, number: string) => of(unit)[key][met ? 'met' : 'missed'].push(number);
  for (const p of cases) {
    for (const a of acknowledgements(p, now)) if (a.due) count(a.unit, 'acknowledgeOnTime', a.onTime, p.number);
    // Each lead unit's part (分办: several) counts for that unit.
    for (const part of partsOf(p)) {
      const lead = part.lead ?? '';
      count(lead, 'contact', metInPerson(part), p.number);
      const timely = replyTimeliness(part, now);
      if (timely) count(lead, 'replyOnTime', timely === 'on_time', p.number);
      for (const s of lastRatings(part)) count(lead, 'satisfaction', s !== 'dissatisfied', p.number);
      const second = secondReply(part, opts.followUpClasses, now);
      if (second.due) count(lead, 'secondReply', second.given, p.number);
    }
  }
  return [...units]
    .map(([unit, sources]) => {
      const rates = {
        acknowledgeOnTime: rateOf(sources.acknowledgeOnTime),
        contact: rateOf(sources.contact),
        replyOnTime: rateOf(sources.replyOnTime),
        satisfaction: rateOf(sources.satisfaction),
        secondReply: rateOf(sources.secondReply),
      };
      return { unit, score: assessmentScore(rates, opts.weights), rates, sources };
    })
    .sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.unit.localeCompare(b.unit));
}
