import { cohortMatchSchema, cohortPayload, namedCohortSchema, toCohort } from "../../../src/core/flags/cohort-definition.js";

describe("cohort definitions", () => {
  it("reads each way of matching and writes back the payload shape it read", () => {
    for (const raw of [
      { name: "internal", attribute: "email", "ends-with": "@acme.com" },
      { name: "beta", attribute: "plan", in: ["beta", "early-access"] },
      { name: "tenant-7", attribute: "tenantId", equals: "t-7" },
    ]) {
      const cohort = namedCohortSchema.parse(raw);
      expect(cohortPayload(cohort)).toEqual(raw);
    }
    expect(toCohort("beta", cohortMatchSchema.parse({ attribute: "plan", in: ["beta"] }))).toEqual({ name: "beta", attribute: "plan", match: { kind: "in", values: ["beta"] } });
  });

  it("refuses two ways at once, none, an unsafe name or attribute", () => {
    expect(cohortMatchSchema.safeParse({ attribute: "plan", equals: "a", in: ["b"] }).error?.issues[0]?.message).toBe(
      "a cohort compares its attribute one way: give exactly one of equals, in, ends-with",
    );
    expect(cohortMatchSchema.safeParse({ attribute: "plan" }).success).toBe(false);
    expect(namedCohortSchema.safeParse({ name: "Beta Users", attribute: "plan", equals: "b" }).success).toBe(false);
    expect(namedCohortSchema.safeParse({ name: "beta", attribute: "plan\"}", equals: "b" }).success).toBe(false);
    expect(namedCohortSchema.safeParse({ name: "beta", attribute: "plan", equals: "b", extra: 1 }).success).toBe(false);
  });
});
