/**
 * SuppressionList on the DynamoDB single table (item SUPPRESS#<email>, lower-cased). The entries
 * come from SES bounce/complaint notifications through the bounces function (functions/bounces;
 * locally POST /_local/bounce runs it), see docs/notices.md.
 * The lookups asked for in one turn of the event loop (every address of every notice of a mailer
 * batch: deliver-notice.ts looks them up first) are answered by one read.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#adapters/keys.ts';
import { coalescedGet, type ItemKey } from '#adapters/batch-get.ts';
import type { SuppressionList } from '#app/ports.ts';
import type { Clock } from '#shared/clock.ts';

export class DynamoSuppressionList implements SuppressionList {
  /** Lookups asked for in one turn of the event loop share one read (batch-get.ts). */
  private readonly read: (key: ItemKey) => Promise<Record<string, unknown> | undefined>;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {
    this.read = coalescedGet(db, tableName, { projection: 'PK, SK' });
  }

  async isSuppressed(email: string): Promise<boolean> {
    return (await this.read(keys.suppression(email.trim()))) !== undefined;
  }

  async add(email: string, reason: string): Promise<void> {
    const address = email.trim().toLowerCase();
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.suppression(address), email: address, reason, at: this.clock.now().toISOString() },
      }),
    );
  }
}
