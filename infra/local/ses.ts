/** The SES emulator (aws-ses-v2-local) in this process, on 127.0.0.1: web UI at `/`, `GET /store` lists mail. */
import type { Server } from 'node:http';
import * as sesModule from 'aws-ses-v2-local';

export interface SesLocal {
  url: string;
  port: number;
  /** The captured emails, oldest first. */
  emails(): Promise<LocalEmail[]>;
  stop(): Promise<void>;
}

/** What `GET /_local/emails` returns for each captured email. */
export interface LocalEmail {
  to: string[];
  subject: string;
  text: string | undefined;
  html: string | undefined;
  at: string;
}

type StartSes = (config: { port: number; host: string }) => Promise<Server>;

// A CommonJS module with __esModule: depending on the loader the function is `default` or `default.default`.
function startFunction(): StartSes {
  const outer: unknown = sesModule.default;
  const inner: unknown = typeof outer === 'object' && outer !== null && 'default' in outer ? outer.default : outer;
  if (typeof inner !== 'function') throw new Error('aws-ses-v2-local: no server function exported');
  return inner as StartSes;
}

interface StoredEmail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

function isStore(v: unknown): v is { emails: StoredEmail[] } {
  return typeof v === 'object' && v !== null && 'emails' in v && Array.isArray(v.emails);
}

export async function startSesLocal(opts: { port: number }): Promise<SesLocal> {
  const server = await startFunction()({ port: opts.port, host: '127.0.0.1' });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const url = `http://127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    async emails() {
      const store: unknown = await (await fetch(`${url}/store`)).json();
      if (!isStore(store)) throw new Error('unexpected SES emulator store');
      return store.emails.map((e) => ({
        to: e.destination.to,
        subject: e.subject,
        text: e.body.text,
        html: e.body.html,
        at: new Date(e.at * 1000).toISOString(),
      }));
    },
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })),
  };
}
