/**
 * Deterministic, stateless noise: a value is a pure function of (seed, key, time),
 * so the simulated city at any instant can be computed without replaying the past,
 * and the same seed always yields the same stream.
 */

/** 32-bit FNV-1a of a string, mixed with the seed. */
function hashString(seed: number, key: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A uniform value in [0, 1) from two 32-bit integers (a murmur3-style finaliser). */
function uniform(a: number, b: number): number {
  let h = (a ^ Math.imul(b, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return h / 0x1_0000_0000;
}

/**
 * Smooth noise in [-1, 1]: random knots every `periodMs`, cosine-interpolated, so a
 * 1 Hz stream wanders instead of jittering.
 */
export function smoothNoise(seed: number, key: string, timeMs: number, periodMs: number): number {
  const base = hashString(seed, key);
  const x = timeMs / periodMs;
  const knot = Math.floor(x);
  const frac = x - knot;
  const a = uniform(base, knot) * 2 - 1;
  const b = uniform(base, knot + 1) * 2 - 1;
  const w = (1 - Math.cos(frac * Math.PI)) / 2;
  return a + (b - a) * w;
}

/** A random value in [0, 1) that is constant within each `periodMs` window. */
export function steppedUniform(seed: number, key: string, timeMs: number, periodMs: number): number {
  return uniform(hashString(seed, key), Math.floor(timeMs / periodMs));
}
