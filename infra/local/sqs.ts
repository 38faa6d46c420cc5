/** The SQS emulator (fauxqs) in this process. Clients need `endpoint` and `useQueueUrlAsEndpoint: false`. */
import { startFauxqs } from 'fauxqs';

export interface SqsLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export async function startSqsLocal(opts: { port: number; region: string }): Promise<SqsLocal> {
  // fauxqs listens on all interfaces (its `host` only names the host in queue URLs); we connect on 127.0.0.1.
  const server = await startFauxqs({ port: opts.port, logger: false, defaultRegion: opts.region });
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${server.port}`,
    port: server.port,
    stop: () => (stopped ??= server.stop()),
  };
}
