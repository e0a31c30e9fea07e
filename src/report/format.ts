/** Small text helpers shared by messages, summaries and viewers. */

/** A value as it may be quoted in a message: JSON-quoted, control characters escaped, long values cut. */
export function show(value: unknown, max = 120): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** "41 min", "2 h 5 min", "12 s", "3 d 4 h". */
export function humanDuration(seconds: number): string {
  const s = Math.round(Math.abs(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) {
    const m = Math.floor((s % 3600) / 60);
    return `${Math.floor(s / 3600)} h${m ? ` ${m} min` : ''}`;
  }
  const h = Math.floor((s % 86_400) / 3600);
  return `${Math.floor(s / 86_400)} d${h ? ` ${h} h` : ''}`;
}

export function isoFromEpoch(seconds: number): string | null {
  const ms = seconds * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return null;
  return new Date(ms).toISOString();
}

/**
 * `date.toISOString()`, with the part up to the second kept from the last call: reports are
 * stamped many times a second, and the full conversion costs a few microseconds a call under load.
 * Only four-digit years (the ISO form toISOString gives them is "YYYY-MM-DDTHH:MM:SS.mmmZ").
 */
let lastSecond = Number.NaN;
let lastPrefix = '';
export function isoTime(date: Date): string {
  const ms = date.getTime();
  if (!(ms >= 0 && ms < 253_402_300_800_000)) return date.toISOString();
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastPrefix = date.toISOString().slice(0, 20);
    lastSecond = second;
  }
  const milli = ms - second * 1000;
  return `${lastPrefix}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}
