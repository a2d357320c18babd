// The `compare` gate: canary against the stable version (the baseline), sampled at the same
// moments, judged by the sequential test in src/core/judge. Four PromQL instant queries return
// counters (errors and requests per track); the gate rolls back when the canary's error rate is
// confidently more than (1 + max-increase) times the baseline's.
import { z } from "zod";

const query = z.string().trim().min(1).describe("A PromQL instant query returning one counter (a sum of a _total series), not a rate.");

/** "50%" → 0.5; percentages are strings so 50 can never be misread as 5000 %. */
const PERCENTAGE_MESSAGE = 'expected a percentage such as "50%"';
const percentage = z
  .string({ error: PERCENTAGE_MESSAGE })
  .trim()
  .regex(/^\d+(?:\.\d+)?\s*%$/, { message: PERCENTAGE_MESSAGE })
  .transform((text) => Number(text.slice(0, -1).trim()) / 100);

const trackQueries = z.strictObject({ errors: query, total: query });

export const compareGateSchema = z
  .strictObject({
    name: z.string().trim().min(1),
    compare: z
      .strictObject({
        prometheus: z.strictObject({ url: z.url().describe("Prometheus base URL (or its /api/v1/query endpoint).") }),
        canary: trackQueries.describe("Counters of the canary's failed and total requests."),
        baseline: trackQueries.describe("The same counters for the stable version, serving at the same time."),
      })
      .describe("Compare the canary's error rate with the baseline's, sampled at the same moments."),
    "max-increase": percentage.describe('Allowed relative increase of the canary\'s error rate over the baseline\'s, e.g. "50%" (roll back above 1.5 times).'),
    confidence: percentage
      .refine((c) => c >= 0.5 && c < 1, { message: 'expected a confidence from "50%" to below "100%", e.g. "95%"' })
      .prefault("95%")
      .describe("The chance of no false rollback (and no false pass) over the whole window, however often it is sampled."),
    shadow: z.boolean().default(false).describe('Record "would have rolled back at …" without rolling back, to tune the gate on real traffic first.'),
  })
  .describe("A canary-versus-baseline gate judged by an always-valid sequential test; too little traffic by the window's end is inconclusive, never a pass.");

export type CompareGate = z.output<typeof compareGateSchema>;
