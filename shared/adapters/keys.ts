/**
 * The one place for DynamoDB keys. Every item of the single table is addressed through here.
 *
 * | item            | PK                  | SK                 | GSI attributes                       |
 * |-----------------|---------------------|--------------------|--------------------------------------|
 * | proposal 提案   | P#<id>              | PROPOSAL           | GSI1PK YEAR#<year>, GSI1SK <seq:9>   |
 * | event           | P#<id>              | EVENT#<seq:9>      |                                      |
 * | timer           | P#<id>              | TIMER#<obligation> | DUE_PK DUE#<shard>, DUE_SK <at>#<id> |
 * | city timer 通报 | CITY                | TIMER#bulletin     | DUE_PK DUE#<shard>, DUE_SK <at>#...  |
 * | case counter    | COUNTER#<year>      | COUNTER            |                                      |
 * | idempotency     | IDEM#<scope>#<key>  | IDEM               | (`expiresAt`: deleted by the table's TTL) |
 * | notice sent     | NOTICE#<noticeId>   | NOTICE             | (`report` when the office must hear: the reactor's 2nd stream filter) |
 * | suppression     | SUPPRESS#<email>    | SUPPRESS           |                                      |
 * | member 委员      | MEMBERS             | <memberId>         | (one partition: the list is a Query) |
 * | submissions/day | MEMBER#<memberId>   | SUBMITTED#<date>   | (a counter: `n` submissions that day)|
 */

export const EVENT_PREFIX = 'EVENT#';
export const TIMER_PREFIX = 'TIMER#';
export const NOTICE_SK = 'NOTICE';
/** Partition of city-wide items (the bulletin timer); its "proposal id" in the due index. */
export const CITY_PK = 'CITY';
/** Partition of the member directory (委员名册): a city's few hundred members, listed with one Query. */
export const MEMBERS_PK = 'MEMBERS';
/**
 * The table's TTL attribute (epoch seconds; shared/wiring.ts declares it on the table): DynamoDB deletes
 * an item some time after it. Idempotency records carry it.
 */
export const TTL_ATTRIBUTE = 'expiresAt';
/** Partitions of the due index (DUE#0 .. DUE#3): the sweep queries each (shared/wiring.ts declares the index). */
export const DUE_SHARDS = 4;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export const keys = {
  proposal: (id: string) => ({ PK: `P#${id}`, SK: 'PROPOSAL' }),
  proposalIndex: (year: number, seq: number) => ({ GSI1PK: `YEAR#${year}`, GSI1SK: pad(seq, 9) }),
  yearSeq: (seq: number) => pad(seq, 9),
  yearPartition: (year: number) => `YEAR#${year}`,
  event: (proposalId: string, seq: number) => ({ PK: `P#${proposalId}`, SK: `${EVENT_PREFIX}${pad(seq, 9)}` }),
  eventsOf: (proposalId: string) => ({ PK: `P#${proposalId}`, skPrefix: EVENT_PREFIX }),
  timer: (proposalId: string, timerId: string) => ({ PK: `P#${proposalId}`, SK: `${TIMER_PREFIX}${timerId}` }),
  cityTimer: (name: string) => ({ PK: CITY_PK, SK: `${TIMER_PREFIX}${name}` }),
  timerDue: (at: string, proposalId: string, timerId: string) => ({
    DUE_PK: dueShard(`${proposalId}#${timerId}`),
    DUE_SK: `${at}#${proposalId}#${timerId}`,
  }),
  dueShards: () => Array.from({ length: DUE_SHARDS }, (_, i) => `DUE#${i}`),
  counter: (year: number) => ({ PK: `COUNTER#${year}`, SK: 'COUNTER' }),
  /** A named counter, e.g. LETTER#health#2026 (the 文号 of a unit's reply letters in a year). */
  namedCounter: (name: string) => ({ PK: `COUNTER#${name}`, SK: 'COUNTER' }),
  idempotency: (scope: string, key: string) => ({ PK: `IDEM#${scope}#${key}`, SK: 'IDEM' }),
  notice: (noticeId: string) => ({ PK: `NOTICE#${noticeId}`, SK: NOTICE_SK }),
  suppression: (email: string) => ({ PK: `SUPPRESS#${email.toLowerCase()}`, SK: 'SUPPRESS' }),
  member: (memberId: string) => ({ PK: MEMBERS_PK, SK: memberId }),
  members: () => ({ PK: MEMBERS_PK }),
  submissionsOfDay: (memberId: string, day: string) => ({ PK: `MEMBER#${memberId}`, SK: `SUBMITTED#${day}` }),
  /** The proposal id inside a PK of the form P#<id>, or undefined. */
  proposalIdOf: (pk: string) => (pk.startsWith('P#') ? pk.slice(2) : undefined),
} as const;

function dueShard(s: string): string {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
  return `DUE#${h % DUE_SHARDS}`;
}
