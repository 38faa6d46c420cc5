/** `GET /_local/health`: a cheap call to each emulator, each answered within a short timeout. */

/** A cheap call to one component; rejects (or never settles) when it is down. */
export type Probe = (signal: AbortSignal) => Promise<unknown>;

const TIMEOUT_MS = 1000;

async function answers(probe: Probe, timeoutMs: number): Promise<boolean> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      resolve(false);
    }, timeoutMs);
  });
  try {
    return await Promise.race([
      probe(abort.signal).then(
        () => true,
        () => false,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The names of the components that did not answer, in the order given (all at once). */
export async function componentsDown(probes: Record<string, Probe>, timeoutMs = TIMEOUT_MS): Promise<string[]> {
  const names = Object.keys(probes);
  const up = await Promise.all(Object.values(probes).map((p) => answers(p, timeoutMs)));
  return names.filter((_, i) => !up[i]);
}
