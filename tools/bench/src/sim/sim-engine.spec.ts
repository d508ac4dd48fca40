import { describe, expect, it } from "vitest";
import { SimClock } from "./sim-clock.js";
import { SimEngine, type SimCall } from "./sim-engine.js";

const SPEC = { name: "mac-mini", slots: 2, contention: 1, batchContention: 0.5 };

function setup(spec = SPEC) {
  const clock = new SimClock();
  const engine = new SimEngine(spec, clock, ["phi3", "llama"]);
  const done: string[] = [];
  const submit = (id: string, call: Partial<SimCall> & { model: string }, at = 0) => {
    let cancel = () => {};
    clock.setTimer(at, () => {
      cancel = engine.submit({ coldLoadMs: 1000, workMs: 100, stallMs: 0, ...call }, (o) => done.push(`${id} ${o} @${Math.round(clock.now())}`));
    });
    return () => cancel();
  };
  return { clock, engine, done, submit };
}

describe("SimEngine", () => {
  it("runs a lone generation at full speed", () => {
    const { clock, done, submit } = setup();
    submit("a", { model: "phi3", workMs: 300 });
    clock.run();
    expect(done).toEqual(["a ok @300"]);
  });

  it("slows two generations of different models down by the contention", () => {
    const { clock, done, submit } = setup();
    submit("a", { model: "phi3", workMs: 300 });
    submit("b", { model: "llama", workMs: 300 }, 100);
    clock.run();
    // a: 100 ms alone, then 200 ms of work at half speed; b: 300 ms of work, 200 of it at half speed.
    expect(done).toEqual(["a ok @500", "b ok @600"]);
  });

  it("slows two generations of the same model down less (batching)", () => {
    const { clock, done, submit } = setup();
    submit("a", { model: "phi3", workMs: 300 });
    submit("b", { model: "phi3", workMs: 300 });
    clock.run();
    expect(done).toEqual(["a ok @450", "b ok @450"]);
  });

  it("queues calls beyond its slots in arrival order", () => {
    const { clock, engine, done, submit } = setup({ ...SPEC, contention: 0, batchContention: 0 });
    submit("a", { model: "phi3" });
    submit("b", { model: "phi3" }, 1);
    submit("c", { model: "llama" }, 2);
    clock.run(2);
    expect(engine.hasFreeSlot()).toBe(false);
    expect(engine.isQueued()).toBe(true);
    clock.run();
    expect(done).toEqual(["a ok @100", "b ok @101", "c ok @200"]);
  });

  it("loads a cold model once, outside the slots, and reports it cold meanwhile", () => {
    const { clock, engine, done, submit } = setup();
    engine.evict("phi3");
    expect(engine.isResident("phi3")).toBe(false);
    submit("a", { model: "phi3", coldLoadMs: 1000 });
    submit("b", { model: "phi3", coldLoadMs: 1000 }, 500);
    submit("c", { model: "llama" }, 10);
    clock.run(600);
    expect(engine.isResident("phi3")).toBe(false);
    expect(done).toEqual(["c ok @110"]);
    clock.run();
    expect(engine.isResident("phi3")).toBe(true);
    expect(done).toEqual(["c ok @110", "a ok @1150", "b ok @1150"]);
  });

  it("never evicts a model in use", () => {
    const { clock, engine, submit } = setup();
    submit("a", { model: "phi3", workMs: 100 });
    clock.run(50);
    engine.evict("phi3");
    expect(engine.isResident("phi3")).toBe(true);
    clock.run();
    engine.evict("phi3");
    expect(engine.isResident("phi3")).toBe(false);
  });

  it("holds a slot without computing during an unannounced stall", () => {
    const { clock, done, submit } = setup();
    submit("a", { model: "phi3", stallMs: 400, workMs: 100 });
    submit("b", { model: "llama", workMs: 200 });
    clock.run();
    expect(done).toEqual(["b ok @200", "a ok @500"]);
  });

  it("frees the slot and speeds the others up when a call is cancelled", () => {
    const { clock, done, submit } = setup();
    const cancelA = submit("a", { model: "phi3", workMs: 1000 });
    submit("b", { model: "llama", workMs: 300 });
    clock.setTimer(100, () => cancelA());
    clock.run();
    // b: 100 ms at half speed (50 of work), then 250 at full speed.
    expect(done).toEqual(["b ok @350"]);
  });

  it("never answers a hanging call and fails a faulty one fast, holding no slot", () => {
    const { clock, engine, done, submit } = setup();
    submit("a", { model: "phi3", fault: "hang" });
    submit("b", { model: "phi3", fault: "error" });
    clock.run(1);
    expect(engine.hasFreeSlot()).toBe(true);
    clock.run();
    expect(done).toEqual(["b error @20"]);
  });
});
