import { describe, expect, it } from "vitest";
import { canonicalContentType, canonicalQuery, stringToSign } from "./canonical-request.js";

describe("canonical request (R-SEC-1)", () => {
  it.each([
    ["", ""],
    ["b=2&a=1", "a=1&b=2"],
    ["a=2&a=10&a=1", "a=1&a=10&a=2"],
    ["x=a+b", "x=a%2Bb"],
    ["q=hello%20world", "q=hello%20world"],
    ["q=%c3%a7", "q=%C3%A7"],
    ["k%2Dx=%41%7E", "k-x=A~"],
    ["path=/a/b&star=*", "path=%2Fa%2Fb&star=%2A"],
    ["flag&z=1", "flag=&z=1"],
    ["&&a=1&", "a=1"],
    ["a==b", "a=%3Db"],
    ["B=1&a=1", "B=1&a=1"],
    // The empty name is kept and sorts first (docs/SECURITY.md).
    ["b=1&=x", "=x&b=1"],
    ["a=1&=", "=&a=1"],
    ["connect=v1&encoding=json&message=%7B%7D", "connect=v1&encoding=json&message=%7B%7D"],
  ])("R-SEC-1: query %j canonicalises to %j", (raw, canonical) => {
    expect(canonicalQuery(raw)).toBe(canonical);
  });

  it.each(["a=%", "a=%zz", "%E0%A4%A=1", "a=%ED%A0%80"])("R-SEC-1: malformed percent-encoding %j cannot be canonicalised", (raw) => {
    expect(canonicalQuery(raw)).toBeUndefined();
  });

  it("R-SEC-1: content type is lowercased without parameters", () => {
    expect(canonicalContentType("Application/JSON; charset=UTF-8")).toBe("application/json");
    expect(canonicalContentType("application/grpc+proto")).toBe("application/grpc+proto");
    expect(canonicalContentType("")).toBe("");
  });

  it("R-SEC-1: content type trimming is spaces and tabs only, lowercasing ASCII only (docs/SECURITY.md)", () => {
    expect(canonicalContentType(" \tApplication/Grpc \t;x=1")).toBe("application/grpc");
    expect(canonicalContentType("application/json\u00a0")).toBe("application/json\u00a0");
    expect(canonicalContentType("APPLICATION/JSÖN")).toBe("application/jsÖn");
    expect(canonicalContentType(";charset=utf-8")).toBe("");
  });

  it("R-SEC-1: the string to sign is nine LF-joined lines with no trailing LF", () => {
    const text = stringToSign({
      keyId: "k",
      timestamp: "1800000000",
      nonce: "n".repeat(22),
      method: "post",
      path: "/v1/infer",
      query: "b=1&a=2",
      contentType: "Application/Json; charset=utf-8",
      body: new Uint8Array(),
    });
    expect(text!.split("\n")).toEqual([
      "LLMPOOL-HMAC-SHA256-V1",
      "k",
      "1800000000",
      "n".repeat(22),
      "POST",
      "/v1/infer",
      "a=2&b=1",
      "application/json",
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    ]);
  });
});
