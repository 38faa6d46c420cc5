/**
 * Metrics as CloudWatch Embedded Metric Format: one JSON line per flush on stdout, which CloudWatch
 * Logs turns into metrics (no API call, nothing billed when idle). Namespace `Proposals`, dimensions
 * service `proposals` and the city, every metric a Count summed over the invocation; the same
 * document the Powertools metrics utility writes, without its 15 KB of bundle. Off where nothing
 * reads the lines (the local runtime, the bundle tests): an `out` that drops them (settings
 * `metricsDisabled`, in Lambda `METRICS_DISABLED=true`).
 * Format: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
import type { MetricName, Metrics } from '#app/ports.ts';

export const metricsNamespace = 'Proposals';

/** The EMF document for the counts (at most 100 metrics per document; we have far fewer names). */
export function emfDocument(cityId: string, counts: ReadonlyMap<MetricName, number>, timestampMs: number): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: timestampMs,
      CloudWatchMetrics: [
        {
          Namespace: metricsNamespace,
          Dimensions: [['service', 'city']],
          Metrics: [...counts.keys()].map((Name) => ({ Name, Unit: 'Count' })),
        },
      ],
    },
    service: 'proposals',
    city: cityId,
    ...Object.fromEntries(counts),
  };
}

export class EmfMetrics implements Metrics {
  private readonly counts = new Map<MetricName, number>();

  constructor(
    private readonly cityId: string,
    private readonly out: (line: string) => void = (line) => process.stdout.write(line),
  ) {}

  count(name: MetricName, value = 1): void {
    if (value <= 0) return;
    this.counts.set(name, (this.counts.get(name) ?? 0) + value);
  }

  flush(): void {
    if (this.counts.size === 0) return;
    // Wall time: CloudWatch rejects metric timestamps far from now, whatever the business clock says.
    this.out(`${JSON.stringify(emfDocument(this.cityId, this.counts, Date.now()))}\n`);
    this.counts.clear();
  }
}
