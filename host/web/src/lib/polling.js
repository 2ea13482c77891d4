// Repeats a request every few seconds for a bounded time, never two at once.

import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/**
 * Calls `task` now and then every `intervalMs` (after the previous call settled) until `maxMs`
 * have passed since the last (re)start. `restart()` starts a new window. `running` is false once
 * the window closed. Changing `key` restarts too (e.g. another agent).
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
    let cancelled = false;
    let timer = null;
    const startedAt = Date.now();
    setRunning(true);
    const tick = async () => {
      try {
        await taskRef.current();
      } catch {
        // The task shows its own errors; polling goes on.
      }
      if (cancelled) return;
      if (Date.now() - startedAt + intervalMs > maxMs) {
        setRunning(false);
        return;
      }
      timer = setTimeout(tick, intervalMs);
    };
    tick();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [enabled, generation, key, intervalMs, maxMs]);

  const restart = useCallback(() => setGeneration((g) => g + 1), []);
  return { running, restart };
}
