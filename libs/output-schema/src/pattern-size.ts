/**
 * An upper estimate of the program a regular expression compiles to, in
 * instructions, read from its text without compiling it. RE2 matches in time
 * linear in the text, but the factor is the program's size, and counted
 * repetition multiplies it: `(a{1,100}){1,100}` is ten thousand steps per
 * character, and compiling it is slow too. The estimate counts every atom as
 * one step, alternation and `* + ?` as one more, and `x{n,m}` as m copies of x.
 */
export function estimatePatternSize(pattern: string): number {
  const frames: Frame[] = [newFrame()];
  let i = 0;
  while (i < pattern.length) {
    const frame = frames.at(-1)!;
    const c = pattern[i]!;
    if (c === "\\") {
      i = escapeEnd(pattern, i);
      atom(frame, 1);
    } else if (c === "[") {
      i = classEnd(pattern, i);
      atom(frame, 1);
    } else if (c === "(") {
      const inner = groupBodyStart(pattern, i);
      if (inner.flagsOnly) {
        i = inner.at;
      } else {
        frames.push(newFrame());
        i = inner.at;
      }
    } else if (c === ")") {
      i += 1;
      if (frames.length > 1) {
        frames.pop();
        atom(frames.at(-1)!, total(frame));
      }
    } else if (c === "|") {
      i += 1;
      frame.branches.push(frame.current);
      frame.current = 0;
      frame.last = 0;
    } else if (c === "*" || c === "+" || c === "?") {
      i = skipLazy(pattern, i + 1);
      frame.current += 1;
    } else if (c === "{" && countedRepeat(pattern, i)) {
      const repeat = countedRepeat(pattern, i)!;
      i = skipLazy(pattern, repeat.end);
      const copies = Math.max(1, repeat.max);
      frame.current += frame.last * (copies - 1) + copies;
      frame.last *= copies;
    } else {
      i += 1;
      atom(frame, 1);
    }
  }
  while (frames.length > 1) {
    const open = frames.pop()!;
    atom(frames.at(-1)!, total(open));
  }
  return total(frames[0]!);
}

interface Frame {
  /** Sizes of the finished alternatives of this group. */
  branches: number[];
  /** Size of the alternative being read. */
  current: number;
  /** Size of the last atom read, which a quantifier repeats. */
  last: number;
}

const newFrame = (): Frame => ({ branches: [], current: 0, last: 0 });

function atom(frame: Frame, size: number): void {
  frame.current += size;
  frame.last = size;
}

function total(frame: Frame): number {
  return frame.branches.reduce((sum, size) => sum + size, frame.current) + frame.branches.length;
}

// Large enough to be refused by any limit, small enough to stay exact in arithmetic.
const REPEAT_CAP = 100_000;

function countedRepeat(pattern: string, at: number): { max: number; end: number } | undefined {
  const match = /^\{(\d{1,9})(,(\d{0,9}))?\}/.exec(pattern.slice(at, at + 24));
  if (!match) return undefined;
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : match[3] === "" ? min + 1 : Number(match[3]);
  return { max: Math.min(REPEAT_CAP, Math.max(min, max)), end: at + match[0].length };
}

function skipLazy(pattern: string, at: number): number {
  return pattern[at] === "?" ? at + 1 : at;
}

function escapeEnd(pattern: string, at: number): number {
  const next = pattern[at + 1];
  // \p{…}, \x{…}, \u{…}: one atom up to the closing brace.
  if ((next === "p" || next === "P" || next === "x" || next === "u") && pattern[at + 2] === "{") {
    const close = pattern.indexOf("}", at + 3);
    return close < 0 ? pattern.length : close + 1;
  }
  return Math.min(pattern.length, at + 2);
}

function classEnd(pattern: string, at: number): number {
  let i = at + 1;
  if (pattern[i] === "^") i += 1;
  if (pattern[i] === "]") i += 1;
  while (i < pattern.length && pattern[i] !== "]") i += pattern[i] === "\\" ? 2 : 1;
  return Math.min(pattern.length, i + 1);
}

/** Where a group's body starts, past `(?:`, `(?<name>`, `(?P<name>`; `(?i)` sets flags and opens no group. */
function groupBodyStart(pattern: string, at: number): { at: number; flagsOnly: boolean } {
  if (pattern[at + 1] !== "?") return { at: at + 1, flagsOnly: false };
  let i = at + 2;
  while (i < pattern.length && !":)>".includes(pattern[i]!)) i += 1;
  if (pattern[i] === ")") return { at: i + 1, flagsOnly: true };
  return { at: Math.min(pattern.length, i + 1), flagsOnly: false };
}
