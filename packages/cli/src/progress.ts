import { SingleBar, Presets } from 'cli-progress';

/** Progress of long work, counted in items. */
export interface Progress {
  update(done: number, total?: number): void;
  stop(): void;
}

const quiet: Progress = { update: () => {}, stop: () => {} };

/**
 * A progress bar on stderr, only when stderr is a terminal and the output is not JSON: pipes,
 * CI logs and scripts see nothing of it.
 */
export function progress(label: string, options: { json: boolean; total?: number }): Progress {
  if (options.json || process.stderr.isTTY !== true) return quiet;
  const bar = new SingleBar({ format: `${label} [{bar}] {value}{totalText}`, stream: process.stderr, hideCursor: true, clearOnComplete: true }, Presets.shades_classic);
  const totalText = (total: number | undefined): string => (total === undefined ? '' : `/${total}`);
  bar.start(options.total ?? 0, 0, { totalText: totalText(options.total) });
  return {
    update(done, total) {
      if (total !== undefined) bar.setTotal(total);
      bar.update(done, { totalText: totalText(total ?? options.total) });
    },
    stop: () => bar.stop(),
  };
}
