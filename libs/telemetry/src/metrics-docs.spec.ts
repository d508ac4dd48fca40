import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createMetrics } from "./metrics.js";

const docs = new URL("../../../docs/", import.meta.url);
/** Names in docs/ that look like metrics and are not: the Rust SDK's crate. */
const NOT_METRICS = new Set(["llmpool_sdk"]);

interface Family {
  readonly name: string;
  readonly type: string;
  readonly labels: string;
  readonly audience: string;
}

/** What the code exports: every family of both registries, without Node's process metrics. */
function exported(): Family[] {
  const metrics = createMetrics({ defaultMetrics: false });
  const families: Family[] = [];
  for (const [audience, registry] of [["public", metrics.registry], ["operator", metrics.operatorRegistry]] as const) {
    for (const metric of registry.getMetricsAsArray() as unknown as { name: string; type: string; labelNames: string[] }[]) {
      families.push({ name: metric.name, type: metric.type, labels: metric.labelNames.join(","), audience });
    }
  }
  return families.sort((a, b) => a.name.localeCompare(b.name));
}

/** The table of docs/OBSERVABILITY.md's Metrics section. */
function documented(): Family[] {
  const text = readFileSync(new URL("OBSERVABILITY.md", docs), "utf8");
  const section = text.slice(text.indexOf("## Metrics"), text.indexOf("\n## ", text.indexOf("## Metrics") + 1));
  const families: Family[] = [];
  for (const line of section.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    const name = /^`(llmpool_\w+)`$/.exec(cells[1] ?? "")?.[1];
    if (!name) continue;
    const labels = [...(cells[3] ?? "").matchAll(/`(\w+)`/g)].map((m) => m[1]).join(",");
    families.push({ name, type: cells[2]!, labels, audience: cells[4]! });
  }
  return families.sort((a, b) => a.name.localeCompare(b.name));
}

describe("docs list exactly the metrics the code exports (R-OBS-1)", () => {
  it("docs/OBSERVABILITY.md names every exported family with its type, labels and audience, and nothing else", () => {
    expect(documented()).toEqual(exported());
  });

  it("every llmpool_ metric any page of docs/ (and the runbook) mentions is exported, with the labels it names", () => {
    const byName = new Map(exported().map((f) => [f.name, f.labels.split(",")]));
    const wrong: string[] = [];
    const pages = readdirSync(docs)
      .filter((f) => f.endsWith(".md") && f !== "REQUIREMENTS.md")
      .map((f) => new URL(f, docs));
    for (const url of [...pages, new URL("../RUNBOOK_llmpool.md", docs)].filter((u) => existsSync(u))) {
      const page = url.pathname.split("/").pop()!;
      const text = readFileSync(url, "utf8");
      // `llmpool_x_total`, `llmpool_x_total{a,b}` or `llmpool_x_total{a="v"}` in code spans.
      for (const [, name, labels] of text.matchAll(/`(llmpool_[a-z_]+?)(?:_bucket|_count|_sum)?(?:\{([^}`]*)\})?`/g)) {
        if (name!.startsWith("llmpool_process_") || NOT_METRICS.has(name!)) continue;
        const known = byName.get(name!);
        if (!known) {
          wrong.push(`${page}: ${name} is not exported`);
          continue;
        }
        for (const label of (labels ?? "").split(",").map((l) => l.split("=")[0]!.trim()).filter(Boolean)) {
          if (label !== "le" && !known.includes(label)) wrong.push(`${page}: ${name} has no label ${label}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
