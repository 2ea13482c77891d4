// Child processes for the tests: start, wait for a line that says they are ready, stop.

import { spawn } from 'node:child_process';

/**
 * Starts `command args` and resolves once a line of its stdout or stderr matches `ready`
 * (a RegExp), with that match. Rejects with the output so far if it exits or times out first.
 */
export function startProcess(command, args, { ready, timeoutMs = 20000, env, cwd } = {}) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  const handle = {
    child,
    output: () => output.join(''),
    stop: () => stopProcess(child),
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} was not ready within ${timeoutMs} ms:\n${handle.output()}`));
    }, timeoutMs);
    const onData = (chunk) => {
      output.push(chunk.toString());
      const match = ready && handle.output().match(ready);
      if (match && !handle.match) {
        handle.match = match;
        clearTimeout(timer);
        resolve(handle);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${command}: ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!handle.match)
        reject(
          new Error(
            `${command} exited (${code ?? signal}) before it was ready:\n${handle.output()}`,
          ),
        );
    });
  });
}

/** SIGTERM, then SIGKILL if the process has not exited within `graceMs`. */
export async function stopProcess(child, graceMs = 15000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Runs a command to completion and returns its stdout; rejects with stderr on failure. */
export function runCommand(command, args, { timeoutMs = 20000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(' ')} failed (${code}):\n${stderr}`));
    });
  });
}

/** Polls `probe` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor(
  probe,
  { timeoutMs = 15000, intervalMs = 100, what = 'condition' } = {},
) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
