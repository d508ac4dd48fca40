/**
 * The work one answer's check may still do. Validation is synchronous, so one
 * meter per compiled schema, refilled before each check, is read by the
 * pattern tests and item comparisons that run inside it.
 */
export interface WorkMeter {
  remaining: number;
}

/** Thrown from inside a validation when its work runs out; the check turns it into a verdict. */
export class WorkBudgetExceeded extends Error {
  constructor() {
    super("checking the answer needs more work than one check may do");
    this.name = "WorkBudgetExceeded";
  }
}

export function spend(meter: WorkMeter, units: number): void {
  meter.remaining -= units;
  if (meter.remaining < 0) throw new WorkBudgetExceeded();
}
