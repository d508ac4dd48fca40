// Writes testdata/workloads/zipf-s1.1-200p-1000r.json: a replayable stream of queries with a
// realistic repeat distribution (Zipf over a catalog of prompts), for the cache hit-ratio test
// (libs/cache/src/workload-replay.spec.ts) and benchmarks. Deterministic: the same seed gives the
// same file. Run with `npm run workload -w @llm-pool/cache`.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const SEED = 20_250_611;
const PROMPTS = 200;
const REQUESTS = 1_000;
const ZIPF_S = 1.1;
/** Mean gap between arrivals: 1000 requests over about half an hour, so the 10-minute TTL matters. */
const MEAN_GAP_MS = 1_800;
const NO_STORE_SHARE = 0.03;
const TENANTS = [
  { id: "vvtv", share: 0.8 },
  { id: "lab", share: 0.2 },
];

/** mulberry32: small, fast and good enough for a test workload. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const random = rng(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const moods = ["calm", "late-night", "upbeat", "melancholic", "cinematic", "warm", "minimal", "energetic", "dreamy", "gritty"];
const genres = ["jazz", "lo-fi", "bossa nova", "synthwave", "ambient", "funk", "MPB", "indie folk", "techno", "soul"];
const settings = ["for a rainy afternoon", "for studying", "for a hotel lobby", "for a road trip", "for cooking dinner", "for a rooftop bar"];

/** The catalog: distinct prompts over three tasks; rank 1 is the most requested. */
function catalog(): Array<{ task: string; prompt: string; input?: Record<string, unknown> }> {
  const seen = new Set<string>();
  const items: Array<{ task: string; prompt: string; input?: Record<string, unknown> }> = [];
  while (items.length < PROMPTS) {
    const mood = pick(moods);
    const genre = pick(genres);
    const setting = pick(settings);
    const kind = random();
    const item =
      kind < 0.6
        ? { task: "TASK_EXPAND_QUERIES", prompt: `${mood} ${genre} ${setting}` }
        : kind < 0.85
          ? { task: "TASK_SITE_TACTICS", prompt: `How should the channel schedule ${mood} ${genre} ${setting}?` }
          : { task: "TASK_ENRICH_METADATA", prompt: "Tag this track.", input: { title: `${mood} ${genre}`, context: setting, bpm: 60 + Math.floor(random() * 80) } };
    const id = `${item.task}|${item.prompt}|${JSON.stringify(item.input ?? null)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    items.push(item);
  }
  return items;
}

/** Zipf(s) over ranks 1..n by inverting the cumulative weights. */
function zipfSampler(n: number, s: number): () => number {
  const weights = Array.from({ length: n }, (_, i) => 1 / (i + 1) ** s);
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  const cumulative = weights.map((w) => (acc += w / total));
  return () => {
    const u = random();
    const index = cumulative.findIndex((c) => u <= c);
    return index === -1 ? n - 1 : index;
  };
}

/** The same object with its keys shuffled: clients do not agree on key order. */
function shuffledKeys(input: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(input);
  for (let i = keys.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [keys[i], keys[j]] = [keys[j]!, keys[i]!];
  }
  return Object.fromEntries(keys.map((k) => [k, input[k]]));
}

const items = catalog();
const rank = zipfSampler(PROMPTS, ZIPF_S);
let at = 0;
const requests = Array.from({ length: REQUESTS }, () => {
  at += Math.round(-Math.log(1 - random()) * MEAN_GAP_MS);
  const item = items[rank()]!;
  const tenant = random() < TENANTS[0]!.share ? TENANTS[0]!.id : TENANTS[1]!.id;
  const noStore = random() < NO_STORE_SHARE;
  return {
    at_ms: at,
    query: {
      tenantId: tenant,
      task: item.task,
      prompt: item.prompt,
      ...(item.input ? { input: shuffledKeys(item.input) } : {}),
      ...(noStore ? { meta: { cache: "no-store" } } : {}),
    },
  };
});

const file = {
  name: "zipf-s1.1-200p-1000r",
  description:
    "1000 queries over a catalog of 200 prompts (3 tasks), prompt rank drawn from Zipf(s=1.1), Poisson arrivals " +
    "(mean gap 1.8 s, about 30 minutes), tenants vvtv 80% / lab 20%, 3% with meta cache=no-store, structured inputs " +
    "with shuffled key order. Each query is proto JSON (QuerySchema); at_ms is its arrival from the start.",
  generator: "libs/cache/scripts/make-workload.ts",
  seed: SEED,
  zipf_s: ZIPF_S,
  prompts: PROMPTS,
  mean_gap_ms: MEAN_GAP_MS,
  requests,
};
const out = join(import.meta.dirname, "../../../testdata/workloads/zipf-s1.1-200p-1000r.json");
// One request per line: readable, and diffs stay small when the generator changes.
const { requests: lines, ...header } = file;
const head = JSON.stringify(header, null, 2).replace(/\n}$/, ",");
writeFileSync(out, `${head}\n  "requests": [\n${lines.map((r) => `    ${JSON.stringify(r)}`).join(",\n")}\n  ]\n}\n`);
console.log(`wrote ${requests.length} requests over ${Math.round(at / 1000)} s to ${out}`);
