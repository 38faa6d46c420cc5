/** Small request/response helpers for the local HTTP server. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { problemBody } from '#functions/http/problems.ts';

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(value));
}

/** Titles of statuses only the local runtime answers (the api's are in problemTitles). */
const localTitles: Record<number, string> = { 415: '不支持的媒体类型' };

/** An RFC 9457 problem response, with the api's Chinese title and problem type for the status. */
export function problem(res: ServerResponse, status: number, detail: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/problem+json; charset=utf-8', ...headers });
  res.end(JSON.stringify(problemBody(status, detail, {}, localTitles[status])));
}

/** Reads the body; undefined when it is over `max` bytes (the rest is drained, not kept). */
export function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > max ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
