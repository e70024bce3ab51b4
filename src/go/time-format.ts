// Go's time.Format over a layout made of the reference time (Mon Jan 2 15:04:05 MST 2006), so
// a layout Vault uses or a user writes (`{{timestamp "2006-01-02"}}` in a username template,
// the database plugins' `2006-01-02 15:04:05-0700` expiration) renders as Go renders it.
// Times are rendered in UTC: servers and containers run in UTC, and an explicit zone keeps
// what a database receives unambiguous.

const longDays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const longMonths = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const pad = (value: number, width: number, filler = '0'): string => String(value).padStart(width, filler);

interface Parts {
  year: number;
  month: number; // 1-12
  day: number;
  yearDay: number;
  weekday: number;
  hour: number;
  minute: number;
  second: number;
  nanos: number;
}

function partsOf(epochMs: number, extraNanos: number): Parts {
  const date = new Date(epochMs);
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    yearDay: Math.floor((Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()) - yearStart) / 86_400_000) + 1,
    weekday: date.getUTCDay(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    nanos: date.getUTCMilliseconds() * 1_000_000 + extraNanos,
  };
}

// A fractional second `.000`/`,999` of n digits: zeros keep trailing zeros, nines trim them.
function renderFraction(separator: string, digits: number, trim: boolean, nanos: number): string {
  let text = pad(nanos, 9).slice(0, digits);
  if (trim) {
    text = text.replace(/0+$/, '');
    return text === '' ? '' : separator + text;
  }
  return separator + text;
}

// The layout elements Go recognises, longest first where one is a prefix of another.
const elements: ReadonlyArray<readonly [string, (p: Parts) => string]> = [
  ['January', (p) => longMonths[p.month - 1] ?? ''],
  ['Jan', (p) => (longMonths[p.month - 1] ?? '').slice(0, 3)],
  ['Monday', (p) => longDays[p.weekday] ?? ''],
  ['Mon', (p) => (longDays[p.weekday] ?? '').slice(0, 3)],
  ['MST', () => 'UTC'],
  ['2006', (p) => pad(p.year, 4)],
  ['002', (p) => pad(p.yearDay, 3)],
  ['01', (p) => pad(p.month, 2)],
  ['02', (p) => pad(p.day, 2)],
  ['03', (p) => pad(p.hour % 12 === 0 ? 12 : p.hour % 12, 2)],
  ['04', (p) => pad(p.minute, 2)],
  ['05', (p) => pad(p.second, 2)],
  ['06', (p) => pad(p.year % 100, 2)],
  ['15', (p) => pad(p.hour, 2)],
  ['__2', (p) => pad(p.yearDay, 3, ' ')],
  ['_2', (p) => pad(p.day, 2, ' ')],
  ['-07:00:00', () => '+00:00:00'],
  ['-070000', () => '+000000'],
  ['-07:00', () => '+00:00'],
  ['-0700', () => '+0000'],
  ['-07', () => '+00'],
  ['Z07:00:00', () => 'Z'],
  ['Z070000', () => 'Z'],
  ['Z07:00', () => 'Z'],
  ['Z0700', () => 'Z'],
  ['Z07', () => 'Z'],
  ['PM', (p) => (p.hour >= 12 ? 'PM' : 'AM')],
  ['pm', (p) => (p.hour >= 12 ? 'pm' : 'am')],
  ['1', (p) => String(p.month)],
  ['2', (p) => String(p.day)],
  ['3', (p) => String(p.hour % 12 === 0 ? 12 : p.hour % 12)],
  ['4', (p) => String(p.minute)],
  ['5', (p) => String(p.second)],
];

// time.Time.Format in UTC. `extraNanos` adds sub-millisecond precision a JavaScript Date lacks.
export function formatGoTime(epochMs: number, layout: string, extraNanos = 0): string {
  const parts = partsOf(epochMs, extraNanos);
  let out = '';
  let i = 0;
  while (i < layout.length) {
    // A fractional second is `.0…` or `.9…` (or with a comma) not followed by another digit.
    const fraction = /^[.,](0+|9+)(?!\d)/.exec(layout.slice(i));
    if (fraction) {
      const digits = fraction[1] ?? '';
      out += renderFraction(fraction[0][0] ?? '.', Math.min(digits.length, 9), digits.startsWith('9'), parts.nanos);
      i += fraction[0].length;
      continue;
    }
    const element = elements.find(([name]) => layout.startsWith(name, i) && !((name === 'Jan' || name === 'Mon') && isLower(layout[i + 3])));
    if (element) {
      out += element[1](parts);
      i += element[0].length;
    } else {
      out += layout[i];
      i += 1;
    }
  }
  return out;
}

// Go only takes `Jan`/`Mon` when no lower-case letter follows (so `Janet` stays text).
function isLower(char: string | undefined): boolean {
  return char !== undefined && char >= 'a' && char <= 'z';
}
