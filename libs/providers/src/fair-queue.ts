/** How one queued item is placed: whose share it draws on, how urgent it is, what it costs. */
export interface FairPlacement {
  /** The flow (tenant) whose share the item draws on. */
  readonly flow: string;
  /** The flow's weight: a flow of weight 2 gets twice the service of a flow of weight 1 when both wait. */
  readonly weight: number;
  /** Higher first within a flow, and on ties between flows. */
  readonly priority: number;
  /** The service the item will take (ms, or any unit shared by every item). */
  readonly cost: number;
}

interface Entry<T> extends FairPlacement {
  readonly item: T;
  readonly seq: number;
}

interface Flow<T> {
  /** Waiting entries, highest priority first, then arrival order. */
  readonly entries: Entry<T>[];
  /** Virtual finish tag of the flow's last dispatched item. */
  finish: number;
  weight: number;
}

/**
 * FairQueue serves waiting items by start-time fair queueing over flows
 * (Goyal, Vin and Cheng's SFQ): each flow's head gets the start tag
 * max(V, the flow's last finish), the smallest tag goes first, and a
 * dispatched item moves its flow's finish on by cost / weight. So when the
 * engine is saturated every flow with work waiting gets service in proportion
 * to its weight, whatever its arrival rate: one tenant's burst only lengthens
 * its own queue. A flow that was idle gets no credit for it (its tag starts
 * at V). Within a flow, and between flows tied on tag, higher priority goes
 * first; then arrival order.
 */
export class FairQueue<T> {
  readonly #flows = new Map<string, Flow<T>>();
  /** System virtual time: the start tag of the last dispatched item. */
  #virtual = 0;
  #seq = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(item: T, placement: FairPlacement): void {
    let flow = this.#flows.get(placement.flow);
    if (!flow) this.#flows.set(placement.flow, (flow = { entries: [], finish: this.#virtual, weight: placement.weight }));
    flow.weight = placement.weight;
    const entry: Entry<T> = { ...placement, item, seq: this.#seq++ };
    const at = flow.entries.findIndex((e) => e.priority < entry.priority);
    if (at < 0) flow.entries.push(entry);
    else flow.entries.splice(at, 0, entry);
    this.#size++;
  }

  /** The next item in fair order, removed from the queue. */
  pop(): T | undefined {
    let best: { flow: Flow<T>; start: number } | undefined;
    for (const flow of this.#flows.values()) {
      const head = flow.entries[0];
      if (!head) continue;
      const start = Math.max(this.#virtual, flow.finish);
      if (!best || start < best.start || (start === best.start && before(head, best.flow.entries[0]!))) best = { flow, start };
    }
    if (!best) return undefined;
    const entry = best.flow.entries.shift()!;
    this.#size--;
    this.#virtual = best.start;
    best.flow.finish = best.start + entry.cost / Math.max(1e-9, best.flow.weight);
    this.#forgetIdleFlows();
    return entry.item;
  }

  /** Removes an item that left the queue (its caller gave up); false when it was not queued. */
  remove(item: T): boolean {
    for (const flow of this.#flows.values()) {
      const index = flow.entries.findIndex((e) => e.item === item);
      if (index < 0) continue;
      flow.entries.splice(index, 1);
      this.#size--;
      return true;
    }
    return false;
  }

  /**
   * The items a newcomer with `placement` would wait behind, in the order they
   * would be served: its own flow's items of at least its priority, and every
   * other flow's items whose start tags fall before the newcomer's.
   */
  ahead(placement: FairPlacement): T[] {
    const own = this.#flows.get(placement.flow);
    const ownAhead = own?.entries.filter((e) => e.priority >= placement.priority) ?? [];
    let start = Math.max(this.#virtual, own?.finish ?? this.#virtual);
    for (const e of ownAhead) start += e.cost / Math.max(1e-9, placement.weight);
    const ahead = ownAhead.map((e) => e.item);
    for (const [name, flow] of this.#flows) {
      if (name === placement.flow) continue;
      let tag = Math.max(this.#virtual, flow.finish);
      for (const entry of flow.entries) {
        if (tag > start || (tag === start && entry.priority < placement.priority)) break;
        ahead.push(entry.item);
        tag += entry.cost / Math.max(1e-9, flow.weight);
      }
    }
    return ahead;
  }

  /** Every waiting item, in no particular order. */
  items(): T[] {
    return [...this.#flows.values()].flatMap((flow) => flow.entries.map((e) => e.item));
  }

  /** A flow with nothing waiting and no service owed beyond V starts afresh next time; drop it. */
  #forgetIdleFlows(): void {
    for (const [name, flow] of this.#flows) {
      if (flow.entries.length === 0 && flow.finish <= this.#virtual) this.#flows.delete(name);
    }
  }
}

function before(a: Entry<unknown>, b: Entry<unknown>): boolean {
  return a.priority > b.priority || (a.priority === b.priority && a.seq < b.seq);
}
