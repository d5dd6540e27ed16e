// A tiny test harness for the dashboard's script modules: test() registers a test, the assertions throw on a
// mismatch. The runner (runner.js) imports each *.test.js module and runs what it registered.

const registered = [];

/** Registers a test; fn may return a promise. */
export function test(name, fn) {
  registered.push({ name, fn });
}

/** The tests registered since the last call, for the runner. */
export function takeTests() {
  return registered.splice(0, registered.length);
}

export class AssertionError extends Error {}

function show(v) {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Set) return `Set ${show([...v])}`;
  try {
    return JSON.stringify(v, (k, x) => (ArrayBuffer.isView(x) ? Array.from(x) : x));
  } catch (e) {
    return String(v);
  }
}

export function ok(value, message = 'expected a true value') {
  if (!value) throw new AssertionError(`${message} (got ${show(value)})`);
}

/** Same value (Object.is). */
export function eq(actual, expected, message = '') {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(`${message ? `${message}: ` : ''}expected ${show(expected)}, got ${show(actual)}`);
  }
}

/** Same JSON (arrays, plain objects, typed arrays as arrays, sets as arrays). */
export function deepEq(actual, expected, message = '') {
  const norm = v => show(v instanceof Set ? [...v] : v);
  if (norm(actual) !== norm(expected)) {
    throw new AssertionError(`${message ? `${message}: ` : ''}expected ${norm(expected)}, got ${norm(actual)}`);
  }
}

export function near(actual, expected, tolerance = 1e-9, message = '') {
  if (!(Math.abs(actual - expected) <= tolerance)) {
    throw new AssertionError(`${message ? `${message}: ` : ''}expected ${expected} ± ${tolerance}, got ${actual}`);
  }
}

/** fn() throws an error whose message matches the pattern. */
export function throws(fn, pattern, message = '') {
  try {
    fn();
  } catch (e) {
    if (pattern && !pattern.test(String(e && e.message))) {
      throw new AssertionError(`${message ? `${message}: ` : ''}threw "${e && e.message}", expected ${pattern}`);
    }
    return e;
  }
  throw new AssertionError(`${message ? `${message}: ` : ''}expected an error matching ${pattern}`);
}

/**
 * Timers whose time moves only when told: setTimeout/clearTimeout as the modules take them, and advance(ms), which
 * runs every timer due by then (in time order, those set meanwhile included).
 */
export function fakeTimers() {
  let now = 0;
  let next = 1;
  const due = new Map();
  return {
    setTimeout(fn, ms = 0) {
      const id = next++;
      due.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(id) {
      due.delete(id);
    },
    pending() {
      return due.size;
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const [id, t] = [...due].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0]
          || [];
        if (id === undefined) break;
        due.delete(id);
        now = t.at;
        t.fn();
      }
      now = end;
    },
  };
}

/** Lets pending promise callbacks run. */
export function settle() {
  return new Promise(resolve => setTimeout(resolve, 0));
}
