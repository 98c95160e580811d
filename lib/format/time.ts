const clock = new Intl.DateTimeFormat("en-GB", {
  hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false, timeZone: "UTC",
});
const day = new Intl.DateTimeFormat("en-GB", { day: "2-digit", month: "short", timeZone: "UTC" });
const dateClock = new Intl.DateTimeFormat("en-GB", {
  year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
  hour12: false, timeZone: "UTC",
});

/** Time of day in UTC: "14:03:27". */
export function formatClock(ts: number): string {
  return clock.format(ts);
}

/** The day in UTC: "22 Nov". */
export function formatDay(ts: number): string {
  return day.format(ts);
}

/** Date and time in UTC: "22/11/2026, 14:03:27". */
export function formatDateTime(ts: number): string {
  return dateClock.format(ts);
}

/** A countdown: "42 s", "1:05 min"; "now" at or below zero. */
export function formatCountdown(ms: number): string {
  if (!(ms > 0)) return "now";
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")} min`;
}

/** A duration in words for sentences: "30 s", "2 min". */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  return `${Math.round(s / 60)} min`;
}

/** Time left until a deadline, counting seconds: "2 d 03:04:05", "3:04:05", "0:04:05"; "0:00:00" once past. */
export function formatTimeLeft(ms: number): string {
  const s = ms > 0 ? Math.ceil(ms / 1000) : 0;
  const days = Math.floor(s / 86_400);
  const hms = `${Math.floor((s % 86_400) / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
  return days > 0 ? `${days} d ${hms.padStart(8, "0")}` : hms;
}
