import { describe, expect, it } from 'vitest';
import { EmfMetrics, metricsNamespace } from '#adapters/emf-metrics.ts';

/** An EmfMetrics for city `alar` whose lines are kept. */
function metrics(): { m: EmfMetrics; lines: string[] } {
  const lines: string[] = [];
  return { m: new EmfMetrics('alar', (l) => lines.push(l)), lines };
}

describe('EmfMetrics', () => {
  it('writes one EMF document per flush: counts summed, dimensions service and city, the namespace the dashboard reads', () => {
    const { m, lines } = metrics();
    m.count('NoticesSent');
    m.count('NoticesSent', 2);
    m.count('EventsHandled', 5);
    m.count('NoticesFailed', 0); // nothing counted, no metric
    m.flush();
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    const doc = JSON.parse(lines[0]!) as Record<string, unknown> & { _aws: { Timestamp: number; CloudWatchMetrics: unknown[] } };
    expect(doc._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: metricsNamespace,
        Dimensions: [['service', 'city']],
        Metrics: [
          { Name: 'NoticesSent', Unit: 'Count' },
          { Name: 'EventsHandled', Unit: 'Count' },
        ],
      },
    ]);
    expect(Math.abs(doc._aws.Timestamp - Date.now())).toBeLessThan(60_000);
    expect(doc).toMatchObject({ service: 'proposals', city: 'alar', NoticesSent: 3, EventsHandled: 5 });
    expect(doc).not.toHaveProperty('NoticesFailed');
  });

  it('starts again after a flush, and writes nothing when nothing was counted', () => {
    const { m, lines } = metrics();
    m.flush();
    expect(lines).toEqual([]);
    m.count('TimersFired');
    m.flush();
    m.count('TimersFired');
    m.flush();
    expect(lines.map((l) => (JSON.parse(l) as { TimersFired: number }).TimersFired)).toEqual([1, 1]);
  });
});
