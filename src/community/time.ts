// Date helpers for the report: hour differences and ISO 8601 with the local offset.
const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 24 * MS_PER_HOUR;

export function hoursBetween(fromIso: string, to: string | Date): number {
  const toMs = typeof to === "string" ? Date.parse(to) : to.getTime();
  return (toMs - Date.parse(fromIso)) / MS_PER_HOUR;
}

function pad(n: number, width = 2): string {
  return Math.abs(n).toString().padStart(width, "0");
}

/** ISO 8601 in local time with its UTC offset, as the seed's collected_on ("2023-07-05T16:31:50.552+03:00"). */
export function formatIsoWithOffset(date: Date): string {
  const offsetMinutes = -date.getTimezoneOffset();
  const sign = offsetMinutes >= 0 ? "+" : "-";
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}` +
    `${sign}${pad(Math.trunc(offsetMinutes / 60))}:${pad(offsetMinutes % 60)}`
  );
}

/** A duration for messages: whole seconds from 10 s on, tenths below ("0.5 s", "12 s"). */
export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${seconds >= 10 ? Math.round(seconds) : Number(seconds.toFixed(1))} s`;
}
