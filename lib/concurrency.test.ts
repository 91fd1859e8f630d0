import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ClientSlots, TaskQueue } from "./concurrency";

/** A task that finishes when told to, noting how many ran at once. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe("TaskQueue", () => {
  it("runs at most `running` at once, queues `waiting` more in order, and is full beyond", async () => {
    const queue = new TaskQueue({ running: 1, waiting: 2 });
    const order: number[] = [];
    let concurrent = 0;
    let most = 0;
    const gates = [gate(), gate(), gate()];
    const runs = gates.map((g, i) =>
      queue.run(async () => {
        concurrent++;
        most = Math.max(most, concurrent);
        order.push(i);
        await g.opened;
        concurrent--;
        return i;
      }),
    );
    expect(queue.full).toBe(true);
    await expect(queue.run(async () => 0)).rejects.toThrow(/full/);
    expect({ running: queue.running, waiting: queue.waiting }).toEqual({ running: 1, waiting: 2 });
    gates[2]!.open();
    gates[1]!.open();
    gates[0]!.open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(order).toEqual([0, 1, 2]);
    expect(most).toBe(1);
    expect({ running: queue.running, waiting: queue.waiting, full: queue.full }).toEqual({ running: 0, waiting: 0, full: false });
  });

  it("a task that throws gives its place to the next", async () => {
    const queue = new TaskQueue({ running: 1, waiting: 1 });
    const failing = queue.run(async () => {
      throw new Error("boom");
    });
    const next = queue.run(async () => "ran");
    await expect(failing).rejects.toThrow("boom");
    expect(await next).toBe("ran");
    expect(queue.running).toBe(0);
  });
});

describe("ClientSlots", () => {
  it("refuses a second place to one client, and any place beyond the total", () => {
    const slots = new ClientSlots({ total: 2, perClient: 1 });
    const a = slots.take("a");
    expect(slots.take("a")).toEqual({ refused: "client" });
    const b = slots.take("b");
    expect(slots.take("c")).toEqual({ refused: "total" });
    if (!("release" in a) || !("release" in b)) throw new Error("expected places");
    a.release();
    a.release();
    expect(slots.size).toEqual({ held: 1, clients: 1 });
    expect("release" in slots.take("c")).toBe(true);
  });

  it("whatever the order of takes and releases, never more than the limits are held", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.record({ take: fc.constantFrom("a", "b", "c", "d") }), fc.record({ release: fc.nat({ max: 20 }) })), { maxLength: 200 }), (steps) => {
        const slots = new ClientSlots({ total: 3, perClient: 2 });
        const held: { client: string; release: () => void }[] = [];
        for (const step of steps) {
          if ("take" in step) {
            const place = slots.take(step.take);
            if ("release" in place) held.push({ client: step.take, release: place.release });
          } else {
            held.splice(step.release % Math.max(1, held.length), 1)[0]?.release();
          }
          expect(held.length).toBeLessThanOrEqual(3);
          for (const client of ["a", "b", "c", "d"]) expect(held.filter((h) => h.client === client).length).toBeLessThanOrEqual(2);
          expect(slots.size.held).toBe(held.length);
        }
      }),
    );
  });
});
