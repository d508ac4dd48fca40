// GET /status in a real headless browser: what an operator without Grafana sees, read from the same
// metrics as /metrics, behind the same access rule. LLMPOOL_STATUS_SCREENSHOT=<path> also writes a
// screenshot (docs/images/status-page.png is made this way).
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type HeadlessChromium } from "@llm-pool/testing";
import { sendTraffic, startTrafficPool, type TrafficPool } from "./traffic.js";

let traffic: TrafficPool;
let chromium: HeadlessChromium;
beforeAll(async () => {
  traffic = await startTrafficPool();
  await sendTraffic(traffic.pool.url, 6);
  chromium = await launchChromium();
}, 60_000);
afterAll(async () => {
  await chromium?.close();
  await traffic?.stop();
});

/** The rows of the table with `id`, each as its cells' text. */
async function rows(page: import("playwright-core").Page, id: string): Promise<string[][]> {
  return page.$$eval(`#${id} tbody tr`, (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent?.trim() ?? "")));
}

describe("the status page in headless chromium (R-OBS-1)", () => {
  it("shows readiness, providers with health and breakers, latency percentiles per task, win-rates, cache hit ratio and hedge rate", async () => {
    const page = await chromium.browser.newPage();
    const response = await page.goto(`${traffic.pool.url}/status`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toContain("default-src 'none'");
    expect(await page.title()).toBe("llm-pool status");
    expect(await page.textContent("#readiness")).toContain("ready");

    const providers = await rows(page, "providers");
    expect(providers.map((r) => r[0])).toEqual(["quick", "steady", "sluggish", "flaky"]);
    const flaky = providers.find((r) => r[0] === "flaky")!;
    expect(flaky[2]).toMatch(/enrich_metadata: (open|half_open)/);
    expect(providers.find((r) => r[0] === "quick")![2]).toContain("expand_queries: closed");

    const tasks = await rows(page, "tasks");
    const byTask = Object.fromEntries(tasks.map((r) => [r[0], r]));
    expect(Object.keys(byTask)).toEqual(expect.arrayContaining(["expand_queries", "recovery_plan", "site_tactics"]));
    for (const cell of byTask.expand_queries!.slice(3)) expect(cell).toMatch(/^\d+$/);
    expect(byTask.recovery_plan![2]).toMatch(/^[1-9]\d* \(\d+\.\d%\)$/);

    expect((await rows(page, "win-rates")).some((r) => r[0] === "quick" && r[1] === "enrich_metadata")).toBe(true);
    expect(await page.textContent("#cache-hit-ratio")).toMatch(/\d+\.\d%/);
    expect(await page.textContent("#hedge-rate")).toMatch(/\d+\.\d%\s*[1-9]\d* fired/);

    const screenshot = process.env.LLMPOOL_STATUS_SCREENSHOT;
    if (screenshot) {
      mkdirSync(dirname(screenshot), { recursive: true });
      await page.screenshot({ path: screenshot, fullPage: true });
    }
    await page.close();
  });

  it("renders what a client sent as text, never as markup", async () => {
    // A prompt full of markup reaches no part of the page: labels come from the config.
    await fetch(`${traffic.pool.url}/v1/infer`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ task: "TASK_JUDGE", prompt: "<script>globalThis.pwned = 1</script>", projectId: "<img src=x onerror=alert(1)>" }),
    });
    const page = await chromium.browser.newPage();
    await page.goto(`${traffic.pool.url}/status`);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.$$("script, img")).toHaveLength(0);
    await page.close();
  });
});
