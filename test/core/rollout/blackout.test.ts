import type { BlackoutWindow } from "../../../src/core/config/schema.js";
import { blackoutAt } from "../../../src/core/rollout/blackout.js";

const at = (iso: string) => new Date(iso);
const endsAt = (windows: BlackoutWindow[], iso: string) => {
  const result = blackoutAt(windows, at(iso));
  return result.blocked ? [result.window.name, result.endsAt] : "open";
};

describe("blackoutAt", () => {
  it("is open with no windows", () => {
    expect(blackoutAt([], at("2026-01-01T00:00:00Z"))).toEqual({ blocked: false });
  });

  describe("a daily time range in a time zone", () => {
    const lunch: BlackoutWindow[] = [{ name: "peak", "time-zone": "America/New_York", start: "11:30", end: "14:00" }];
    it.each([
      ["2026-01-15T16:29:59Z", "open"], // 11:29:59 EST
      ["2026-01-15T16:30:00Z", ["peak", "2026-01-15T19:00:00.000Z"]], // 11:30 EST: start is inclusive
      ["2026-07-15T15:45:00Z", ["peak", "2026-07-15T18:00:00.000Z"]], // 11:45 EDT
      ["2026-01-15T19:00:00Z", "open"], // 14:00 EST: end is exclusive
    ])("at %s: %j", (iso, expected) => {
      expect(endsAt(lunch, iso)).toEqual(expected);
    });
  });

  describe("a window crossing midnight on given weekdays", () => {
    // Friday 18:00 to Saturday 08:00, Berlin time; `days` names the day the window starts.
    const friday: BlackoutWindow[] = [{ name: "friday-night", "time-zone": "Europe/Berlin", days: ["fri"], start: "18:00", end: "08:00" }];
    it.each([
      ["2026-01-16T16:59:00Z", "open"], // Fri 17:59 CET
      ["2026-01-16T17:00:00Z", ["friday-night", "2026-01-17T07:00:00.000Z"]], // Fri 18:00 CET
      ["2026-01-17T06:59:00Z", ["friday-night", "2026-01-17T07:00:00.000Z"]], // Sat 07:59 CET
      ["2026-01-17T07:00:00Z", "open"], // Sat 08:00
      ["2026-01-17T18:00:00Z", "open"], // Sat 19:00: Saturday is not a start day
      ["2026-01-15T06:00:00Z", "open"], // Thu 07:00: Wednesday night is not in the window
    ])("at %s: %j", (iso, expected) => {
      expect(endsAt(friday, iso)).toEqual(expected);
    });
  });

  describe("whole days", () => {
    it("blocks weekend days and ends at the next local midnight after the last one", () => {
      const weekend: BlackoutWindow[] = [{ name: "weekend", "time-zone": "Asia/Tokyo", days: ["sat", "sun"] }];
      // Friday 23:30 UTC is Saturday 08:30 in Tokyo; Monday 00:00 JST is Sunday 15:00 UTC.
      expect(endsAt(weekend, "2026-01-16T23:30:00Z")).toEqual(["weekend", "2026-01-18T15:00:00.000Z"]);
      expect(endsAt(weekend, "2026-01-16T14:59:00Z")).toEqual("open");
    });

    it("blocks a date range in its own time zone, inclusive of both ends", () => {
      const holidays: BlackoutWindow[] = [{ name: "holidays", "time-zone": "America/New_York", from: "2026-12-24", to: "2026-12-26" }];
      expect(endsAt(holidays, "2026-12-24T04:59:00Z")).toBe("open"); // Dec 23 23:59 EST
      expect(endsAt(holidays, "2026-12-24T05:00:00Z")).toEqual(["holidays", "2026-12-27T05:00:00.000Z"]);
      expect(endsAt(holidays, "2026-12-27T03:00:00Z")).toEqual(["holidays", "2026-12-27T05:00:00.000Z"]); // Dec 26 22:00 EST
      expect(endsAt(holidays, "2026-12-27T05:00:00Z")).toBe("open");
    });

    it("combines days, times and dates: every given part must hold", () => {
      const freeze: BlackoutWindow[] = [
        { name: "december-afternoons", "time-zone": "UTC", days: ["mon", "tue"], start: "13:00", end: "17:00", from: "2026-12-01", to: "2026-12-31" },
      ];
      expect(endsAt(freeze, "2026-12-07T14:00:00Z")).toEqual(["december-afternoons", "2026-12-07T17:00:00.000Z"]); // Monday
      expect(endsAt(freeze, "2026-12-09T14:00:00Z")).toBe("open"); // Wednesday
      expect(endsAt(freeze, "2026-11-30T14:00:00Z")).toBe("open"); // Monday, but November
      expect(endsAt(freeze, "2026-12-07T18:00:00Z")).toBe("open"); // Monday evening
    });
  });

  describe("DST", () => {
    it("ends a window at local 04:00 on the night clocks spring forward in Berlin (an hour earlier in UTC)", () => {
      const night: BlackoutWindow[] = [{ name: "maintenance", "time-zone": "Europe/Berlin", start: "01:00", end: "04:00" }];
      expect(endsAt(night, "2026-03-28T00:30:00Z")).toEqual(["maintenance", "2026-03-28T03:00:00.000Z"]); // CET, +1
      expect(endsAt(night, "2026-03-29T00:30:00Z")).toEqual(["maintenance", "2026-03-29T02:00:00.000Z"]); // CEST after 02:00, +2
      expect(endsAt(night, "2026-03-29T02:00:00Z")).toBe("open"); // 04:00 CEST
    });

    it("runs to the second 02:30 when clocks fall back in Berlin", () => {
      const night: BlackoutWindow[] = [{ name: "maintenance", "time-zone": "Europe/Berlin", start: "00:00", end: "02:30" }];
      expect(endsAt(night, "2026-10-25T00:10:00Z")).toEqual(["maintenance", "2026-10-25T01:30:00.000Z"]); // 02:10 CEST, first pass
      expect(endsAt(night, "2026-10-25T01:10:00Z")).toEqual(["maintenance", "2026-10-25T01:30:00.000Z"]); // 02:10 CET, second pass
      expect(endsAt(night, "2026-10-25T01:30:00Z")).toBe("open");
    });

    it("ends at the jump when the local end time does not exist (New York, 02:30 on 8 March 2026)", () => {
      const night: BlackoutWindow[] = [{ name: "batch", "time-zone": "America/New_York", start: "01:00", end: "02:30" }];
      // 01:30 EST is 06:30 UTC; at 07:00 UTC the clock jumps from 02:00 EST to 03:00 EDT, past 02:30.
      expect(endsAt(night, "2026-03-08T06:30:00Z")).toEqual(["batch", "2026-03-08T07:00:00.000Z"]);
      expect(endsAt(night, "2026-03-08T06:59:59Z")).toEqual(["batch", "2026-03-08T07:00:00.000Z"]);
      expect(endsAt(night, "2026-03-08T07:00:00Z")).toBe("open");
    });

    it("ends at the jump for a window crossing into a skipped hour (found by the property test)", () => {
      const night: BlackoutWindow[] = [{ name: "w", "time-zone": "Europe/Berlin", start: "04:00", end: "02:45" }];
      // Saturday 28 March 04:07 CET; Sunday's 02:45 does not exist: at 01:00 UTC the clock reads 03:00 CEST.
      expect(endsAt(night, "2026-03-28T03:07:00Z")).toEqual(["w", "2026-03-29T01:00:00.000Z"]);
    });

    it("reads whole days across a DST change (23-hour day)", () => {
      const sunday: BlackoutWindow[] = [{ name: "sunday", "time-zone": "America/New_York", days: ["sun"] }];
      // Sunday 8 March 2026 starts 05:00 UTC (EST) and ends at Monday 00:00 EDT = 04:00 UTC.
      expect(endsAt(sunday, "2026-03-08T05:00:00Z")).toEqual(["sunday", "2026-03-09T04:00:00.000Z"]);
      expect(endsAt(sunday, "2026-03-08T04:59:00Z")).toBe("open");
    });
  });

  it("follows windows that touch to when stages may really start again", () => {
    const windows: BlackoutWindow[] = [
      { name: "evening", "time-zone": "UTC", start: "18:00", end: "22:00" },
      { name: "night", "time-zone": "UTC", start: "22:00", end: "06:00" },
    ];
    expect(endsAt(windows, "2026-01-15T19:00:00Z")).toEqual(["evening", "2026-01-16T06:00:00.000Z"]);
    expect(endsAt(windows, "2026-01-16T05:00:00Z")).toEqual(["night", "2026-01-16T06:00:00.000Z"]);
  });
});
