/**
 * The SES emulator (aws-ses-v2-local) in this process, on 127.0.0.1: web UI at `/`, `GET /store`
 * lists mail. Clients talk to a small front on the public port that forwards to the emulator and
 * can inject faults for tests (`faults`): stop answering (connection refused), answer sends with
 * 500, throttle them, or reject an address like SES does for a bad recipient (MessageRejected).
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import * as sesModule from 'aws-ses-v2-local';
import { readBody } from './http-io.ts';

export interface SesLocal {
  url: string;
  port: number;
  /** The captured emails, oldest first. */
  emails(): Promise<LocalEmail[]>;
  faults: SesFaults;
  stop(): Promise<void>;
}

/** Test hooks: faults of the emulator as clients see it. Captured mail is kept throughout. */
export interface SesFaults {
  /** Closes the port (connections refused) until `resume()`. */
  pause(): Promise<void>;
  /** Listens on the same port again. */
  resume(): Promise<void>;
  /** Answers every send with HTTP 500 InternalFailure for `ms` milliseconds. */
  failFor(ms: number): void;
  /** Answers this fraction (0..1) of sends, at random, with HTTP 500 InternalFailure until `clear()`. */
  failRandomly(fraction: number): void;
  /** Answers the next `count` sends with 400 Throttling. */
  throttle(count: number): void;
  /** Answers sends to `address` with 400 MessageRejected (a permanent error), until `clear()`. */
  reject(address: string): void;
  clear(): void;
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

const listen = (server: Server, port: number) =>
  new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : port);
    });
  });
const close = (server: Server) =>
  new Promise<void>((resolve) => {
    if (!server.listening) return resolve();
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** An SES error in the dialect of the request: API v2 (JSON, x-amzn-errortype) or v1 (XML). */
function sesErrorFor(res: ServerResponse, status: number, code: string, message: string, v2 = false): void {
  if (v2) {
    const v2Code = code === 'Throttling' ? 'TooManyRequestsException' : code;
    res.writeHead(code === 'Throttling' ? 429 : status, { 'content-type': 'application/json', 'x-amzn-errortype': v2Code });
    res.end(JSON.stringify({ message }));
    return;
  }
  res.writeHead(status, { 'content-type': 'text/xml' });
  res.end(
    `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>local</RequestId></ErrorResponse>`,
  );
}

/** The recipient addresses of a send (v1: form fields Destination.*; v2: JSON Destination), lower-cased. */
function destinations(body: Buffer): string[] {
  const text = body.toString('utf8');
  let values: unknown[] = [];
  if (text.trimStart().startsWith('{')) {
    const json: unknown = JSON.parse(text);
    const d: unknown = typeof json === 'object' && json !== null ? Reflect.get(json, 'Destination') : undefined;
    if (typeof d === 'object' && d !== null) values = Object.values(d).flat();
  } else {
    values = [...new URLSearchParams(text)].filter(([k]) => k.startsWith('Destination.')).map(([, v]) => v);
  }
  return values.filter((v): v is string => typeof v === 'string').map((v) => v.trim().toLowerCase());
}

export async function startSesLocal(opts: { port: number }): Promise<SesLocal> {
  const emulator = await startFunction()({ port: 0, host: '127.0.0.1' });
  const inner = emulator.address();
  const innerPort = typeof inner === 'object' && inner ? inner.port : 0;
  let failUntil = 0;
  let throttled = 0;
  let failFraction = 0;
  const rejected = new Set<string>();

  async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = (await readBody(req, 30 * 1024 * 1024)) ?? Buffer.alloc(0);
    const v2 = req.url?.startsWith('/v2/') ?? false;
    const isSend = req.method === 'POST' && (req.url === '/' || req.url?.startsWith('/v2/email/outbound'));
    const sesError = (status: number, code: string, message: string) => sesErrorFor(res, status, code, message, v2);
    if (isSend) {
      const bad = destinations(body).find((a) => rejected.has(a));
      // Date.now() is real time here on purpose: faults last wall-clock time, not the settable clock's.
      if (Math.random() < failFraction) return sesError(500, 'InternalFailure', 'local fault: random failure');
      if (Date.now() < failUntil) return sesError(500, 'InternalFailure', 'local fault: SES unavailable');
      if (throttled > 0) {
        throttled -= 1;
        return sesError(400, 'Throttling', 'Maximum sending rate exceeded.');
      }
      if (bad) return sesError(400, 'MessageRejected', `Email address is not verified. The following identities failed the check: ${bad}`);
    }
    const upstream = request({ host: '127.0.0.1', port: innerPort, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => sesError(502, 'InternalFailure', 'local emulator unreachable'));
    upstream.end(body);
  }

  const front = createServer(
    (req, res) =>
      void forward(req, res).catch(() => sesErrorFor(res, 500, 'InternalFailure', 'local front failed', req.url?.startsWith('/v2/'))),
  );
  let port: number;
  try {
    port = await listen(front, opts.port);
  } catch (err) {
    await close(emulator);
    throw err;
  }
  const url = `http://127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    async emails() {
      const store: unknown = await (await fetch(`http://127.0.0.1:${innerPort}/store`)).json();
      if (!isStore(store)) throw new Error('unexpected SES emulator store');
      return store.emails.map((e) => ({
        to: e.destination.to,
        subject: e.subject,
        text: e.body.text,
        html: e.body.html,
        at: new Date(e.at * 1000).toISOString(),
      }));
    },
    faults: {
      pause: () => close(front),
      resume: async () => {
        if (!front.listening) await listen(front, port);
      },
      failFor: (ms) => void (failUntil = Date.now() + ms),
      failRandomly: (fraction) => void (failFraction = fraction),
      throttle: (count) => void (throttled = count),
      reject: (address) => void rejected.add(address.trim().toLowerCase()),
      clear: () => {
        failUntil = 0;
        failFraction = 0;
        throttled = 0;
        rejected.clear();
      },
    },
    stop: () => (stopped ??= Promise.all([close(front), close(emulator)]).then(() => undefined)),
  };
}
