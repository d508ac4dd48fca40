// R-OBS-4: the Grafana dashboard and the alert rules are checked against the metrics the pool really
// exports. A real Prometheus scrapes a pool serving real traffic; every dashboard query must parse
// and return data, every alert expression must parse and evaluate, promtool accepts the rules, and
// the dashboard is a structurally valid Grafana dashboard.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { createMetrics } from "@llm-pool/telemetry";
import { renderDashboard } from "./dashboard-render.js";
import { launchChromium } from "@llm-pool/testing";
import { startPrometheus, type PrometheusProcess } from "./prometheus-server.js";
import { sendTraffic, startTrafficPool, type TrafficPool } from "./traffic.js";

const root = new URL("../../../../", import.meta.url);
const DASHBOARD = new URL("grafana/dashboards/llm-pool.json", root);
const RULES = new URL("monitoring/llm-pool.rules.yml", root);

interface Target {
  readonly refId: string;
  readonly expr: string;
  readonly datasource?: { type: string; uid: string };
}
interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly gridPos: { x: number; y: number; w: number; h: number };
  readonly datasource?: { type: string; uid: string };
  readonly targets: readonly Target[];
}
const dashboard = JSON.parse(readFileSync(DASHBOARD, "utf8")) as {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: readonly Panel[];
  templating: { list: readonly { name: string; type: string; query: unknown; datasource?: unknown }[] };
};

/** The dashboard's queries as Grafana sends them with "All" selected and a 30 s rate window. */
function asSent(expr: string): string {
  return expr.replaceAll("$__rate_interval", "30s").replaceAll("$tenant", ".*").replaceAll("$task", ".*");
}

/** The `expr` of every alert rule in the rules file, read with promtool's own parser view (YAML). */
function alertExpressions(): { alert: string; expr: string }[] {
  const text = readFileSync(RULES, "utf8");
  const rules: { alert: string; expr: string }[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const alert = /^\s*- alert: (\S+)/.exec(lines[i]!)?.[1];
    if (!alert) continue;
    const exprLine = lines.slice(i + 1).findIndex((l) => /^\s*expr:/.test(l)) + i + 1;
    const inline = /^\s*expr: (.+)$/.exec(lines[exprLine]!)![1]!;
    if (inline.trim() !== "|") {
      rules.push({ alert, expr: inline.trim() });
      continue;
    }
    const body: string[] = [];
    const indent = /^(\s*)/.exec(lines[exprLine + 1]!)![1]!.length;
    for (let j = exprLine + 1; j < lines.length && (lines[j]!.trim() === "" || /^(\s*)/.exec(lines[j]!)![1]!.length >= indent); j++) body.push(lines[j]!.trim());
    rules.push({ alert, expr: body.join(" ").trim() });
  }
  return rules;
}

describe("the dashboard is a structurally valid Grafana dashboard (R-OBS-4)", () => {
  it("has a uid, a title, a schema version and a Prometheus datasource variable every panel and target refers to", () => {
    expect(dashboard.uid).toBe("llm-pool");
    expect(dashboard.title).toBe("llm-pool");
    expect(Number.isInteger(dashboard.schemaVersion)).toBe(true);
    const variables = dashboard.templating.list;
    expect(variables.find((v) => v.name === "datasource")).toMatchObject({ type: "datasource", query: "prometheus" });
    const names = new Set(variables.map((v) => v.name));
    for (const panel of dashboard.panels) {
      expect(panel.datasource, panel.title).toEqual({ type: "prometheus", uid: "${datasource}" });
      for (const target of panel.targets) {
        expect(target.datasource, `${panel.title} ${target.refId}`).toEqual({ type: "prometheus", uid: "${datasource}" });
        for (const [, name] of target.expr.matchAll(/\$(\w+)/g)) {
          if (!name!.startsWith("__")) expect(names.has(name!), `${panel.title}: $${name} is not a dashboard variable`).toBe(true);
        }
      }
    }
  });

  it("has unique panel ids, unique refIds within each panel, known panel types and panels on the 24-column grid that do not overlap", () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const panel of dashboard.panels) {
      expect(["stat", "timeseries", "table", "gauge", "bargauge", "state-timeline"]).toContain(panel.type);
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      const refIds = panel.targets.map((t) => t.refId);
      expect(new Set(refIds).size, panel.title).toBe(refIds.length);
      const { x, y, w, h } = panel.gridPos;
      expect(x >= 0 && w > 0 && x + w <= 24 && y >= 0 && h > 0, panel.title).toBe(true);
      for (let col = x; col < x + w; col++) {
        for (let row = y; row < y + h; row++) {
          expect(cells.has(`${col},${row}`), `${panel.title} overlaps another panel`).toBe(false);
          cells.add(`${col},${row}`);
        }
      }
    }
  });

  it("shows the seed's KPIs: latency percentiles by task and strategy, throughput, errors and timeouts per tenant and task, cache hit ratio, breaker state, win-rate, hedge rate", () => {
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)).join("\n");
    for (const q of ["0.5", "0.95", "0.99"]) expect(exprs).toContain(`histogram_quantile(${q}, sum by (le, task, strategy) (rate(llmpool_infer_duration_ms_bucket`);
    expect(exprs).toMatch(/sum by \(tenant, task\) \(rate\(llmpool_timeouts_total/);
    expect(exprs).toMatch(/sum by \(tenant, task\) \(rate\(llmpool_requests_total\{[^}]*code!="ok"/);
    for (const family of ["llmpool_cache_lookups_total", "llmpool_breaker_state", "llmpool_provider_win_rate", "llmpool_hedges_fired_total"]) {
      expect(exprs).toContain(family);
    }
  });

  it("shows each engine's queue: calls queued, calls in flight, the learned concurrency limit and its bound (R-OBS-4, R-QOS-5)", () => {
    const queue = dashboard.panels.find((p) => p.title === "Engine queue");
    const exprs = queue?.targets.map((t) => t.expr) ?? [];
    for (const family of ["llmpool_engine_queued", "llmpool_engine_in_flight", "llmpool_engine_concurrency_limit", "llmpool_engine_max_concurrency"]) {
      expect(exprs.some((e) => e.includes(`sum by (engine) (${family})`)), family).toBe(true);
    }
  });

  it("queries only metric families the pool exports (R-OBS-4)", () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const exported = new Set(
      [metrics.registry, metrics.operatorRegistry].flatMap((r) => r.getMetricsAsArray().map((m) => m.name)),
    );
    const queried = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => [...t.expr.matchAll(/\b(llmpool_[a-z_]+)/g)].map((m) => m[1]!)));
    const family = (name: string) => name.replace(/_(bucket|count|sum)$/, "");
    expect(queried.map(family).filter((name) => !exported.has(name))).toEqual([]);
  });
});

