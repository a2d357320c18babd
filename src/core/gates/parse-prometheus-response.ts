// Reads one number out of a Prometheus HTTP API instant-query response (`/api/v1/query`). A gate
// must name exactly one series; an empty vector or NaN (0/0 when there is no traffic) is no data,
// the case Argo Rollouts #1905 and Flagger's "no values found" turned into false passes.
import { z } from "zod";
import { missingReading, parseNumberText, valueReading, type SampleReading } from "./sample.js";

const samplePair = z.tuple([z.number(), z.string()]);

const prometheusResponseSchema = z.discriminatedUnion("status", [
  z.object({
    status: z.literal("success"),
    data: z.discriminatedUnion("resultType", [
      z.object({ resultType: z.literal("vector"), result: z.array(z.object({ metric: z.record(z.string(), z.string()).optional(), value: samplePair })) }),
      z.object({ resultType: z.literal("scalar"), result: samplePair }),
      z.object({ resultType: z.literal("string"), result: samplePair }),
      z.object({ resultType: z.literal("matrix"), result: z.array(z.unknown()) }),
    ]),
  }),
  z.object({ status: z.literal("error"), errorType: z.string().optional(), error: z.string().optional() }),
]);

export function parsePrometheusResponse(body: unknown): SampleReading {
  const parsed = prometheusResponseSchema.safeParse(body);
  if (!parsed.success) return missingReading("malformed-response", `not a Prometheus query response: ${z.prettifyError(parsed.error)}`);
  const response = parsed.data;
  if (response.status === "error") return missingReading("query-error", `${response.errorType ?? "error"}: ${response.error ?? "no message"}`);
  const { data } = response;
  switch (data.resultType) {
    case "matrix":
      return missingReading("unexpected-result-type", "the query returned a range vector; a gate needs an instant value (wrap it in rate(), avg_over_time(), ...)");
    case "string":
      return fromText(data.result[1]);
    case "scalar":
      return fromText(data.result[1]);
    case "vector": {
      if (data.result.length === 0) return missingReading("empty-result", "the query returned no series");
      if (data.result.length > 1) {
        return missingReading("multiple-series", `the query returned ${data.result.length} series; aggregate it to one (sum(...), max(...))`);
      }
      return fromText(data.result[0]!.value[1]);
    }
  }
}

function fromText(text: string): SampleReading {
  const value = parseNumberText(text);
  if (value === undefined) return missingReading("not-a-number", `sample value ${JSON.stringify(text.slice(0, 40))} is not a number`);
  if (Number.isNaN(value)) return missingReading("nan", "the query returned NaN (usually 0/0: no traffic in the window)");
  return valueReading(value);
}
