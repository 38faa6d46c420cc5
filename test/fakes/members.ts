/** The member directory (委员名册) in a map: it stores, and checks only what the table's condition checks. */
import type { Member } from '#domain/member.ts';
import type { MemberDirectory } from '#app/ports.ts';

/** The directory functional tests start with (the ids and addresses the tests have always used). */
export const sampleMembers: Member[] = [
  { memberId: 'm-1', name: '王丽', sector: '经济界', party: '民盟', email: 'wangli@example.com', term: '第十五届', active: true },
  { memberId: 'm-2', name: '李强', sector: '教育界', email: 'liqiang@example.com', term: '第十五届', active: true },
  { memberId: 'm-3', name: '赵敏', sector: '医药卫生界', email: 'zhaomin@example.com', term: '第十五届', active: true },
  { memberId: 'm-9', name: '孙委员', sector: '经济界', email: 'sun@example.com', active: true },
  { memberId: 'm-001', name: '王丽', sector: '经济界', email: 'wangli@example.com', active: true },
  { memberId: 'm-old', name: '周退', sector: '经济界', email: 'zhou@example.com', term: '第十四届', active: false },
];

export class FakeMemberDirectory implements MemberDirectory {
  readonly items = new Map<string, Member>();
  /** Submissions counted per `memberId|day`. */
  readonly submissions = new Map<string, number>();

  constructor(initial: readonly Member[] = []) {
    for (const m of initial) this.items.set(m.memberId, structuredClone(m));
  }
  async get(memberId: string) {
    const m = this.items.get(memberId);
    return m ? structuredClone(m) : undefined;
  }
  async getMany(memberIds: readonly string[]) {
    return new Map(memberIds.flatMap((id) => (this.items.has(id) ? [[id, structuredClone(this.items.get(id)!)] as const] : [])));
  }
  async put(member: Member) {
    this.items.set(member.memberId, structuredClone(member));
  }
  async all() {
    return [...this.items.values()].sort((a, b) => a.memberId.localeCompare(b.memberId)).map((m) => structuredClone(m));
  }
  async countSubmission(memberId: string, day: string, limit: number) {
    const key = `${memberId}|${day}`;
    const n = this.submissions.get(key) ?? 0;
    if (n >= limit) return false;
    this.submissions.set(key, n + 1);
    return true;
  }
}