describe("promtool accepts the alert rules (R-OBS-4)", () => {
  it("promtool check rules monitoring/llm-pool.rules.yml", () => {
    const out = execFileSync("promtool", ["check", "rules", "monitoring/llm-pool.rules.yml"], { cwd: root, encoding: "utf8" });
    expect(out).toContain(`SUCCESS: ${alertExpressions().length} rules found`);
  });
});

describe("every dashboard query and alert rule against a real Prometheus scraping the pool (R-OBS-4)", () => {
  let traffic: TrafficPool;
  let prometheus: PrometheusProcess;
  /** When the last wave of traffic was scraped: queries are evaluated then, inside their rate windows. */
  let at: number;
  let trafficStarted: number;

  beforeAll(async () => {
    traffic = await startTrafficPool();
    prometheus = await startPrometheus({ targets: [new URL(traffic.pool.url).host], ruleFiles: [RULES.pathname] });
    trafficStarted = Date.now() / 1000;
    // Waves a few scrapes apart, so every counter has increases inside a rate window.
    for (let wave = 0; wave < 4; wave++) {
      await sendTraffic(traffic.pool.url, 3, wave * 100);
      await new Promise((r) => setTimeout(r, 2_000));
    }
    const scrapedUntil = Date.now() / 1000;
    const end = Date.now() + 20_000;
    while ((await prometheus.query("max(timestamp(llmpool_ready))")).data?.result[0]?.value?.[1] === undefined ||
      Number((await prometheus.query("max(timestamp(llmpool_ready))")).data!.result[0]!.value![1]) < scrapedUntil) {
      if (Date.now() > end) throw new Error("prometheus did not scrape the pool");
      await new Promise((r) => setTimeout(r, 250));
    }
    at = scrapedUntil;
  }, 120_000);
  afterAll(async () => {
    await prometheus?.stop();
    await traffic?.stop();
  });

  const targets = dashboard.panels.flatMap((p) => p.targets.map((t) => [`${p.title} [${t.refId}]`, asSent(t.expr)] as const));
  it.each(targets)("panel %s parses and returns data", async (_, expr) => {
    const answer = await prometheus.query(expr, at);
    expect(answer.error).toBeUndefined();
    expect(answer.status).toBe("success");
    const values = answer.data!.result.map((r) => Number(r.value![1]));
    expect(values.length, expr).toBeGreaterThan(0);
    expect(values.some(Number.isFinite), `${expr} gave only ${values.join(", ")}`).toBe(true);
  });

  it("the dashboard's variables find their values", async () => {
    for (const label of ["tenant", "task"]) {
      const res = (await (await fetch(`${prometheus.url}/api/v1/label/${label}/values?match[]=llmpool_requests_total`)).json()) as { data: string[] };
      expect(res.data.length, label).toBeGreaterThan(0);
    }
  });

  it.each(alertExpressions().map((r) => [r.alert, r.expr] as const))("alert %s parses and evaluates", async (_, expr) => {
    const answer = await prometheus.query(expr, at);
    expect(answer.error).toBeUndefined();
    expect(answer.status).toBe("success");
  });

  // LLMPOOL_DASHBOARD_IMAGE=<path> draws every panel from this Prometheus and screenshots it in
  // headless chromium (docs/images/dashboard.png is made this way).
  it("every panel can be drawn from the scraped data", async () => {
    const html = await renderDashboard(dashboard as never, prometheus, { start: trafficStarted - 2, end: at, step: 1 }, asSent);
    expect(html.match(/class="panel"/g)).toHaveLength(dashboard.panels.length);
    const image = process.env.LLMPOOL_DASHBOARD_IMAGE;
    if (!image) return;
    const chromium = await launchChromium();
    try {
      const page = await chromium.browser.newPage();
      await page.setViewportSize({ width: 1220, height: 900 });
      await page.setContent(html);
      mkdirSync(dirname(image), { recursive: true });
      await page.screenshot({ path: image, fullPage: true });
    } finally {
      await chromium.close();
    }
  });

  it("Prometheus loaded every rule and evaluates each without error", async () => {
    const end = Date.now() + 10_000;
    let rules: { name: string; health: string; lastError?: string }[] = [];
    do {
      const res = (await (await fetch(`${prometheus.url}/api/v1/rules`)).json()) as { data: { groups: { rules: typeof rules }[] } };
      rules = res.data.groups.flatMap((g) => g.rules);
      if (rules.length > 0 && rules.every((r) => r.health === "ok")) break;
      await new Promise((r) => setTimeout(r, 250));
    } while (Date.now() < end);
    expect(rules.map((r) => [r.name, r.health, r.lastError ?? ""])).toEqual(alertExpressions().map((r) => [r.alert, "ok", ""]));
  });
});
