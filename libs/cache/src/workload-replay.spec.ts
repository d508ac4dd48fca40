// The hit ratio of the answer cache on a replayed workload with repeated prompts (R-CACHE-1).
// Reproduce: `npx vitest run src/workload-replay.spec.ts` in libs/cache (prints the ratio).
import { readFileSync } from "node:fs";
import { fromJson, type JsonValue } from "@bufbuild/protobuf";
import { pipeline, specConfig } from "@llm-pool/cache/test-support";
import { QuerySchema } from "@llm-pool/contract";
import { FakeClock } from "@llm-pool/core";
import { describe, expect, it } from "vitest";
import { StoredAnswerCache } from "./answer-cache.js";
import { MemoryCacheStore } from "./cache-store/memory.js";

const WORKLOAD = new URL("../../../testdata/workloads/zipf-s1.1-200p-1000r.json", import.meta.url);

/** The defaults of [cache] (TTL 10 minutes, 10 000 entries, 64 MiB) and three tasks of the workload. */
const REPLAY_TOML = `
[[providers]]
name = "fast"
driver = "ollama"
base_url = "http://127.0.0.1:11434"
model = "phi3:mini"

[tasks.expand_queries]
output = "json"

[tasks.site_tactics]
output = "text"

[tasks.enrich_metadata]
output = "json"

[tenancy]
auth = "none"
allow_unauthenticated = true
`;

interface Workload {
  readonly name: string;
  readonly requests: ReadonlyArray<{ readonly at_ms: number; readonly query: JsonValue }>;
}

describe("hit ratio on a replayed workload (R-CACHE-1)", () => {
  it("R-CACHE-1: zipf-s1.1-200p-1000r at the default TTL reaches the seed's target of 30% hits", async () => {
    const workload = JSON.parse(readFileSync(WORKLOAD, "utf8")) as Workload;
    const config = await specConfig(REPLAY_TOML);
    const clock = new FakeClock();
    const start = clock.now();
    const store = new MemoryCacheStore({ clock, maxEntries: config.cache.max_entries, maxBytes: config.cache.max_bytes });
    const counts = { hit: 0, miss: 0, bypassed: 0 };
    const cache = new StoredAnswerCache({
      store,
      clock,
      observer: { hit: () => counts.hit++, miss: () => counts.miss++, bypassed: () => counts.bypassed++ },
    });
    const { infer, ensemble } = pipeline({ config, cache, clock });

    let fromCache = 0;
    for (const request of workload.requests) {
      await clock.advance(Math.max(0, start + request.at_ms - clock.now()));
      const answer = await infer(fromJson(QuerySchema, request.query));
      if (answer.fromCache) fromCache++;
    }

    const total = workload.requests.length;
    const ratio = fromCache / total;
    console.log(
      `${workload.name}: hit ratio ${(ratio * 100).toFixed(1)}% (${fromCache}/${total} from the cache, ` +
        `${ensemble.runs} ensemble runs, ${counts.bypassed} no-store, ${store.size} entries, ${store.bytes} bytes)`,
    );
    expect(counts.hit).toBe(fromCache);
    expect(counts.hit + counts.miss + counts.bypassed).toBe(total);
    expect(ensemble.runs).toBe(counts.miss + counts.bypassed);
    expect(ratio).toBeGreaterThanOrEqual(0.3);
  });
});
