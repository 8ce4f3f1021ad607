/**
 * A map that holds at most `max` entries and starts again empty once full: for memos of what is cheap
 * to work out again, where an LRU's bookkeeping on every read would cost more than a miss.
 */
export class ResettingMap<K, V> {
  readonly #max: number;
  #entries = new Map<K, V>();

  constructor(max: number) {
    this.#max = max;
  }

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  set(key: K, value: V): void {
    if (this.#entries.size >= this.#max) this.#entries = new Map();
    this.#entries.set(key, value);
  }
}
