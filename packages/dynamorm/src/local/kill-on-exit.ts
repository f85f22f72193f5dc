import type { ChildProcess } from 'node:child_process';

// DynamoDB Local processes still running; killed when Node exits so none outlives it.
const live = new Set<ChildProcess>();
// Node's default action for these signals skips 'exit' handlers, so they get one of their own.
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function killAll(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  uninstall();
  // Nobody else handles the signal: raise it again so Node dies of it as it would have.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  process.on('exit', killAll);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  process.off('exit', killAll);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/** Kills `child` if Node exits (or gets SIGINT/SIGTERM/SIGHUP) while it still runs. */
export function killOnExit(child: ChildProcess): void {
  if (live.size === 0) install();
  live.add(child);
  child.once('exit', () => {
    live.delete(child);
    if (live.size === 0) uninstall();
  });
}
