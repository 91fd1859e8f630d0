/**
 * A latency probe in a process of its own, so what it measures is the server, not the test
 * that is busy downloading beside it: GETs `url` one after another (10 ms apart) until a
 * line arrives on stdin, then prints every duration (ms) as a JSON array and exits.
 * Usage: node --import tsx e2e/latency-probe.ts <url>
 */
import { setTimeout as sleep } from "node:timers/promises";

const url = process.argv[2]!;
const durations: number[] = [];
let probing = true;
process.stdin.once("data", () => (probing = false));

while (probing) {
  const started = performance.now();
  await (await fetch(url)).text();
  durations.push(performance.now() - started);
  await sleep(10);
}
process.stdout.write(JSON.stringify(durations));
process.exit(0);
