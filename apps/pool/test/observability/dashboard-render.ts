// Renders the dashboard's panels from a real Prometheus into one HTML page (inline SVG, no script),
// laid out on the dashboard's own grid, for a screenshot in the docs. Not Grafana: the same queries,
// drawn plainly.
import type { PrometheusProcess } from "./prometheus-server.js";

interface Panel {
  readonly type: string;
  readonly title: string;
  readonly gridPos: { x: number; y: number; w: number; h: number };
  readonly targets: readonly { expr: string; legendFormat?: string }[];
  readonly fieldConfig?: { defaults?: { unit?: string } };
}

const COLUMN = 50;
const ROW = 30;
const COLORS = ["#3274d9", "#e0752d", "#37872d", "#c4162a", "#8f3bb8", "#1f78c1", "#b877d9", "#56a64b", "#f2cc0c", "#8ab8ff"];

export async function renderDashboard(
  dashboard: { title: string; panels: readonly Panel[] },
  prometheus: PrometheusProcess,
  range: { start: number; end: number; step: number },
  asSent: (expr: string) => string,
): Promise<string> {
  const boxes: string[] = [];
  for (const panel of dashboard.panels) {
    const { x, y, w, h } = panel.gridPos;
    const unit = panel.fieldConfig?.defaults?.unit;
    let body: string;
    if (panel.type === "timeseries") {
      const series = [];
      for (const target of panel.targets) {
        const res = await prometheus.queryRange(asSent(target.expr), range.start, range.end, range.step);
        for (const r of res.data?.result ?? []) {
          series.push({ name: legend(target.legendFormat ?? "", r.metric), points: r.values.map(([t, v]) => [t, Number(v)] as const).filter(([, v]) => Number.isFinite(v)) });
        }
      }
      body = chart(series, w * COLUMN - 16, h * ROW - 40, range, unit);
    } else {
      const res = await prometheus.query(asSent(panel.targets[0]!.expr), range.end);
      const result = res.data?.result ?? [];
      body =
        panel.type === "stat"
          ? `<div class="stat">${result.length === 0 ? "–" : format(Number(result[0]!.value![1]), unit)}</div>`
          : `<table>${result
              .slice(0, 8)
              .map((r) => `<tr><td>${esc(Object.entries(r.metric).filter(([k]) => !["__name__", "instance", "job"].includes(k)).map(([k, v]) => `${k}=${v}`).join(" "))}</td></tr>`)
              .join("")}</table>`;
    }
    boxes.push(
      `<div class="panel" style="left:${x * COLUMN}px;top:${y * ROW}px;width:${w * COLUMN - 8}px;height:${h * ROW - 8}px"><h3>${esc(panel.title)}</h3>${body}</div>`,
    );
  }
  const height = Math.max(...dashboard.panels.map((p) => (p.gridPos.y + p.gridPos.h) * ROW));
  return `<!doctype html><html><head><meta charset="utf-8"><style>
body{margin:0;background:#111217;color:#ccccdc;font:12px system-ui,sans-serif}
.grid{position:relative;width:${24 * COLUMN}px;height:${height}px;margin:8px}
.panel{position:absolute;background:#181b1f;border:1px solid #2c3235;border-radius:3px;overflow:hidden}
h3{margin:6px 8px;font-size:12px;font-weight:500;color:#d8d9da}
.stat{font-size:30px;font-weight:600;color:#73bf69;padding:4px 10px}
table{margin:0 8px;border-collapse:collapse;font-size:11px}td{padding:2px 4px;border-bottom:1px solid #2c3235}
.legend{font-size:10px;margin:0 8px;white-space:nowrap;overflow:hidden}
</style></head><body><div class="grid">${boxes.join("\n")}</div></body></html>`;
}

function chart(
  series: { name: string; points: (readonly [number, number])[] }[],
  width: number,
  height: number,
  range: { start: number; end: number },
  unit: string | undefined,
): string {
  const legendRows = Math.min(3, Math.ceil(series.length / 3));
  const plotHeight = height - legendRows * 13;
  const values = series.flatMap((s) => s.points.map(([, v]) => v));
  const max = Math.max(...values, unit === "percentunit" ? 0.1 : 1e-9);
  const px = (t: number) => 40 + ((t - range.start) / (range.end - range.start)) * (width - 48);
  const py = (v: number) => 4 + plotHeight - 8 - (v / max) * (plotHeight - 12);
  const lines = series
    .map((s, i) => {
      const d = s.points.map(([t, v], j) => `${j === 0 ? "M" : "L"}${px(t).toFixed(1)},${py(v).toFixed(1)}`).join("");
      return `<path d="${d}" fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="1.5"/>`;
    })
    .join("");
  const axis = `<text x="2" y="12" fill="#8e8e8e" font-size="10">${format(max, unit)}</text><text x="2" y="${plotHeight - 6}" fill="#8e8e8e" font-size="10">0</text><line x1="40" y1="${py(0)}" x2="${width - 8}" y2="${py(0)}" stroke="#2c3235"/>`;
  const legendHtml = series
    .slice(0, 9)
    .map((s, i) => `<span style="color:${COLORS[i % COLORS.length]}">■</span> ${esc(s.name)}`)
    .join(" &nbsp; ");
  return `<svg width="${width}" height="${plotHeight}">${axis}${lines}</svg><div class="legend">${legendHtml}</div>`;
}

function legend(format: string, metric: Record<string, string>): string {
  return format.replace(/\{\{(\w+)\}\}/g, (_, name: string) => metric[name] ?? "");
}

function format(value: number, unit: string | undefined): string {
  if (!Number.isFinite(value)) return "–";
  if (unit === "percentunit") return `${(value * 100).toFixed(1)}%`;
  if (unit === "ms") return `${Math.round(value)} ms`;
  if (unit === "reqps") return `${value.toFixed(2)}/s`;
  return String(Math.round(value * 100) / 100);
}

function esc(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}
