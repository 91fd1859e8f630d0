/**
 * Bounds on costly work running at once (password hashing, CSV exports), so a storm of
 * requests queues or is refused instead of taking the whole server's CPU, memory or
 * thread pool. Pure: no timers, no I/O.
 */

/** At most `running` tasks at once; up to `waiting` more wait their turn, first come first served; beyond that, `full`. */
export class TaskQueue {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly limits: { running: number; waiting: number }) {}

  /** True when a task given now would be neither run nor queued: check it in the same synchronous step as `run`. */
  get full(): boolean {
    return this.active >= this.limits.running && this.queue.length >= this.limits.waiting;
  }

  get running(): number {
    return this.active;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** Runs `task` once a place is free. Throws at once when `full`. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.full) throw new Error("TaskQueue: full (check `full` before `run`)");
    if (this.active < this.limits.running) this.active++;
    // A finishing task hands its place straight to us (active stays counted).
    else await new Promise<void>((resolve) => this.queue.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.active--;
    }
  }
}

export type Refusal = "client" | "total";

/** At most `total` at once, and at most `perClient` of them for one client; a place is held until released. */
export class ClientSlots {
  private readonly byClient = new Map<string, number>();
  private held = 0;

  constructor(private readonly limits: { total: number; perClient: number }) {}

  /** A release function (idempotent) for a place taken now, or why there is none. */
  take(client: string): { release: () => void } | { refused: Refusal } {
    const mine = this.byClient.get(client) ?? 0;
    if (mine >= this.limits.perClient) return { refused: "client" };
    if (this.held >= this.limits.total) return { refused: "total" };
    this.held++;
    this.byClient.set(client, mine + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.held--;
        const left = (this.byClient.get(client) ?? 1) - 1;
        if (left > 0) this.byClient.set(client, left);
        else this.byClient.delete(client);
      },
    };
  }

  get size(): { held: number; clients: number } {
    return { held: this.held, clients: this.byClient.size };
  }
}
