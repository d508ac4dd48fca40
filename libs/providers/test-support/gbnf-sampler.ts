// Test-only: draws random texts from a llama.cpp GBNF grammar, so a spec can check that every text the
// grammar lets a model write is one the pool's validator accepts.
import type { Random } from "@llm-pool/core";

type Element =
  | { readonly kind: "literal"; readonly text: string }
  | { readonly kind: "class"; readonly negated: boolean; readonly ranges: ReadonlyArray<readonly [number, number]> }
  | { readonly kind: "ref"; readonly name: string }
  | { readonly kind: "group"; readonly alternatives: Alternatives }
  | { readonly kind: "repeat"; readonly element: Element; readonly min: number; readonly max: number | undefined };
type Alternatives = ReadonlyArray<readonly Element[]>;

/**
 * Characters tried for character classes: printable ASCII and a few that trip up length counts and
 * escaping (accents, CJK, an emoji outside the BMP, tab, newline, DEL, NUL).
 */
const CHARACTER_POOL = [...Array.from({ length: 95 }, (_, i) => 32 + i), 0xe9, 0x4e2d, 0x1f600, 9, 10, 0x7f, 0].map((c) => String.fromCodePoint(c));

/** How many extra rounds an open-ended repetition (*, +, {m,}) runs at most. */
const OPEN_REPEAT_LIMIT = 6;

export class GbnfSampler {
  readonly #rules = new Map<string, Alternatives>();

  constructor(gbnf: string) {
    const parser = new Parser(gbnf);
    for (const [name, body] of parser.rules()) this.#rules.set(name, body);
    if (!this.#rules.has("root")) throw new Error("the grammar has no root rule");
  }

  /** One text the grammar accepts, drawn with `random`. Repetitions lean towards their limits, where bugs hide. */
  sample(random: Random): string {
    return this.#alternatives(this.#rules.get("root")!, random, 0);
  }

  #alternatives(alternatives: Alternatives, random: Random, depth: number): string {
    if (depth > 200) throw new Error("the grammar recurses too deep to sample");
    const chosen = alternatives[Math.floor(random() * alternatives.length)]!;
    return chosen.map((element) => this.#element(element, random, depth)).join("");
  }

  #element(element: Element, random: Random, depth: number): string {
    switch (element.kind) {
      case "literal":
        return element.text;
      case "class": {
        const allowed = CHARACTER_POOL.filter((c) => inClass(element, c.codePointAt(0)!));
        if (allowed.length === 0) throw new Error("a character class matches nothing in the sampler's pool");
        return allowed[Math.floor(random() * allowed.length)]!;
      }
      case "ref": {
        const body = this.#rules.get(element.name);
        if (!body) throw new Error(`unknown rule ${element.name}`);
        return this.#alternatives(body, random, depth + 1);
      }
      case "group":
        return this.#alternatives(element.alternatives, random, depth + 1);
      case "repeat": {
        const max = element.max ?? element.min + OPEN_REPEAT_LIMIT;
        const roll = random();
        // A third of the time the most, a sixth the fewest, otherwise anything between.
        const count = roll < 1 / 3 ? max : roll < 1 / 2 ? element.min : element.min + Math.floor(random() * (max - element.min + 1));
        let out = "";
        for (let i = 0; i < count; i++) out += this.#element(element.element, random, depth + 1);
        return out;
      }
    }
  }
}

function inClass(element: Extract<Element, { kind: "class" }>, code: number): boolean {
  const inside = element.ranges.some(([low, high]) => code >= low && code <= high);
  return element.negated ? !inside : inside;
}

