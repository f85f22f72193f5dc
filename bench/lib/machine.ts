/** The machine and the versions, for the report. */
import { readFileSync, existsSync } from 'node:fs';
import os from 'node:os';

export function loadAverage(): number {
  return os.loadavg()[0] ?? Number.NaN;
}
import { fileURLToPath } from 'node:url';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memory: string;
  os: string;
  node: string;
  java?: string;
  /** 1-minute load average at the start and at the end of the run (other processes share the CPU). */
  loadStart: number;
  loadEnd?: number;
}

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function machineInfo(java?: string): MachineInfo {
  const cpus = os.cpus();
  const info: MachineInfo = {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadStart: os.loadavg()[0] ?? Number.NaN,
  };
  if (java) info.java = java;
  return info;
}

/** Version of an installed package, read from node_modules (or the workspace package). */
export function packageVersion(name: string): string {
  const candidates = [
    `${REPO_ROOT}node_modules/${name}/package.json`,
    ...(name === 'dynamorm' ? [`${REPO_ROOT}packages/dynamorm/package.json`] : []),
  ];
  for (const file of candidates) {
    if (existsSync(file)) {
      try {
        return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? 'unknown';
      } catch {
        return 'unknown';
      }
    }
  }
  return 'not installed';
}
