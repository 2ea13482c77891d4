import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startPoller } from '../src/lib/polling.js';

/** A fake clock with timers, and a fake document whose visibility the test sets. */
function fakeEnv(visibility = 'visible') {
  let time = 0;
  let nextId = 1;
  const timers = new Map();
  const listeners = new Set();
  const doc = {
    visibilityState: visibility,
    addEventListener: (type, fn) => type === 'visibilitychange' && listeners.add(fn),
    removeEventListener: (type, fn) => type === 'visibilitychange' && listeners.delete(fn),
  };
  const env = {
    doc,
    now: () => time,
    setTimer: (fn, ms) => {
      const id = nextId++;
      timers.set(id, { fn, at: time + ms });
      return id;
    },
    clearTimer: (id) => timers.delete(id),
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    env,
    doc,
    listeners,
    timers,
    /** Moves the clock forward, firing due timers in order, letting tasks settle between. */
    async advance(ms) {
      const end = time + ms;
      for (;;) {
        await settle();
        const due = [...timers.entries()]
          .filter(([, t]) => t.at <= end)
          .sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        time = due[1].at;
        due[1].fn();
      }
      time = end;
      await settle();
    },
    async setVisibility(state) {
      doc.visibilityState = state;
      for (const fn of [...listeners]) fn();
      await settle();
    },
  };
}

test('polls now and then every interval', async () => {
  const fake = fakeEnv();
  let calls = 0;
  const poller = startPoller(() => calls++, { intervalMs: 1000 }, fake.env);
  await fake.advance(0);
  assert.equal(calls, 1);
  await fake.advance(3000);
  assert.equal(calls, 4);
  poller.stop();
  await fake.advance(5000);
  assert.equal(calls, 4);
  assert.equal(fake.listeners.size, 0, 'stop() removes the listener');
});

test('pauses while the tab is hidden and polls at once when shown again', async () => {
  const fake = fakeEnv();
  let calls = 0;
  const poller = startPoller(() => calls++, { intervalMs: 1000 }, fake.env);
  await fake.advance(1500);
  assert.equal(calls, 2);
  await fake.setVisibility('hidden');
  assert.equal(fake.timers.size, 0, 'no timer while hidden');
  await fake.advance(60_000);
  assert.equal(calls, 2);
  await fake.setVisibility('visible');
  assert.equal(calls, 3, 'one call as soon as the tab is shown');
  await fake.advance(1000);
  assert.equal(calls, 4);
  poller.stop();
});

test('a tab hidden from the start polls only once shown', async () => {
  const fake = fakeEnv('hidden');
  let calls = 0;
  const poller = startPoller(() => calls++, { intervalMs: 1000 }, fake.env);
  await fake.advance(10_000);
  assert.equal(calls, 0);
  await fake.setVisibility('visible');
  assert.equal(calls, 1);
  poller.stop();
});

test('never two calls at once, even when shown again during a call', async () => {
  const fake = fakeEnv();
  let running = 0;
  let most = 0;
  let calls = 0;
  let release;
  const task = () => {
    calls++;
    running++;
    most = Math.max(most, running);
    return new Promise((resolve) => {
      release = () => {
        running--;
        resolve();
      };
    });
  };
  const poller = startPoller(task, { intervalMs: 1000 }, fake.env);
  await fake.advance(0);
  assert.equal(calls, 1);
  await fake.setVisibility('hidden');
  await fake.setVisibility('visible');
  assert.equal(calls, 1, 'the running call is not doubled');
  release();
  await fake.advance(0);
  assert.equal(calls, 2, 'the call missed while hidden follows at once');
  release();
  await fake.advance(1000);
  assert.equal(calls, 3);
  assert.equal(most, 1);
  release();
  poller.stop();
});

test('stops after maxMs of visible time; hidden time does not count', async () => {
  const fake = fakeEnv();
  let calls = 0;
  const running = [];
  startPoller(
    () => calls++,
    { intervalMs: 1000, maxMs: 5000, onRunning: (r) => running.push(r) },
    fake.env,
  );
  await fake.advance(2500); // calls at 0, 1000, 2000
  assert.equal(calls, 3);
  await fake.setVisibility('hidden');
  await fake.advance(600_000);
  await fake.setVisibility('visible'); // call 4, then the window goes on
  assert.equal(calls, 4);
  await fake.advance(10_000);
  assert.ok(calls >= 5 && calls <= 7, `calls: ${calls}`);
  assert.deepEqual(running, [true, false]);
  const after = calls;
  await fake.advance(10_000);
  assert.equal(calls, after);
  assert.equal(fake.listeners.size, 0);
});

test('a failing task does not stop polling', async () => {
  const fake = fakeEnv();
  let calls = 0;
  const poller = startPoller(
    async () => {
      calls++;
      throw new Error('boom');
    },
    { intervalMs: 1000 },
    fake.env,
  );
  await fake.advance(2000);
  assert.equal(calls, 3);
  poller.stop();
});
