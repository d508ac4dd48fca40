import type { StatusSummary } from "@llm-pool/telemetry";

/** What the page says about the pool besides its metrics. */
export interface StatusPageContext {
  /** The config version in force. */
  readonly configVersion: string;
  /** When the page was rendered, ISO 8601. */
  readonly renderedAt: string;
}

/**
 * The built-in status page (`GET /status`) for a pool run without Grafana:
 * readiness, each provider's health and breakers, per-task latency
 * percentiles and timeouts, win-rates, the cache hit ratio and the hedge
 * rate, all read from the metrics /metrics serves. Plain HTML, no script;
 * every value is escaped. It reloads itself every 10 s.
 */
export function renderStatusPage(summary: StatusSummary, context: StatusPageContext): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="10">
<title>llm-pool status</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d2330; background: #f7f8fa; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
h2 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
.meta { color: #5b6475; margin-bottom: 1rem; }
.tiles { display: flex; gap: .75rem; flex-wrap: wrap; }
.tile { background: #fff; border: 1px solid #d9dee7; border-radius: 6px; padding: .6rem .9rem; min-width: 9rem; }
.tile b { display: block; font-size: 1.3rem; }
table { border-collapse: collapse; background: #fff; border: 1px solid #d9dee7; }
th, td { padding: .35rem .7rem; border-bottom: 1px solid #e6e9ef; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.state { padding: .05rem .45rem; border-radius: 4px; font-weight: 600; }
.healthy, .closed, .ready { background: #dcf5e3; color: #17633a; }
.degraded, .half_open { background: #fff1cc; color: #7a5600; }
.unhealthy, .open, .not-ready { background: #fde0de; color: #9b1c15; }
.unknown { background: #e8eaef; color: #4a5263; }
</style>
</head>
<body>
<h1>llm-pool status</h1>
<div class="meta">config ${esc(context.configVersion)} · ${esc(context.renderedAt)} · counts since the pool started</div>
<div class="tiles">
  <div class="tile" id="readiness">readiness<b><span class="state ${summary.ready ? "ready" : "not-ready"}">${summary.ready ? "ready" : "not ready"}</span></b></div>
  <div class="tile" id="cache-hit-ratio">cache hit ratio<b>${percent(summary.cacheHitRatio)}</b></div>
  <div class="tile" id="hedge-rate">hedge rate<b>${summary.hedgeRate === undefined ? "–" : percent(summary.hedgeRate)}</b>${summary.hedgesFired} fired, ${summary.hedgesWon} won</div>
</div>
<h2>Providers</h2>
${table(
  "providers",
  ["provider", "health", "breakers (task: state)"],
  summary.providers.map((p) => [
    esc(p.name),
    badge(p.health),
    p.breakers.length === 0 ? "–" : p.breakers.map((b) => `${esc(b.task)}: ${badge(b.state)}`).join(" "),
  ]),
)}
<h2>Latency by task</h2>
${table(
  "tasks",
  ["task", "requests", "timeouts", "p50 ms", "p95 ms", "p99 ms"],
  summary.tasks.map((t) => [esc(t.task), num(t.requests), `${num(t.timeouts)} (${percent(t.requests === 0 ? 0 : t.timeouts / t.requests)})`, ms(t.p50), ms(t.p95), ms(t.p99)]),
)}
<h2>Win-rates</h2>
${table(
  "win-rates",
  ["provider", "task", "win-rate"],
  summary.winRates.map((w) => [esc(w.provider), esc(w.task), percent(w.rate)]),
)}
</body>
</html>
`;
}

function table(id: string, headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = headers.map((h) => `<th>${esc(h)}</th>`).join("");
  const body =
    rows.length === 0
      ? `<tr><td colspan="${headers.length}">none yet</td></tr>`
      : rows.map((cells) => `<tr>${cells.map((c, i) => `<td${i > 0 && /^[\d.,–% ()]+$/.test(c) ? ' class="num"' : ""}>${c}</td>`).join("")}</tr>`).join("\n");
  return `<table id="${id}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function badge(state: string): string {
  return `<span class="state ${esc(state)}">${esc(state)}</span>`;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function ms(value: number | undefined): string {
  return value === undefined ? "–" : String(Math.round(value));
}

function num(value: number): string {
  return String(Math.round(value));
}

const ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}
