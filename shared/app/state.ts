/**
 * AppState: everything a handler needs, built once per cold start (or once per local runtime).
 * Use cases receive the parts they need; tests build one from fakes (test/fakes). Building it from
 * AWS clients is an adapter's job (shared/adapters/aws-state.ts).
 */
import type { Clock } from '#shared/clock.ts';
import type { CityConfig } from '#domain/city-config.ts';
import { KeywordMatcher } from '#domain/matcher.ts';
import { WorkingCalendar } from '#domain/calendar.ts';
import { TimerSchedule } from '#domain/timer-schedule.ts';
import { SimilarCorpus } from '#app/similar-corpus.ts';
import type { FeedbackKeys } from '#app/feedback-token.ts';
import type {
  IdempotencyStore,
  MailSender,
  MemberDirectory,
  Metrics,
  NoticeLedger,
  NoticeQueue,
  PoisonQueue,
  ProposalIndex,
  ProposalStore,
  SuppressionList,
  TimerStore,
} from '#app/ports.ts';

export interface AppState {
  config: CityConfig;
  clock: Clock;
  matcher: KeywordMatcher;
  calendar: WorkingCalendar;
  /** When each open obligation's reminders and escalations fire. */
  schedule: TimerSchedule;
  /** Earlier proposals, cached per container, for similarity on submit. */
  similar: SimilarCorpus;
  proposals: ProposalStore;
  /** The open obligations' timers and the city's (the sweep's). */
  timers: TimerStore;
  index: ProposalIndex;
  /** 委员名册: proposers' names and addresses, and who may sign in as a member. */
  members: MemberDirectory;
  idempotency: IdempotencyStore;
  notices: NoticeQueue;
  /** Stream records the reactor sets aside (the stream-poison queue). */
  poison: PoisonQueue;
  mail: MailSender;
  ledger: NoticeLedger;
  /** Bounced addresses the mailer skips. */
  suppression: SuppressionList;
  /**
   * The keys of the proposers' feedback links (HMAC; the feedback secret's current and previous
   * versions): the api checks links, the reactor signs them. Other functions are not given them.
   */
  feedbackSecret: FeedbackKeys;
  /** Business counts per city (CloudWatch); flushed after each invocation. */
  metrics: Metrics;
}

/**
 * Each function's own state holds only what it uses, so that its bundle carries no more: the api
 * and the reports the workflow (no ledger, no queue, no mail); the mailer its records and the mail (none of the
 * workflow: it writes no proposal); bounces the suppression list. Any full AppState (the local
 * runtime, tests) is each of them too.
 */
export type ApiState = Omit<AppState, 'ledger' | 'suppression' | 'notices' | 'poison' | 'mail'>;
export type MailerState = Pick<AppState, 'config' | 'clock' | 'metrics' | 'ledger' | 'suppression' | 'mail'>;
export type SuppressionState = Pick<AppState, 'config' | 'clock' | 'metrics' | 'suppression'>;

/** Builds the parts that depend only on the config (shared by the AWS and the fake states). */
export function configParts(config: CityConfig): Pick<AppState, 'config' | 'matcher' | 'calendar' | 'schedule' | 'similar'> {
  return { ...calendarParts(config), matcher: KeywordMatcher.fromUnits(config.units), similar: new SimilarCorpus() };
}

/** The city's working calendar and its timer schedule: what reading and reporting need (no keyword matcher). */
export function calendarParts(config: CityConfig): Pick<AppState, 'config' | 'calendar' | 'schedule'> {
  const calendar = new WorkingCalendar({ timeZone: config.timeZone, ...config.calendar });
  return { config, calendar, schedule: new TimerSchedule(config.policy, calendar) };
}
