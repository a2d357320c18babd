// ln Γ and ln B for the closed-form beta-binomial mixture; Math has neither. Lanczos (g = 7,
// n = 9) gives about 15 significant digits for x > 0, which is far finer than any decision needs.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LN_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0 (the only domain the judge uses: counts plus positive mixture parameters). */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  // Reflection keeps the series accurate near 0, where Γ has its pole.
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LN_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/**
 * ln Γ(s + n) − ln Γ(s) for s > 0, n >= 0, without subtracting two huge numbers: the judge calls
 * it with s up to ~1e13 (extreme ratios in the interval search) where ln Γ(s) alone is ~4e14 and
 * the subtraction would lose whole nats. Stirling's series differenced term by term stays exact.
 */
export function logRising(s: number, n: number): number {
  if (!(s > 0) || !(n >= 0)) throw new RangeError(`logRising needs s > 0 and n >= 0, got ${s}, ${n}`);
  if (n === 0) return 0;
  // Shift s up to where the series is accurate: Γ(x + 1) = x Γ(x) on both Γ(s + n) and Γ(s).
  let shift = 0;
  let x = s;
  while (x < 10) {
    shift += Math.log(x + n) - Math.log(x);
    x += 1;
  }
  const z = x + n;
  const main = (x - 0.5) * Math.log1p(n / x) + n * Math.log(z) - n;
  return main + stirlingTail(z) - stirlingTail(x) - shift;
}

/** The 1/x terms of Stirling's series for ln Γ; truncation error < 1e-12 for x >= 10. */
function stirlingTail(x: number): number {
  const inv = 1 / x;
  const inv2 = inv * inv;
  return inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)));
}
