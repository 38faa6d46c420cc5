/**
 * The SQS emulator (fauxqs) in this process, on 127.0.0.1. Clients need `endpoint` and
 * `useQueueUrlAsEndpoint: false`. We build its server with `buildApp` because `startFauxqs`
 * always listens on 0.0.0.0.
 */
import { buildApp } from 'fauxqs';

export interface SqsLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/** The part of fauxqs's server (a Fastify instance) we use: its published types do not resolve. */
interface Server {
  listen(opts: { port: number; host: string }): Promise<string>;
  close(): Promise<unknown>;
}
const isServer = (v: unknown): v is Server => typeof v === 'object' && v !== null && 'listen' in v && 'close' in v;

export async function startSqsLocal(opts: { port: number; region: string }): Promise<SqsLocal> {
  const app: unknown = buildApp({ logger: false, defaultRegion: opts.region });
  if (!isServer(app)) throw new Error('fauxqs: buildApp returned no server');
  const port = Number(new URL(await app.listen({ port: opts.port, host: '127.0.0.1' })).port);
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stop: () => (stopped ??= app.close().then(() => undefined)),
  };
}
