/**
 * The local runtime's 委员名册: the sample city's directory file (`<city id>-members.csv` beside its
 * config, e.g. infra/cities/alar-members.csv) written into the table at start, so the console's
 * sign-in as a member (m-001) works at once. Local only; in AWS the office imports the directory
 * through the API (npm run import:members).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { memberSchema, type Member } from '#domain/member.ts';
import { DynamoMemberDirectory } from '#adapters/dynamo-member-directory.ts';
import { parseCsv } from '../../scripts/csv.ts';
import { rowToMember } from '../../scripts/member-table.ts';

/** The directory file of a city config file, when there is one. */
export function memberFileOf(cityConfigFile: string, cityId: string): string | undefined {
  const file = join(dirname(cityConfigFile), `${cityId}-members.csv`);
  return existsSync(file) ? file : undefined;
}

/** The members of a directory file; a bad row stops the start naming the file, the row and the reason. */
export function readMemberFile(file: string): Member[] {
  const [header = [], ...rows] = parseCsv(readFileSync(file, 'utf8')).map((r) => r.map((c) => c.trim()));
  return rows.flatMap((cells, i) => {
    if (!cells.some((c) => c !== '')) return [];
    const row = rowToMember(header, cells, i + 2);
    if ('errors' in row) throw new Error(`${file} 第${i + 2}行: ${row.errors.map((e) => `${e.field} ${e.reason}`).join('；')}`);
    const parsed = memberSchema.safeParse({ memberId: row.memberId, ...row.body });
    if (!parsed.success)
      throw new Error(`${file} 第${i + 2}行: ${parsed.error.issues.map((x) => `${String(x.path[0] ?? '')} ${x.message}`).join('；')}`);
    return [parsed.data];
  });
}

/** Writes the members into the table (as PUT /v1/members would, without the HTTP). */
export async function seedMembers(client: DynamoDBClient, tableName: string, members: readonly Member[], at: string): Promise<void> {
  const dir = new DynamoMemberDirectory(
    DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    tableName,
  );
  for (let i = 0; i < members.length; i += 25) await Promise.all(members.slice(i, i + 25).map((m) => dir.put({ ...m, updatedAt: at })));
}
