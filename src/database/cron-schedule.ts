import { SecretrunError } from '../errors.js';

// A static role's rotation_schedule: standard cron (minute hour day-of-month month day-of-week,
// with `*`, `?`, lists, ranges, steps and month/day names) or a descriptor (@hourly, @daily,
// @midnight, @weekly, @monthly, @yearly, @annually), as Vault parses it (robfig/cron's standard
// parser). Times are UTC.

// The allowed values of each field.
export interface CronSchedule {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  days: ReadonlySet<number>;
  months: ReadonlySet<number>;
  weekdays: ReadonlySet<number>;
  /** Day of month and day of week both restricted: either may match (cron's rule). */
  eitherDay: boolean;
}

const descriptors: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const monthNames = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const dayNames = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function refuse(text: string, why: string): never {
  throw new SecretrunError('invalid_request', `could not parse rotation_schedule: ${why}`, { hint: `write five fields, e.g. "0 0 * * SAT" (every Saturday at midnight UTC), not ${JSON.stringify(text)}` });
}

function parseValue(part: string, names: readonly string[], offset: number, text: string): number {
  const named = names.indexOf(part.toUpperCase());
  if (named !== -1) return named + offset;
  if (!/^\d+$/.test(part)) refuse(text, `failed to parse int from ${part}`);
  return Number(part);
}

function parseField(field: string, min: number, max: number, names: readonly string[], text: string): { values: Set<number>; star: boolean } {
  const values = new Set<number>();
  let star = false;
  for (const item of field.split(',')) {
    const [range = '', stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) refuse(text, `invalid step in ${item}`);
    let low: number;
    let high: number;
    if (range === '*' || range === '?') {
      [low, high] = [min, max];
      if (stepText === undefined) star = true;
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      [low, high] = [parseValue(a, names, min, text), parseValue(b, names, min, text)];
    } else {
      low = parseValue(range, names, min, text);
      high = stepText === undefined ? low : max;
    }
    if (low < min || high > max || low > high) refuse(text, `${item} is beyond the range ${min}-${max}`);
    for (let value = low; value <= high; value += step) values.add(value);
  }
  return { values, star };
}

// Parses a schedule; invalid_request when it is not one.
export function parseCronSchedule(text: string): CronSchedule {
  const spec = descriptors[text.trim().toLowerCase()] ?? text.trim();
  const fields = spec.split(/\s+/);
  if (fields.length !== 5) refuse(text, `expected exactly 5 fields, found ${fields.length}`);
  const [minute = '', hour = '', day = '', month = '', weekday = ''] = fields;
  const days = parseField(day, 1, 31, [], text);
  const weekdays = parseField(weekday, 0, 7, dayNames, text);
  // 7 is Sunday too.
  if (weekdays.values.delete(7)) weekdays.values.add(0);
  return {
    minutes: parseField(minute, 0, 59, [], text).values,
    hours: parseField(hour, 0, 23, [], text).values,
    days: days.values,
    months: parseField(month, 1, 12, monthNames, text).values,
    weekdays: weekdays.values,
    eitherDay: !days.star && !weekdays.star,
  };
}

function dayMatches(schedule: CronSchedule, date: Date): boolean {
  const dom = schedule.days.has(date.getUTCDate());
  const dow = schedule.weekdays.has(date.getUTCDay());
  return schedule.eitherDay ? dom || dow : dom && dow;
}

// The first time (ms) strictly after `after` that the schedule names; undefined when it names
// none within five years (the 30th of February).
export function nextCronTime(schedule: CronSchedule, after: number): number | undefined {
  const date = new Date(Math.floor(after / 60_000) * 60_000 + 60_000);
  const limit = after + 5 * 366 * 86_400_000;
  while (date.getTime() <= limit) {
    if (!schedule.months.has(date.getUTCMonth() + 1)) {
      date.setUTCMonth(date.getUTCMonth() + 1, 1);
      date.setUTCHours(0, 0, 0, 0);
    } else if (!dayMatches(schedule, date)) {
      date.setUTCDate(date.getUTCDate() + 1);
      date.setUTCHours(0, 0, 0, 0);
    } else if (!schedule.hours.has(date.getUTCHours())) {
      date.setUTCHours(date.getUTCHours() + 1, 0, 0, 0);
    } else if (!schedule.minutes.has(date.getUTCMinutes())) {
      date.setUTCMinutes(date.getUTCMinutes() + 1, 0, 0);
    } else return date.getTime();
  }
  return undefined;
}
