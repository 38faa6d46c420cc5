/** In-memory SuppressionList (lower-cased addresses with their reason). */
import type { SuppressionList } from '#app/ports.ts';

export class FakeSuppressionList implements SuppressionList {
  readonly entries = new Map<string, string>();
  async isSuppressed(email: string) {
    return this.entries.has(email.trim().toLowerCase());
  }
  async add(email: string, reason: string) {
    this.entries.set(email.trim().toLowerCase(), reason);
  }
}
