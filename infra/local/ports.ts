/** Port helpers for the local runtime: pick a free port, or fail early with one clear line. */
import { createServer } from 'node:net';

/** A port that is in use by a program that is not ours. The message names the env var to change. */
export class PortInUseError extends Error {
  constructor(port: number, what: string, envVar: string, holder = '其他程序') {
    super(`端口 ${port} (${what}) 已被${holder}占用：请设置环境变量 ${envVar} 换一个端口 (port ${port} is in use: set ${envVar})`);
    this.name = 'PortInUseError';
  }
}

/** Resolves true when nothing listens on `port` on any interface. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    // No host: binds the IPv6/IPv4 wildcard, which conflicts with any listener on that port.
    server.listen({ port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export async function assertPortFree(port: number, what: string, envVar: string): Promise<void> {
  if (!(await isPortFree(port))) throw new PortInUseError(port, what, envVar);
}

/** A port the OS considers free right now (0 = "pick one" in the options). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** `port` itself, or a free one when it is 0. */
export async function portOrFree(port: number): Promise<number> {
  return port === 0 ? freePort() : port;
}
