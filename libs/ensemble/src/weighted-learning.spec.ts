import { planFor, TimedProvider } from "@llm-pool/ensemble/test-support";
import { describe, expect, it } from "vitest";
import { FakeClock, type EnsembleOutcome } from "@llm-pool/core";
import { createEnsemble, type EnsembleDeps } from "./registry.js";
import { hashString } from "./seeded-random.js";

const DEADLINE_MS = 1000;

/** Two providers answering on the fake clock, and WEIGHTED queries run one after another. */
function world(deps: EnsembleDeps, weights: Record<string, number>, delays: { lead: number; rival: number }) {
  const clock = new FakeClock();
  const lead = new TimedProvider("lead", clock, delays.lead, () => "from lead");
  const rival = new TimedProvider("rival", clock, delays.rival, () => "from rival");
  const ensemble = createEnsemble(deps);
  let n = 0;
  async function query(): Promise<{ winner: string; latencyMs: number; requestId: string; outcome: EnsembleOutcome }> {
    const requestId = `q-${n++}`;
    const plan = planFor(clock, "WEIGHTED", [lead, rival], { requestId, deadlineMs: DEADLINE_MS, settings: { weights } });
    let outcome: EnsembleOutcome | undefined;
    let endedAt = 0;
    void ensemble.run(plan).then((o) => {
      outcome = o;
      endedAt = clock.now();
    });
    await clock.advance(DEADLINE_MS);
    const winner = outcome!.candidates.find((c) => c.id === outcome!.winnerId)!.provider;
    return { winner, latencyMs: endedAt - plan.startedAt, requestId, outcome: outcome! };
  }
  return { lead, rival, query };
}

async function winners(query: () => Promise<{ winner: string }>, count: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < count; i++) seen.push((await query()).winner);
  return seen;
}

describe("WEIGHTED keeps learning (R-ENS-3)", () => {
  it("a leader that turns slow loses the lead within a few queries, and wins again once it recovers, thanks to exploration", async () => {
    const { lead, query } = world({}, { lead: 1, rival: 0.8 }, { lead: 100, rival: 60 });
    expect(await winners(query, 10)).toEqual(new Array(10).fill("lead"));
    lead.delayMs = 700;
    const slow = await winners(query, 30);
    const movedAfter = slow.indexOf("rival");
    expect(movedAfter).toBeGreaterThanOrEqual(0);
    expect(movedAfter).toBeLessThanOrEqual(3);
    expect(slow.slice(movedAfter)).toEqual(new Array(30 - movedAfter).fill("rival"));
    // Back to 100 ms, still slower than the rival: its calls are cancelled whenever the rival answers first,
    // so only exploring queries (one in 20) see that it recovered.
    lead.delayMs = 100;
    const recovered = await winners(query, 120);
    expect(recovered.indexOf("lead")).toBeGreaterThan(0);
    expect(recovered.slice(-20)).toEqual(new Array(20).fill("lead"));
  });

  it("without exploration the recovered leader is never seen again and never wins", async () => {
    const { lead, query } = world({ exploration: { every: 0 } }, { lead: 1, rival: 0.8 }, { lead: 100, rival: 60 });
    await winners(query, 10);
    lead.delayMs = 700;
    await winners(query, 30);
    lead.delayMs = 100;
    expect(await winners(query, 120)).toEqual(new Array(120).fill("rival"));
  });

  it("explores one query in twenty, by request id, waiting for the rival it explores", async () => {
    const { query } = world({}, { lead: 1, rival: 0.5 }, { lead: 100, rival: 300 });
    let explored = 0;
    for (let i = 0; i < 200; i++) {
      const { requestId, latencyMs, outcome } = await query();
      const exploring = hashString(requestId) % 20 === 0;
      if (exploring) explored++;
      // An exploring query waits for the rival (300 ms); the others stop with the leader's answer (100 ms).
      expect(latencyMs, requestId).toBe(exploring ? 300 : 100);
      expect(outcome.candidates.map((c) => c.status)).toEqual(exploring ? ["ok", "ok"] : ["ok", "cancelled"]);
    }
    expect(explored).toBeGreaterThanOrEqual(5);
    expect(explored).toBeLessThanOrEqual(20);
  });

  it("one invalid answer from the leader does not hand the rival every later query", async () => {
    const { lead, query } = world({ exploration: { every: 0 } }, { lead: 1, rival: 1 }, { lead: 50, rival: 60 });
    lead.reply = () => "   ";
    expect((await query()).winner).toBe("rival");
    lead.reply = () => "from lead";
    const next = await winners(query, 30);
    expect(next[0]).toBe("rival");
    expect(next.slice(-10)).toEqual(new Array(10).fill("lead"));
  });

  it("decides the same way given the same history", async () => {
    const replay = async () => {
      const { lead, query } = world({}, { lead: 1, rival: 0.8 }, { lead: 100, rival: 60 });
      const seen = await winners(query, 10);
      lead.delayMs = 700;
      seen.push(...(await winners(query, 20)));
      lead.delayMs = 100;
      seen.push(...(await winners(query, 60)));
      return seen;
    };
    expect(await replay()).toEqual(await replay());
  });
});
