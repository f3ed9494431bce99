/**
 * Hands out slot numbers for struct-of-arrays records and takes them back.
 * `capacity` doubles when every slot is taken; the owner grows its arrays
 * to match (see `grown`).
 */
export class FreeList {
  private free: Int32Array;
  private top = 0;
  private used = 0;
  capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.free = new Int32Array(capacity);
  }

  reset(): void {
    this.top = 0;
    this.used = 0;
  }

  /** A free slot; when it returns a slot ≥ the old capacity, the owner's arrays must grow. */
  take(): number {
    if (this.top > 0) return this.free[--this.top] as number;
    if (this.used === this.capacity) {
      this.capacity *= 2;
      this.free = grown(this.free, this.capacity);
    }
    return this.used++;
  }

  give(slot: number): void {
    this.free[this.top++] = slot;
  }
}

/** A copy of `array` with room for `size` elements. */
export function grown<T extends Float64Array | Int32Array | Uint16Array | Uint8Array>(array: T, size: number): T {
  if (array.length >= size) return array;
  const bigger = new (array.constructor as new (n: number) => T)(size);
  bigger.set(array);
  return bigger;
}
