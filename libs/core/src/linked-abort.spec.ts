import { describe, expect, it } from "vitest";
import { linkedAbort } from "./linked-abort.js";

describe("linkedAbort: a child signal that follows its parent", () => {
  it("aborts with the parent's reason when the parent aborts", () => {
    const parent = new AbortController();
    const child = linkedAbort(parent.signal);
    parent.abort(new Error("client left"));
    expect(child.signal.aborted).toBe(true);
    expect((child.signal.reason as Error).message).toBe("client left");
  });

  it("aborting the child leaves the parent alone", () => {
    const parent = new AbortController();
    const child = linkedAbort(parent.signal);
    child.controller.abort(new Error("another candidate won"));
    expect([child.signal.aborted, parent.signal.aborted]).toEqual([true, false]);
  });

  it("a parent already aborted gives a child already aborted", () => {
    const parent = new AbortController();
    parent.abort(new Error("late"));
    expect((linkedAbort(parent.signal).signal.reason as Error).message).toBe("late");
  });

  it("once unlinked, the child no longer follows the parent", () => {
    const parent = new AbortController();
    const child = linkedAbort(parent.signal);
    child.unlink();
    parent.abort(new Error("after the work"));
    expect(child.signal.aborted).toBe(false);
  });
});
