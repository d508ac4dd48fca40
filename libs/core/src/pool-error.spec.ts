import { describe, expect, it } from "vitest";
import { Code } from "./code.js";
import { PoolError } from "./pool-error.js";

describe("PoolError", () => {
  it("R-QOS-5: a refusal made with stack: false captures no stack frames, and the next error captures them again", () => {
    const refusal = new PoolError(Code.ResourceExhausted, "engine mini is saturated", { stack: false });
    const fault = new PoolError(Code.Internal, "internal error");
    expect(refusal.stack).not.toMatch(/\n\s+at /);
    expect(refusal.message).toBe("engine mini is saturated");
    expect(fault.stack).toMatch(/\n\s+at /);
  });
});
