import {
  NO_ESTIMATE, aboutDuration, checkText, countText, countsText, pointLabel, timeText,
} from '/static/sweep-text.js';
import { eq, test } from './assert.js';

test('points × seeds = runs', () => {
  eq(countText({ points: 4, runs: 8 }, 2), '4 points × 2 seeds = 8 runs');
  eq(countText({ points: 1, runs: 1 }, 1), '1 point × 1 seed = 1 run');
  eq(countText({ points: 4, runs: 8 }, '2'), '4 points × 2 seeds = 8 runs', 'seeds read from the counts');
  eq(countText({ points: 250, runs: 1000 }, 4), '250 points × 4 seeds = 1,000 runs');
  eq(countText({ points: 0, runs: 0 }, 3), '0 points × 3 seeds = 0 runs');
  eq(countText({ points: null, runs: null }, 3), '', 'not counted');
  eq(countText({}, 3), '');
  eq(countText(undefined, 3), '');
});

test('durations roughly', () => {
  eq(aboutDuration(0.4), 'about 1 s');
  eq(aboutDuration(40), 'about 40 s');
  eq(aboutDuration(59.6), 'about 1 min');
  eq(aboutDuration(12 * 60 + 20), 'about 12 min');
  eq(aboutDuration(3600), 'about 1 h');
  eq(aboutDuration(2 * 3600 + 5 * 60), 'about 2 h 05 min');
  eq(aboutDuration(30 * 3600 + 600), 'about 30 h');
  eq(aboutDuration(3 * 86400), 'about 3 days');
  eq(aboutDuration(-1), '');
  eq(aboutDuration(null), '');
});

test('the time: one after another, or why there is no estimate', () => {
  eq(timeText({ estimatedSeconds: 720 }), 'about 12 min one after another');
  eq(timeText({ estimatedSeconds: null }), NO_ESTIMATE);
  eq(NO_ESTIMATE, 'no estimate yet: no run on this server has finished an epoch on that backend');
  eq(timeText({}), '');
  eq(timeText(null), '');
});

test('the estimate line: counts, then the time of a sweep without errors', () => {
  eq(checkText({ errors: [], points: 4, runs: 8, estimatedSeconds: 720 }, 2),
    '4 points × 2 seeds = 8 runs · about 12 min one after another');
  eq(checkText({ errors: [], points: 4, runs: 8, estimatedSeconds: null }, 2),
    `4 points × 2 seeds = 8 runs · ${NO_ESTIMATE}`);
  eq(checkText({ errors: [{ field: 'kernel', message: 'must be odd' }], points: 4, runs: 8, estimatedSeconds: null },
    2), '4 points × 2 seeds = 8 runs', 'no time for a sweep that cannot start');
  eq(checkText(null, 2), '');
});

test('a point as the server labels it', () => {
  eq(pointLabel({ kernel: 3, activation: 'sin' }), 'kernel=3, activation=sin');
  eq(pointLabel({ lr: 0.1 + 0.2 }), 'lr=0.3');
  eq(pointLabel({}), '');
  eq(pointLabel(null), '');
});

test('run counts: what is happening first, zeros left out', () => {
  eq(countsText({ completed: 4, queued: 3, running: 1, failed: 0 }), '1 running · 3 queued · 4 completed');
  eq(countsText({ completed: 8 }), '8 completed');
  eq(countsText({ lost: 1, completed: 1 }), '1 completed · 1 lost', 'a status of a later server at the end');
  eq(countsText(null), '');
});
