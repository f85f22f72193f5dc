// The `dynamorm` bin run as a user runs it: node on the built file, in a working directory of the
// repository (so that configs resolve `dynamorm` as an installed package does).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
/** Where tests write configs and generated files: inside the repository, ignored by git. */
export const GENERATED = fileURLToPath(new URL('../.generated/', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A fresh directory under GENERATED. */
export function scratchDir(name: string): string {
  mkdirSync(GENERATED, { recursive: true });
  return mkdtempSync(join(GENERATED, `${name}-`));
}

export function startCli(args: readonly string[], cwd: string = GENERATED): ChildProcess {
  mkdirSync(cwd, { recursive: true });
  return spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs `dynamorm ...args` to its end. */
export function runCli(args: readonly string[], cwd?: string): Promise<CliResult> {
  const child = startCli(args, cwd);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
