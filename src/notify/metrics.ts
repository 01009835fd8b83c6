// --metrics-file: the run's figures in the Prometheus text exposition format, for node-exporter's
// textfile collector (https://github.com/prometheus/node_exporter#textfile-collector). Written to a
// temporary file in the same folder and renamed, so the collector never reads half a file.
import fs from 'node:fs';
import path from 'node:path';

export interface Sample { name: string; help: string; type: 'gauge' | 'counter'; values: Array<{ labels?: Record<string, string>; value: number }> }

export function renderMetrics(samples: Sample[]): string {
  const lines: string[] = [];
  for (const s of samples) {
    lines.push(`# HELP ${s.name} ${s.help}`, `# TYPE ${s.name} ${s.type}`);
    for (const v of s.values) {
      const labels = v.labels && Object.keys(v.labels).length
        ? `{${Object.entries(v.labels).map(([k, x]) => `${k}="${x.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`).join(',')}}` : '';
      lines.push(`${s.name}${labels} ${Number.isFinite(v.value) ? v.value : 0}`);
    }
  }
  return lines.join('\n') + '\n';
}

export function writeMetricsFile(file: string, samples: Sample[]): void {
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, renderMetrics(samples));
  fs.renameSync(tmp, file);
}
