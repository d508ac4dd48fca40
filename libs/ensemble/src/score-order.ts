/**
 * Scores are compared at a resolution of 1e-9, so float noise (a sum taken
 * in another order, a rate read a microsecond later) can never decide a tie:
 * ties go to the documented tie-break instead.
 */
export function quantizeScore(x: number): number {
  return Math.round(x * 1e9);
}
