// One way to write a moment for people, everywhere the app writes prose: "2026-01-02 07:00 UTC".

/**
 * `iso` to minute precision in UTC. `roundUp` is for "until" moments: a window that ends at
 * 10:30:05 reads "10:31", so nobody who waits until the shown minute is refused again.
 * Text that is not a date comes back unchanged (the caller escapes it).
 */
export function utcMinute(iso: string, options: { roundUp?: boolean } = {}): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const minute = 60_000;
  const at = options.roundUp ? Math.ceil(t / minute) * minute : Math.floor(t / minute) * minute;
  return `${new Date(at).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
