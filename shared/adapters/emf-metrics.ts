/**
 * Metrics on Powertools (CloudWatch Embedded Metric Format: a JSON log line per flush, no API call),
 * namespace `Proposals`, the city as a dimension. Off in the local runtime and tests
 * (POWERTOOLS_METRICS_DISABLED), where there is no CloudWatch to read the lines.
 */
import { Metrics as Powertools, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricName, Metrics } from '#app/ports.ts';

export const metricsNamespace = 'Proposals';

export class EmfMetrics implements Metrics {
  private readonly metrics: Powertools;
  private pending = false;

  constructor(cityId: string) {
    this.metrics = new Powertools({ namespace: metricsNamespace, serviceName: 'proposals', defaultDimensions: { city: cityId } });
  }

  count(name: MetricName, value = 1): void {
    if (value <= 0) return;
    this.metrics.addMetric(name, MetricUnit.Count, value);
    this.pending = true;
  }

  flush(): void {
    if (!this.pending) return; // an empty flush only warns
    this.pending = false;
    this.metrics.publishStoredMetrics();
  }
}
