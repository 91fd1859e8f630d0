/**
 * Answers remembered per (owner, key), so a retried request gets the first answer instead
 * of a second write. Bounded by age, by bytes per owner and by bytes overall. Past the
 * overall bound the oldest answer of the owner holding the most bytes goes first, so one
 * owner's flood evicts only its own answers: an owner holding no more than its fair share
 * (maxBytes ÷ owners holding any) loses none of them to the others.
 */
export interface IdempotencyLimits {
  maxBytes: number;
  maxBytesPerOwner: number;
  maxAgeMs: number;
}

interface Entry<T> {
  value: T;
  at: number;
  bytes: number;
}

interface Owner<T> {
  /** In insertion order: the first is the oldest. */
  entries: Map<string, Entry<T>>;
  bytes: number;
}

export class IdempotencyCache<T> {
  private readonly owners = new Map<string, Owner<T>>();
  private totalBytes = 0;
  private totalEntries = 0;

  constructor(private readonly limits: IdempotencyLimits) {}

  get(owner: string, key: string, now: number): T | undefined {
    const held = this.owners.get(owner);
    const entry = held?.entries.get(key);
    if (!held || !entry) return undefined;
    if (now - entry.at > this.limits.maxAgeMs) {
      this.remove(owner, held, key, entry);
      return undefined;
    }
    return entry.value;
  }

  /** Remembers `value`, which the caller estimates at `bytes` of memory; one larger than an owner's bound is not kept. */
  set(owner: string, key: string, value: T, bytes: number, now: number): void {
    let held = this.owners.get(owner);
    const earlier = held?.entries.get(key);
    if (held && earlier) this.remove(owner, held, key, earlier);
    if (bytes > this.limits.maxBytesPerOwner || bytes > this.limits.maxBytes) return;
    if (!held) {
      held = { entries: new Map(), bytes: 0 };
      this.owners.set(owner, held);
    }
    held.entries.set(key, { value, at: now, bytes });
    held.bytes += bytes;
    this.totalBytes += bytes;
    this.totalEntries++;
    while (held.bytes > this.limits.maxBytesPerOwner) this.removeOldest(owner, held);
    while (this.totalBytes > this.limits.maxBytes) this.removeOldest(...this.largestOwner());
  }

  /** Forgets answers older than maxAge (each owner's oldest come first). */
  prune(now: number): void {
    for (const [name, held] of this.owners) {
      for (const [key, entry] of held.entries) {
        if (now - entry.at <= this.limits.maxAgeMs) break;
        this.remove(name, held, key, entry);
      }
    }
  }

  /** What is held: answers, their estimated bytes, and how many owners hold any. */
  get stats(): { entries: number; bytes: number; owners: number } {
    return { entries: this.totalEntries, bytes: this.totalBytes, owners: this.owners.size };
  }

  /** Bytes held for one owner. */
  bytesOf(owner: string): number {
    return this.owners.get(owner)?.bytes ?? 0;
  }

  private largestOwner(): [string, Owner<T>] {
    let largest: [string, Owner<T>] | undefined;
    for (const pair of this.owners) if (!largest || pair[1].bytes > largest[1].bytes) largest = pair;
    // Called only while totalBytes > 0, so some owner holds bytes.
    return largest!;
  }

  private removeOldest(name: string, held: Owner<T>): void {
    const [key, entry] = held.entries.entries().next().value as [string, Entry<T>];
    this.remove(name, held, key, entry);
  }

  private remove(name: string, held: Owner<T>, key: string, entry: Entry<T>): void {
    held.entries.delete(key);
    held.bytes -= entry.bytes;
    this.totalBytes -= entry.bytes;
    this.totalEntries--;
    if (held.entries.size === 0) this.owners.delete(name);
  }
}
