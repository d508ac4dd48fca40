import type { Clock } from "./clock.js";
import type { FaultCursor } from "./faults.js";
import { seededRandom, seedFrom, type Random } from "./prng.js";
import { RequestRecord } from "./record.js";
import { Residency } from "./residency.js";
import type { ResolvedScenario } from "./scenario.js";
import { Slots } from "./slots.js";

/** Per-model random stream and fault-script position, reset with the scenario. */
export interface ModelState {
  random: Random;
  cursor: FaultCursor;
}

/** Everything a running mock engine remembers: its scenario, slots, loaded models and record. */
export class EngineState {
  readonly clock: Clock;
  readonly record: RequestRecord;
  readonly slots: Slots;
  readonly residency: Residency;
  #scenario: ResolvedScenario;
  #models = new Map<string, ModelState>();
  #startOrder = 0;

  constructor(scenario: ResolvedScenario, clock: Clock) {
    this.clock = clock;
    this.#scenario = scenario;
    this.record = new RequestRecord(clock);
    this.slots = new Slots(scenario.slots);
    this.residency = new Residency(clock);
  }

  get scenario(): ResolvedScenario {
    return this.#scenario;
  }

  /** Swaps the scenario; requests already running finish on the old one. Fault scripts and random streams restart. */
  setScenario(scenario: ResolvedScenario): void {
    this.#scenario = scenario;
    this.slots.setLimit(scenario.slots);
    this.#models.clear();
  }

  /** Forgets the record, loaded models, peaks, fault-script positions and random streams; keeps the scenario. */
  reset(): void {
    this.record.clear();
    this.residency.clear();
    this.slots.resetPeaks();
    this.#models.clear();
    this.#startOrder = 0;
  }

  /** Each model has its own seeded stream so one model's traffic never shifts another's draws. */
  modelState(model: string): ModelState {
    let state = this.#models.get(model);
    if (!state) {
      state = { random: seededRandom(seedFrom(String(this.#scenario.seed), model)), cursor: { scriptIndex: 0 } };
      this.#models.set(model, state);
    }
    return state;
  }

  nextStartOrder(): number {
    this.#startOrder += 1;
    return this.#startOrder;
  }
}
