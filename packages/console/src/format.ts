/** @module format — dates and labels as the console shows them. */

const dateFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** Seconds since the epoch → "12 Mar 2027". */
export function formatDate(seconds: number): string {
  return dateFormat.format(new Date(seconds * 1000));
}

export function formatDateTime(seconds: number): string {
  return dateTimeFormat.format(new Date(seconds * 1000));
}

/** Machine-readable date for `<time dateTime>`. */
export function isoDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/** `YYYY-MM-DD` of a date input → the end of that day, local time, in seconds. */
export function endOfDay(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59);
  return Math.floor(date.getTime() / 1000);
}

/** Seconds → the `YYYY-MM-DD` a date input shows (local time). */
export function dateInputValue(seconds: number): string {
  const d = new Date(seconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Today as a date input value (the earliest expiry one can choose). */
export function today(): string {
  return dateInputValue(Math.floor(Date.now() / 1000));
}

/** A short, readable form of a resource type (the last segment of a URI). */
export function typeLabel(type: string | null): string {
  if (!type) return '—';
  const last = type.replace(/[/#]+$/, '').split(/[/#:]/).pop();
  return last && last.length > 0 ? last : type;
}

/** One or two letters standing for a resource when it has no icon we may show. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return ((words[0]?.[0] ?? '?') + (words[1]?.[0] ?? '')).toUpperCase();
}

/** Whether the page may show this icon under its Content-Security-Policy (same origin or data:). */
export function showableIcon(uri: string | null): string | null {
  if (!uri) return null;
  if (uri.startsWith('data:image/')) return uri;
  try {
    const url = new URL(uri, location.href);
    return url.origin === location.origin ? url.href : null;
  } catch {
    return null;
  }
}
