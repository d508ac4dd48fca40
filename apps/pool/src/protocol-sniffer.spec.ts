import { describe, expect, it } from "vitest";
import { HTTP2_PREFACE, classify } from "./protocol-sniffer.js";

describe("classify", () => {
  it("R-API-2: the whole HTTP/2 preface is h2", () => {
    expect(classify(Buffer.concat([HTTP2_PREFACE, Buffer.from([0, 0, 0, 4])]))).toBe("h2");
  });

  it("R-API-2: a strict prefix of the preface is undecided, however short", () => {
    for (let n = 0; n < HTTP2_PREFACE.length; n++) expect(classify(HTTP2_PREFACE.subarray(0, n))).toBeUndefined();
  });

  it("R-API-2: HTTP/1.1 is known at the first byte that leaves the preface", () => {
    expect(classify(Buffer.from("G"))).toBe("h1");
    expect(classify(Buffer.from("PO"))).toBe("h1");
    expect(classify(Buffer.from("PRI * HTTP/1.1\r\n"))).toBe("h1");
  });
});
