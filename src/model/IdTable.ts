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

  /** Keeps `record` under `id` (its own id: the caller reads it, so the table never reads a record). */
  set(id: number, record: T): void {
    const i = id & this.mask;
    const held = this.ids[i] as number;
    if (held === -1) {
      this.count += 1;
      this.slots[i] = record;
      this.ids[i] = id;
    } else if (held === id) this.slots[i] = record;
    else this.place(id, record);
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

  /** Puts `record` in the slot of `id`, which may hold another: that one goes aside, or the table grows. */
  private place(id: number, record: T): void {
    for (;;) {
      const i = id & this.mask;
      const held = this.ids[i] as number;
      if (held === -1 || held === id) {
        if (held === -1) this.count += 1;
        this.slots[i] = record;
        this.ids[i] = id;
        return;
      }
      if (this.count * 4 > this.slots.length) {
        this.grow();
        continue;
      }
      this.spilled.set(held, this.slots[i] as T);
      this.slots[i] = record;
      this.ids[i] = id;
      this.count += 1;
      return;
    }
  }

  private grow(): void {
    const old = this.slots;
    const oldIds = this.ids;
    this.slots = new Array<T | undefined>(old.length * 2).fill(undefined);
    this.ids = new Float64Array(old.length * 2).fill(-1);
    this.mask = this.slots.length - 1;
    this.count = this.spilled.size;
    for (let k = 0; k < old.length; k++) if (oldIds[k] !== -1) this.place(oldIds[k] as number, old[k] as T);
  }

  /**
   * Takes every path of the table, on throwaway tables, before any run. V8
   * compiles a hot method for the paths it has seen taken; the first record
   * pushed aside or looked up there (minutes into a run, when one request
   * outlives a few thousand younger ones) would throw that code away — and
   * with it each engine and telemetry function it was inlined into — to be
   * compiled again. V8 records nothing of a function's first few calls (8 in
   * V8 12–13), hence the rounds. Run once per thread, when this module loads.
   */
  static prime(): void {
    // One stand-in for every record: the table reads nothing of records, so it is never told their shapes.
    const r = { id: 0 };
    for (let round = 0; round < PRIME_ROUNDS; round++) {
      const table = new IdTable<{ readonly id: number }>();
      table.get(1);
      table.delete(1);
      table.set(1, r);
      table.set(1, r);
      // 64 slots: 65 wants the slot of 1 while the table is nearly empty, so 1 goes aside.
      table.set(65, r);
      table.get(1);
      table.get(2);
      table.get(65);
      table.delete(1);
      table.delete(2);
      table.delete(65);
      // Past a quarter full, 130 wants the slot of 66: the table grows instead.
      for (let id = 66; id <= 90; id++) table.set(id, r);
      table.set(130, r);
    }
  }
}

/** Rounds of `IdTable.prime`: enough that V8 keeps feedback for the last ones. */
const PRIME_ROUNDS = 16;

IdTable.prime();
