// Runs the test modules it is given (window.runTests(['/test/frame.test.js', ...])) one after the other and
// answers one result per test: {module, name, ok, message}. A module that cannot be imported is one failed result.
import { takeTests } from './assert.js';

const TEST_TIMEOUT_MS = 5000;

function withTimeout(promise, name) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not finish within ${TEST_TIMEOUT_MS} ms`)), TEST_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function runModule(module) {
  takeTests(); // nothing left over from an earlier module
  try {
    await import(module);
  } catch (e) {
    return [{ module, name: '(import)', ok: false, message: `cannot import ${module}: ${e && e.stack || e}` }];
  }
  const results = [];
  for (const { name, fn } of takeTests()) {
    document.getElementById('fixture').replaceChildren();
    try {
      await withTimeout(Promise.resolve().then(fn), name);
      results.push({ module, name, ok: true, message: '' });
    } catch (e) {
      results.push({ module, name, ok: false, message: String(e && e.stack || e) });
    }
  }
  if (results.length === 0) {
    results.push({ module, name: '(tests)', ok: false, message: 'the module registered no test' });
  }
  return results;
}

window.runTests = async modules => {
  const all = [];
  for (const m of modules) all.push(...await runModule(m));
  return all;
};
document.body.dataset.ready = 'true';
