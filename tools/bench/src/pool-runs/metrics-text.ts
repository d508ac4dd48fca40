/**
 * The values of every sample of metric `name` (any labels) in a Prometheus text exposition, as the pool's
 * /metrics serves it; empty when the metric is not there.
 */
export function metricValues(exposition: string, name: string): number[] {
  const values: number[] = [];
  for (const line of exposition.split("\n")) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) values.push(Number(line.slice(line.lastIndexOf(" ") + 1)));
  }
  return values;
}
