import { describe, expect, it } from "vitest";
import { SerialQueue } from "./serial-queue.js";

describe("R-PRV-6 embedded calls are serialized", () => {
  it("runs tasks one at a time in arrival order", async () => {
    const queue = new SerialQueue();
    const events: string[] = [];
    const task = (name: string) => async () => {
      events.push(`${name}:start`);
      await new Promise((resolve) => setImmediate(resolve));
      events.push(`${name}:end`);
      return name;
    };
    expect(await Promise.all([queue.run(task("a")), queue.run(task("b")), queue.run(task("c"))])).toEqual(["a", "b", "c"]);
    expect(events).toEqual(["a:start", "a:end", "b:start", "b:end", "c:start", "c:end"]);
  });

  it("a waiting task whose signal aborts leaves without running", async () => {
    const queue = new SerialQueue();
    let release!: () => void;
    const first = queue.run(() => new Promise<void>((resolve) => (release = resolve)));
    const controller = new AbortController();
    let ran = false;
    const second = queue.run(async () => {
      ran = true;
    }, controller.signal);
    controller.abort(new Error("gone"));
    await expect(second).rejects.toThrow("gone");
    release();
    await first;
    await queue.drain();
    expect([ran, queue.pending]).toEqual([false, 0]);
  });
});
