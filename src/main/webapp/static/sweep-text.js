// Sweeps in words: the sweep form's "4 points × 2 seeds = 8 runs" and its time estimate, a sweep point's label, and
// a sweep's run counts for the runs page. Pure: no DOM, no network.
import { numberText, valueText } from './config-fields.js';

const plural = (n, word) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
const isCount = n => Number.isSafeInteger(n) && n >= 0;

/**
 * "4 points × 2 seeds = 8 runs": what a check ({points, runs}) counts, with the seeds per point that were asked for
 * (read from the counts when not a whole number); "" while the server could not count.
 */
export function countText({ points, runs } = {}, seeds) {
  if (!isCount(points) || !isCount(runs)) return '';
  const s = isCount(seeds) && seeds * points === runs ? seeds : points > 0 ? runs / points : NaN;
  if (!isCount(s)) return `${plural(points, 'point')} = ${plural(runs, 'run')}`;
  return `${plural(points, 'point')} × ${plural(s, 'seed')} = ${plural(runs, 'run')}`;
}

/** Seconds as a rough duration: "about 40 s", "about 12 min", "about 2 h 05 min", "about 30 h", "about 3 days". */
export function aboutDuration(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 59.5) return `about ${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h < 10) return `about ${h} h${m ? ` ${String(m).padStart(2, '0')} min` : ''}`;
  if (h < 48) return `about ${Math.round(minutes / 60)} h`;
  return `about ${Math.round(minutes / 1440)} days`;
}

/** The message for a check whose estimatedSeconds is null: the server has no speed to go by yet. */
export const NO_ESTIMATE = 'no estimate yet: no run on this server has finished an epoch on that backend';

/**
 * The time a check estimates ({estimatedSeconds}): "about 12 min one after another", the reason there is none when
 * it is null, "" when the check said nothing of it (as for a sweep it refused).
 */
export function timeText(check) {
  if (!check || check.estimatedSeconds === undefined) return '';
  if (check.estimatedSeconds === null) return NO_ESTIMATE;
  const about = aboutDuration(check.estimatedSeconds);
  return about ? `${about} one after another` : '';
}

/**
 * The sweep form's estimate line for a check and the seeds asked for: the counts, then (for a sweep without
 * errors) the time, "4 points × 2 seeds = 8 runs · about 12 min one after another".
 */
export function checkText(check, seeds) {
  if (!check) return '';
  const errors = Array.isArray(check.errors) ? check.errors.length : 0;
  return [countText(check, seeds), errors ? '' : timeText(check)].filter(Boolean).join(' · ');
}

/** A sweep point {field: value} as the server labels it: "kernel=3, activation=sin"; "" for none. */
export function pointLabel(point) {
  if (!point || typeof point !== 'object') return '';
  return Object.entries(point)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? numberText(v) : valueText(v)}`).join(', ');
}

/** The order a sweep's run counts are listed in: what is happening first. */
const COUNT_ORDER = ['running', 'queued', 'completed', 'interrupted', 'failed', 'cancelled'];

/** A sweep's runs by status ({status: runs}) as "1 running · 3 queued · 4 completed", zeros left out. */
export function countsText(counts) {
  if (!counts || typeof counts !== 'object') return '';
  const statuses = [...COUNT_ORDER.filter(s => s in counts), ...Object.keys(counts).filter(s => !COUNT_ORDER.includes(s))];
  return statuses.filter(s => Number(counts[s]) > 0).map(s => `${counts[s]} ${s}`).join(' · ');
}
