import type { Random } from "./prng.js";
import type { FaultKind, ResolvedFaults } from "./scenario.js";

/** Faults answered before the request takes a slot; the others shape a normal answer. */
export const IMMEDIATE_FAULTS: ReadonlySet<FaultKind> = new Set<FaultKind>(["http_500", "http_429", "reset", "hang"]);

/** How far a model has got through its fault script. */
export interface FaultCursor {
  scriptIndex: number;
}

/**
 * The fault for the next call: the script's next step while there is one, then a draw against the
 * probabilities. One number is always drawn so later draws do not depend on the script's length.
 */
export function pickFault(faults: ResolvedFaults, cursor: FaultCursor, random: Random): FaultKind | undefined {
  const u = random();
  if (cursor.scriptIndex < faults.script.length) {
    const step = faults.script[cursor.scriptIndex];
    cursor.scriptIndex += 1;
    return step === "none" ? undefined : step;
  }
  let threshold = 0;
  for (const [kind, p] of faults.probabilities) {
    threshold += p;
    if (u < threshold) return kind;
  }
  return undefined;
}