/** A recursive-descent reader of llama.cpp's GBNF (grammars/README.md in llama.cpp). */
class Parser {
  #at = 0;
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  *rules(): Generator<[string, Alternatives]> {
    for (;;) {
      this.#space(true);
      if (this.#at >= this.#text.length) return;
      const name = this.#name();
      this.#space(true);
      this.#expect("::=");
      this.#space(true);
      yield [name, this.#alternatives(false)];
    }
  }

  #alternatives(nested: boolean): Alternatives {
    const alternatives: Element[][] = [this.#sequence(nested)];
    while (this.#peek() === "|") {
      this.#at++;
      alternatives.push(this.#sequence(nested));
    }
    return alternatives;
  }

  #sequence(nested: boolean): Element[] {
    const elements: Element[] = [];
    for (;;) {
      this.#space(nested);
      const c = this.#peek();
      if (c === undefined || c === "|" || c === ")" || c === "\n") return elements;
      let element = this.#primary();
      for (;;) {
        const op = this.#peek();
        if (op === "*") element = this.#repeat(element, 0, undefined, 1);
        else if (op === "+") element = this.#repeat(element, 1, undefined, 1);
        else if (op === "?") element = this.#repeat(element, 0, 1, 1);
        else if (op === "{") element = this.#braces(element);
        else break;
      }
      elements.push(element);
    }
  }

  #primary(): Element {
    const c = this.#peek();
    if (c === '"') return { kind: "literal", text: this.#literal() };
    if (c === "[") return this.#class();
    if (c === "(") {
      this.#at++;
      const alternatives = this.#alternatives(true);
      this.#space(true);
      this.#expect(")");
      return { kind: "group", alternatives };
    }
    return { kind: "ref", name: this.#name() };
  }

  #repeat(element: Element, min: number, max: number | undefined, width: number): Element {
    this.#at += width;
    return { kind: "repeat", element, min, max };
  }

  #braces(element: Element): Element {
    const match = /^\{(\d*)(,?)(\d*)\}/.exec(this.#text.slice(this.#at));
    if (!match) throw this.#error("a {m,n} repetition");
    const min = match[1] === "" ? 0 : Number(match[1]);
    const max = match[2] === "" ? min : match[3] === "" ? undefined : Number(match[3]);
    return this.#repeat(element, min, max, match[0].length);
  }

  #literal(): string {
    this.#expect('"');
    let out = "";
    while (this.#peek() !== '"') out += String.fromCodePoint(this.#char());
    this.#at++;
    return out;
  }

  #class(): Element {
    this.#expect("[");
    const negated = this.#peek() === "^";
    if (negated) this.#at++;
    const ranges: Array<[number, number]> = [];
    while (this.#peek() !== "]") {
      const low = this.#char();
      if (this.#peek() === "-" && this.#text[this.#at + 1] !== "]") {
        this.#at++;
        ranges.push([low, this.#char()]);
      } else ranges.push([low, low]);
    }
    this.#at++;
    return { kind: "class", negated, ranges };
  }

  /** One character of a literal or class, escapes decoded. */
  #char(): number {
    const c = this.#text[this.#at];
    if (c === undefined) throw this.#error("a character");
    if (c !== "\\") {
      const code = this.#text.codePointAt(this.#at)!;
      this.#at += code > 0xffff ? 2 : 1;
      return code;
    }
    const e = this.#text[this.#at + 1];
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, "\\": 92, '"': 34, "[": 91, "]": 93, "-": 45 };
    if (e !== undefined && e in simple) {
      this.#at += 2;
      return simple[e]!;
    }
    const width = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
    if (width === 0) throw this.#error("a known escape");
    const hex = this.#text.slice(this.#at + 2, this.#at + 2 + width);
    this.#at += 2 + width;
    return Number.parseInt(hex, 16);
  }

  #name(): string {
    const match = /^[a-zA-Z0-9-]+/.exec(this.#text.slice(this.#at));
    if (!match) throw this.#error("a rule name");
    this.#at += match[0].length;
    return match[0];
  }

  /** Skips blanks and comments; newlines too inside groups or between rules. */
  #space(newlines: boolean): void {
    for (;;) {
      const c = this.#peek();
      if (c === " " || c === "\t" || c === "\r" || (newlines && c === "\n")) this.#at++;
      else if (c === "#") while (this.#peek() !== undefined && this.#peek() !== "\n") this.#at++;
      else return;
    }
  }

  #peek(): string | undefined {
    return this.#text[this.#at];
  }

  #expect(token: string): void {
    if (!this.#text.startsWith(token, this.#at)) throw this.#error(`"${token}"`);
    this.#at += token.length;
  }

  #error(wanted: string): Error {
    return new Error(`GBNF: expected ${wanted} at offset ${this.#at}: ${JSON.stringify(this.#text.slice(this.#at, this.#at + 40))}`);
  }
}
