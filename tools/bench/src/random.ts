import { seededRandom, type Random } from "@llm-pool/core";

export { seededRandom, type Random };

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
