import { describe, expect, it } from "vitest";
import { composeAnswer, type AnswerRequest, type OutputFormat } from "./answers.js";
import type { AnswerRule } from "./scenario.js";
import { countTokens, splitTokens, truncateTokens } from "./tokens.js";

const text: OutputFormat = { kind: "text" };

function ask(name: string, family: string, prompt: string, extra: Partial<AnswerRequest> = {}, answers: AnswerRule[] = [{ mode: "echo-hash" }]): string {
  return composeAnswer({ model: { name, family, answers }, texts: [prompt], seed: 42, format: text, ...extra });
}

describe("echo-hash answers", () => {
  it("give the same text for the same model, prompt and seed", () => {
    const a = ask("phi3:mini", "phi3", "expand: jazz festivals");
    expect(ask("phi3:mini", "phi3", "expand: jazz festivals")).toBe(a);
    expect(countTokens(a)).toBe(12);
  });

  it("change with the prompt and with the seed", () => {
    const a = ask("phi3:mini", "phi3", "expand: jazz festivals");
    expect(ask("phi3:mini", "phi3", "expand: rock festivals")).not.toBe(a);
    expect(ask("phi3:mini", "phi3", "expand: jazz festivals", { seed: 43 })).not.toBe(a);
  });

  it("agree across models of one family and differ across families", () => {
    const a = ask("phi3:mini", "shared", "pick the best title");
    expect(ask("llama3.1:8b", "shared", "pick the best title")).toBe(a);
    expect(ask("gemma2:9b", "gemma2", "pick the best title")).not.toBe(a);
  });

  it("depend on the prompt pieces, not on how the API split them into fields", () => {
    const split = composeAnswer({ model: { name: "m", family: "f", answers: [{ mode: "echo-hash" }] }, texts: ["be brief", "hello"], seed: 1, format: text });
    const joined = composeAnswer({ model: { name: "m", family: "f", answers: [{ mode: "echo-hash" }] }, texts: ["be brief\nhello"], seed: 1, format: text });
    expect(split).toBe(joined);
  });

  it("take the number of words from the rule", () => {
    expect(countTokens(ask("m", "f", "p", {}, [{ mode: "echo-hash", words: 40 }]))).toBe(40);
  });

  it("are JSON when JSON is asked for", () => {
    const out = ask("m", "f", "p", { format: { kind: "json" } });
    expect(JSON.parse(out)).toEqual({ answer: expect.any(String) });
  });

  it("follow a JSON schema when one is given", () => {
    const schema = {
      type: "object",
      properties: {
        queries: { type: "array", items: { type: "string" }, minItems: 3 },
        score: { type: "number", minimum: 0, maximum: 1 },
        rank: { type: "integer", minimum: 1, maximum: 5 },
        verdict: { enum: ["keep", "drop"] },
        ok: { type: "boolean" },
      },
      required: ["queries", "score"],
    };
    const value = JSON.parse(ask("m", "f", "p", { format: { kind: "json_schema", schema } })) as Record<string, unknown>;
    expect(value["queries"]).toHaveLength(3);
    expect(value["score"]).toBeGreaterThanOrEqual(0);
    expect(value["score"]).toBeLessThanOrEqual(1);
    expect(Number.isInteger(value["rank"])).toBe(true);
    expect(["keep", "drop"]).toContain(value["verdict"]);
    expect(typeof value["ok"]).toBe("boolean");
  });
});

describe("other answer modes", () => {
  it("text returns the fixed text", () => {
    expect(ask("m", "f", "anything", {}, [{ mode: "text", text: "fixed reply" }])).toBe("fixed reply");
  });

  it("json returns the template, filling {{hash}}, {{model}} and {{prompt}}", () => {
    const rule: AnswerRule = { mode: "json", json: { id: "{{hash}}", by: "{{model}}", echo: "{{prompt}}", list: [1, "{{family}}"] } };
    const out = JSON.parse(ask("m", "fam", "say \"hi\"", {}, [rule])) as Record<string, unknown>;
    expect(out).toEqual({ id: expect.stringMatching(/^[0-9a-f]{12}$/), by: "m", echo: 'say "hi"', list: [1, "fam"] });
  });

  it("invalid-json produces text that JSON.parse rejects", () => {
    const out = ask("m", "f", "p", { format: { kind: "json" } }, [{ mode: "invalid-json" }]);
    expect(() => JSON.parse(out)).toThrow(SyntaxError);
  });

  it("rules are tried in order and the first match wins", () => {
    const rules: AnswerRule[] = [
      { mode: "text", text: "verdict", match: { contains: "JUDGE" } },
      { mode: "text", text: "numbered", match: { regex: "^\\d+$" } },
      { mode: "text", text: "default" },
    ];
    expect(ask("m", "f", "JUDGE 1", {}, rules)).toBe("verdict");
    expect(ask("m", "f", "123", {}, rules)).toBe("numbered");
    expect(ask("m", "f", "other", {}, rules)).toBe("default");
  });
});

describe("tokens", () => {
  it("count whitespace-separated words", () => {
    expect(countTokens("  one two\n three\t")).toBe(3);
    expect(countTokens("")).toBe(0);
  });

  it("split into pieces that rejoin into the text", () => {
    expect(splitTokens("alpha  beta\ngamma")).toEqual(["alpha", "  beta", "\ngamma"]);
  });

  it("truncate to a number of words and say whether they cut", () => {
    expect(truncateTokens("a b c d", 2)).toEqual({ pieces: ["a", " b"], text: "a b", cut: true });
    expect(truncateTokens("a b", 2)).toMatchObject({ text: "a b", cut: false });
    expect(truncateTokens("a b", undefined)).toMatchObject({ text: "a b", cut: false });
    expect(truncateTokens("a b", 0)).toMatchObject({ text: "", cut: true });
  });
});
