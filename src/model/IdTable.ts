/**
 * Records in flight keyed by their id, for ids handed out in increasing
 * order (requests, attempts, connections): a power-of-two array indexed by
 * `id & mask`, no hashing and no allocation per insert. When a much
 * younger id wants the slot of a record that is still there, the table
 * grows if it is more than a quarter full; otherwise the old record moves to
 * a side Map (a request that hangs for an hour does not stretch the array
 * over every id since). Lookups stay exact: `get` of an id that is gone
 * returns undefined. Each slot's id is also kept in a typed array, so a
 * lookup compares numbers there and reads the record only when it is the
 * one (the tables hold records of four shapes: a read of `id` from the
 * record would be a polymorphic one).
 */
export class IdTable<T extends { readonly id: number }> {
  private slots: Array<T | undefined> = new Array<T | undefined>(64).fill(undefined);
  /** The id of the record in each slot, -1 when empty (ids start at 1). */
  private ids = new Float64Array(64).fill(-1);
  private mask = 63;
  private count = 0;
  /** Long-lived records pushed out of their slot. */
  private readonly spilled = new Map<number, T>();

  get size(): number {
    return this.count;
  }

  get(id: number): T | undefined {
    const i = id & this.mask;
    if (this.ids[i] === id) return this.slots[i];
    return this.spilled.size === 0 ? undefined : this.spilled.get(id);
  }

  set(record: T): void {
    for (;;) {
      const i = record.id & this.mask;
      const there = this.slots[i];
      if (there === undefined || there.id === record.id) {
        if (there === undefined) this.count += 1;
        this.slots[i] = record;
        this.ids[i] = record.id;
        return;
      }
      if (this.count * 4 > this.slots.length) {
        this.grow();
        continue;
      }
      this.spilled.set(there.id, there);
      this.slots[i] = record;
      this.ids[i] = record.id;
      this.count += 1;
      return;
    }
  }

  delete(id: number): void {
    const i = id & this.mask;
    if (this.ids[i] === id) {
      this.slots[i] = undefined;
      this.ids[i] = -1;
      this.count -= 1;
    } else if (this.spilled.size > 0 && this.spilled.delete(id)) {
      this.count -= 1;
    }
  }

  /** Every record, oldest id first. */
  values(): T[] {
    return [...this.spilled.values(), ...this.slots.filter((r): r is T => r !== undefined)].sort((a, b) => a.id - b.id);
  }

  /** Slots in the array (for tests of how far it grew). */
  get capacity(): number {
    return this.slots.length;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Array<T | undefined>(old.length * 2).fill(undefined);
    this.ids = new Float64Array(old.length * 2).fill(-1);
    this.mask = this.slots.length - 1;
    this.count = this.spilled.size;
    for (const r of old) if (r !== undefined) this.set(r);
  }
}
