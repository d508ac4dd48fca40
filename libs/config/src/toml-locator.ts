import { formatPath, type PathSegment } from "./config-path.js";

export interface SourcePosition {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, in UTF-16 code units. */
  readonly column: number;
}

/**
 * Maps config paths (`providers[1].base_url`) back to where they are written in the TOML source.
 *
 * smol-toml returns plain values without positions, so this is a small structural scan of the
 * already-validated text: table headers, `[[array]]` entries (counted, to know their index), keys
 * (dotted and quoted), inline tables and arrays. It only records where things start; it never
 * decides what is valid. A path that is not written (a missing field) resolves to its nearest
 * written ancestor, e.g. the `[[providers]]` header of the entry that lacks the field.
 */
export class TomlLocator {
  private constructor(
    private readonly positions: ReadonlyMap<string, SourcePosition>,
  ) {}

  static fromSource(source: string): TomlLocator {
    const scanner = new Scanner(source);
    try {
      scanner.scanDocument();
    } catch {
      // A scanner bug must never hide the real config error; keep whatever was found.
    }
    return new TomlLocator(scanner.positions);
  }

  /** The position of `path`, or of its nearest ancestor written in the source. */
  locate(path: readonly PathSegment[]): SourcePosition | undefined {
    for (let length = path.length; length > 0; length--) {
      const found = this.positions.get(formatPath(path.slice(0, length)));
      if (found) return found;
    }
    return undefined;
  }

  /** The position of exactly `path`, if it is written in the source. */
  exact(path: readonly PathSegment[]): SourcePosition | undefined {
    return this.positions.get(formatPath(path));
  }
}

const WHITESPACE = new Set([" ", "\t"]);
const BARE_KEY_CHAR = /[A-Za-z0-9_-]/;

class Scanner {
  readonly positions = new Map<string, SourcePosition>();
  private readonly lineStarts: number[] = [0];
  private readonly arrayTableCounts = new Map<string, number>();
  private pos = 0;

  constructor(private readonly src: string) {
    for (let i = 0; i < src.length; i++) if (src[i] === "\n") this.lineStarts.push(i + 1);
  }

  scanDocument(): void {
    let table: PathSegment[] = [];
    while (this.pos < this.src.length) {
      const before = this.pos;
      this.skipBlank(true);
      const ch = this.src[this.pos];
      if (ch === undefined) break;
      if (ch === "[") {
        table = this.scanHeader();
      } else {
        const start = this.pos;
        const key = this.scanKey();
        this.recordKey(table, key, start);
        this.skipBlank(false);
        if (this.src[this.pos] === "=") this.pos++;
        this.skipBlank(false);
        this.scanValue([...table, ...key]);
      }
      this.skipToLineEnd();
      if (this.pos === before) this.pos++;
    }
  }

  private scanHeader(): PathSegment[] {
    const start = this.pos;
    const isArray = this.src[this.pos + 1] === "[";
    this.pos += isArray ? 2 : 1;
    this.skipBlank(false);
    const key = this.scanKey();
    this.pos = this.src.indexOf("]", this.pos) + (isArray ? 2 : 1);
    const resolved: PathSegment[] = [];
    key.forEach((segment, i) => {
      resolved.push(segment);
      const id = formatPath(resolved);
      const count = this.arrayTableCounts.get(id);
      if (isArray && i === key.length - 1) {
        this.arrayTableCounts.set(id, (count ?? 0) + 1);
        this.record(resolved, start);
        resolved.push(count ?? 0);
      } else if (count !== undefined) {
        resolved.push(count - 1);
      }
      this.record(resolved, start);
    });
    return resolved;
  }

