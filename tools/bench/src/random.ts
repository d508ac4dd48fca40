/** A seeded source of numbers in [0, 1). */
export type Random = () => number;

/** mulberry32: small, fast and good enough to make every bench run repeat exactly. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// z of the 95th percentile of a standard normal.
const Z95 = 1.6448536269514722;

/** Box-Muller from two uniforms. */
function standardNormal(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** A lognormal distribution given by its median and 95th percentile (as the mock engine's `lognormal`). */
export function lognormal(p50: number, p95: number): (random: Random) => number {
  const mu = Math.log(p50);
  const sigma = (Math.log(p95) - mu) / Z95;
  return (random) => Math.exp(mu + sigma * standardNormal(random));
}

/** Time to the next event of a Poisson process with `perSecond` events a second, in ms. */
export function exponentialGapMs(random: Random, perSecond: number): number {
  return (-Math.log(1 - random()) / perSecond) * 1000;
}
