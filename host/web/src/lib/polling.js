// Repeats a request every few seconds for a bounded time, never two at once, and not while the tab
// is hidden: polling pauses when the page is in the background and runs again at once when it is
// shown. The time spent hidden does not count toward the bounded time.

import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

function isHidden(doc) {
  return Boolean(doc) && doc.visibilityState === 'hidden';
}

/**
 * The poller itself, free of Preact so it can be tested with a fake document and timers.
 * Calls `task` now and then every `intervalMs` (after the previous call settled) until `maxMs` of
 * visible time have passed. onRunning(bool) reports when the window closes. Returns {stop}.
 * env: {doc, setTimer, clearTimer, now} (defaults: the page's document, setTimeout, Date.now).
 */
export function startPoller(
  task,
  { intervalMs, maxMs = Infinity, onRunning = () => {} },
  env = {},
) {
  const doc = 'doc' in env ? env.doc : typeof document === 'undefined' ? null : document;
  const setTimer = env.setTimer || ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = env.clearTimer || ((id) => clearTimeout(id));
  const now = env.now || (() => Date.now());

  let stopped = false;
  let timer = null;
  let inFlight = false;
  let pending = false; // shown again while a call was running: go on as soon as it settles
  let activeMs = 0; // visible time counted toward maxMs, up to visibleSince
  let visibleSince = isHidden(doc) ? null : now();

  const elapsed = () => activeMs + (visibleSince === null ? 0 : now() - visibleSince);

  function schedule() {
    if (stopped || isHidden(doc)) return;
    if (elapsed() + intervalMs > maxMs) {
      stopped = true;
      detach();
      onRunning(false);
      return;
    }
    timer = setTimer(tick, intervalMs);
  }

  async function tick() {
    timer = null;
    if (stopped) return;
    if (isHidden(doc)) return; // resumed by the visibility listener
    inFlight = true;
    try {
      await task();
    } catch {
      // The task shows its own errors; polling goes on.
    }
    inFlight = false;
    if (pending) {
      pending = false;
      if (!stopped && !isHidden(doc)) {
        tick();
        return;
      }
    }
    schedule();
  }

  function onVisibility() {
    if (stopped) return;
    if (isHidden(doc)) {
      if (visibleSince !== null) activeMs += now() - visibleSince;
      visibleSince = null;
      if (timer !== null) clearTimer(timer);
      timer = null;
      return;
    }
    if (visibleSince !== null) return; // it was not hidden
    visibleSince = now();
    if (inFlight) {
      pending = true;
      return;
    }
    tick();
  }

  function detach() {
    if (doc && doc.removeEventListener) doc.removeEventListener('visibilitychange', onVisibility);
  }

  if (doc && doc.addEventListener) doc.addEventListener('visibilitychange', onVisibility);
  onRunning(true);
  tick();

  return {
    stop() {
      stopped = true;
      if (timer !== null) clearTimer(timer);
      timer = null;
      detach();
    },
  };
}

/**
 * The poller as a hook. `restart()` starts a new window. `running` is false once the window
 * closed. Changing `key` restarts too (e.g. another agent); `enabled: false` stops it.
 */
export function usePolling(task, { intervalMs, maxMs = Infinity, enabled = true, key = '' }) {
  const taskRef = useRef(task);
  taskRef.current = task;
  const [generation, setGeneration] = useState(0);
  const [running, setRunning] = useState(enabled);

  useEffect(() => {
    if (!enabled) {
      setRunning(false);
      return undefined;
    }
    const poller = startPoller(() => taskRef.current(), {
      intervalMs,
      maxMs,
      onRunning: setRunning,
    });
    return () => poller.stop();
  }, [enabled, generation, key, intervalMs, maxMs]);

  const restart = useCallback(() => setGeneration((g) => g + 1), []);
  return { running, restart };
}