  /** A dotted key made of bare and quoted parts; returns its segments. */
  private scanKey(): string[] {
    const segments: string[] = [];
    for (;;) {
      this.skipBlank(false);
      const ch = this.src[this.pos];
      if (ch === '"' || ch === "'") {
        const start = this.pos;
        this.skipString();
        segments.push(decodeQuotedKey(this.src.slice(start, this.pos)));
      } else {
        const start = this.pos;
        while (this.pos < this.src.length && BARE_KEY_CHAR.test(this.src[this.pos] ?? "")) this.pos++;
        segments.push(this.src.slice(start, this.pos));
      }
      this.skipBlank(false);
      if (this.src[this.pos] !== ".") return segments;
      this.pos++;
    }
  }

  private recordKey(table: PathSegment[], key: string[], offset: number): void {
    const path = [...table];
    for (const segment of key) {
      path.push(segment);
      this.record(path, offset);
    }
  }

  private scanValue(path: PathSegment[]): void {
    const ch = this.src[this.pos];
    if (ch === '"' || ch === "'") return this.skipString();
    if (ch === "[") return this.scanArray(path);
    if (ch === "{") return this.scanInlineTable(path);
    while (this.pos < this.src.length && !",]}\n#".includes(this.src[this.pos] ?? "")) this.pos++;
  }

  private scanArray(path: PathSegment[]): void {
    this.pos++;
    for (let index = 0; this.pos < this.src.length; index++) {
      this.skipBlank(true);
      if (this.src[this.pos] === "]") break;
      this.record([...path, index], this.pos);
      this.scanValue([...path, index]);
      this.skipBlank(true);
      if (this.src[this.pos] === ",") this.pos++;
      else break;
    }
    this.skipBlank(true);
    if (this.src[this.pos] === "]") this.pos++;
  }

  private scanInlineTable(path: PathSegment[]): void {
    this.pos++;
    while (this.pos < this.src.length) {
      this.skipBlank(true);
      if (this.src[this.pos] === "}") break;
      const start = this.pos;
      const key = this.scanKey();
      this.recordKey(path, key, start);
      this.skipBlank(false);
      if (this.src[this.pos] === "=") this.pos++;
      this.skipBlank(false);
      this.scanValue([...path, ...key]);
      this.skipBlank(true);
      if (this.src[this.pos] === ",") this.pos++;
      else break;
    }
    this.skipBlank(true);
    if (this.src[this.pos] === "}") this.pos++;
  }

  private skipString(): void {
    const quote = this.src[this.pos] ?? '"';
    const triple = this.src.startsWith(quote.repeat(3), this.pos);
    const closing = triple ? quote.repeat(3) : quote;
    this.pos += closing.length;
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos];
      if (ch === "\\" && quote === '"') {
        this.pos += 2;
      } else if (this.src.startsWith(closing, this.pos)) {
        this.pos += closing.length;
        // A multi-line string may end with up to two extra quotes inside it ("""a"""" is `a"`).
        if (triple) for (let n = 0; n < 2 && this.src[this.pos] === quote; n++) this.pos++;
        return;
      } else if (ch === "\n" && !triple) {
        return;
      } else {
        this.pos++;
      }
    }
  }

  /** Skips spaces, tabs and comments; with `newlines`, line breaks too. */
  private skipBlank(newlines: boolean): void {
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos] ?? "";
      if (WHITESPACE.has(ch) || (newlines && (ch === "\n" || ch === "\r"))) this.pos++;
      else if (ch === "#") this.skipToLineEnd();
      else break;
    }
  }

  private skipToLineEnd(): void {
    const end = this.src.indexOf("\n", this.pos);
    this.pos = end === -1 ? this.src.length : end;
  }

  private record(path: readonly PathSegment[], offset: number): void {
    const id = formatPath(path);
    if (!this.positions.has(id)) this.positions.set(id, this.positionOf(offset));
  }

  private positionOf(offset: number): SourcePosition {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (this.lineStarts[low] ?? 0) + 1 };
  }
}

function decodeQuotedKey(raw: string): string {
  if (raw.startsWith("'")) return raw.slice(1, -1);
  try {
    return JSON.parse(raw) as string;
  } catch {
    return raw.slice(1, -1);
  }
}
