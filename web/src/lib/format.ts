/** Dates and times in the city's time zone (never the browser's). */
const weekdays = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(instant: Date, timeZone: string): Parts {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(instant);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: n('year'), month: n('month'), day: n('day'), hour: n('hour') % 24, minute: n('minute'), second: n('second') };
}

const pad = (n: number) => String(n).padStart(2, '0');
const weekdayOf = (p: Parts) => weekdays[new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay()];
const parse = (iso: string | undefined) => {
  if (!iso) return undefined;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
};

/** `2026-10-12` (the city-local date of an instant). */
export function localDate(iso: string, timeZone: string): string {
  const d = parse(iso);
  if (!d) return '';
  const p = partsIn(d, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** A deadline: `2026年10月12日 周一` (a date alone, `YYYY-MM-DD`, is taken as that calendar day). */
export function formatDeadline(iso: string | undefined, timeZone: string): string {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const d = parse(iso);
  const p = m
    ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: 0, minute: 0, second: 0 }
    : d
      ? partsIn(d, timeZone)
      : undefined;
  return p ? `${p.year}年${p.month}月${p.day}日 ${weekdayOf(p)}` : '—';
}

/** A moment: `2026年10月12日 14:05`. */
export function formatDateTime(iso: string | undefined, timeZone: string): string {
  const d = parse(iso);
  if (!d) return '—';
  const p = partsIn(d, timeZone);
  return `${p.year}年${p.month}月${p.day}日 ${pad(p.hour)}:${pad(p.minute)}`;
}

/** Minutes the zone is ahead of UTC at that instant (Asia/Shanghai: 480). */
function offsetMinutes(instant: Date, timeZone: string): number {
  const p = partsIn(instant, timeZone);
  return Math.round(
    (Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(instant.getTime() / 1000) * 1000) / 60_000,
  );
}

/** A wall-clock time in the city (`2026-10-12T14:05:00`, from a date picker) as ISO 8601 with the city's offset. */
export function wallTimeToIso(wall: string, timeZone: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(wall);
  if (!m) return wall;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  let off = offsetMinutes(new Date(asUtc), timeZone);
  off = offsetMinutes(new Date(asUtc - off * 60_000), timeZone);
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** The current wall-clock time in the city, for a date picker's default (`2026-10-12T14:05:00`). */
export function nowWallTime(timeZone: string, now = new Date()): string {
  const p = partsIn(now, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:00`;
}
