import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import type { InferRecord } from "@llm-pool/core";
import { describe, expect, it } from "vitest";
import { DeferredObserver } from "./deferred-observer.js";

const record = (requestId: string): InferRecord => ({
  requestId,
  tenant: "t",
  project: "p",
  task: "expand_queries",
  strategy: "FASTEST",
  strategyApplied: "FASTEST",
  winnerProvider: "p1",
  winnerModel: "m",
  durationMs: 1,
  fromCache: false,
  outcome: "ok",
  streamed: false,
});

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("DeferredObserver: a query's log line and metrics after its answer", () => {
  it("hands the records of a turn over after it, together and in order", async () => {
    const seen: string[] = [];
    const observer = new DeferredObserver({ onInfer: (r) => seen.push(r.requestId) }, () => {});
    observer.onInfer(record("a"));
    observer.onInfer(record("b"));
    await Promise.resolve();
    expect(seen).toEqual([]);
    await nextTurn();
    expect(seen).toEqual(["a", "b"]);
    observer.onInfer(record("c"));
    await nextTurn();
    expect(seen).toEqual(["a", "b", "c"]);
  });

  it("a record reported just before the answer is written reaches the observer after the answer went out", async () => {
    const finishedWhenObserved: boolean[] = [];
    let response: { writableFinished: boolean } | undefined;
    const observer = new DeferredObserver({ onInfer: () => finishedWhenObserved.push(response!.writableFinished) }, () => {});
    const server = createServer((_req, res) => {
      response = res;
      observer.onInfer(record("r1"));
      res.end("answer");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const body = await new Promise<string>((resolve, reject) => {
        const req = request({ port: (server.address() as AddressInfo).port, host: "127.0.0.1", method: "POST" }, (res) => {
          let text = "";
          res.on("data", (chunk: Buffer) => (text += chunk.toString()));
          res.on("end", () => resolve(text));
        });
        req.on("error", reject);
        req.end();
      });
      expect(body).toBe("answer");
      expect(finishedWhenObserved).toEqual([true]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("flush hands over what is pending at once; a failing observer costs only its record", async () => {
    const seen: string[] = [];
    const errors: unknown[] = [];
    const observer = new DeferredObserver(
      {
        onInfer: (r) => {
          if (r.requestId === "bad") throw new Error("observer broke");
          seen.push(r.requestId);
        },
      },
      (error) => errors.push(error),
    );
    for (const id of ["a", "bad", "b"]) observer.onInfer(record(id));
    observer.flush();
    expect(seen).toEqual(["a", "b"]);
    expect(errors).toEqual([new Error("observer broke")]);
    await nextTurn();
    expect(seen).toEqual(["a", "b"]);
  });
});
