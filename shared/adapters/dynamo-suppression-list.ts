/**
 * SuppressionList on the DynamoDB single table (item SUPPRESS#<email>, lower-cased). In AWS the
 * entries come from SES bounce/complaint notifications (an SNS topic; that consumer is not built
 * yet, see docs/notices.md); locally from POST /_local/bounce.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#adapters/keys.ts';
import type { SuppressionList } from '#app/ports.ts';
import type { Clock } from '#shared/clock.ts';

export class DynamoSuppressionList implements SuppressionList {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  async isSuppressed(email: string): Promise<boolean> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.suppression(email.trim()) }));
    return out.Item !== undefined;
  }

  async add(email: string, reason: string): Promise<void> {
    const address = email.trim().toLowerCase();
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.suppression(address), email: address, reason, at: this.clock.now().toISOString() } }));
  }
}
