// The `dynamorm` command line as a user runs it: help, usage errors, config errors, exit codes,
// and `local` (DynamoDB Local in the foreground, stopped by Ctrl-C).
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, test } from 'vitest';
import { runCli, scratchDir, startCli } from './support/run-cli.js';

describe('the command line', () => {
  test('no command: the help on stderr, exit code 2', async () => {
    const result = await runCli([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: dynamorm [options] [command]');
    expect(result.stderr).toContain('Exit codes: 0 done, 1 failed, 2 bad command line, 3 config missing or broken, 4 refused, 5 incomplete.');
  });

  test('an unknown command: a clear message and the help, exit code 2', async () => {
    const result = await runCli(['migrat']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: unknown command 'migrat'/);
    expect(result.stderr).toContain('Usage: dynamorm [options] [command]');
  });

  test('an unknown flag: named, with the command\'s help, exit code 2', async () => {
    const result = await runCli(['codegen', '--tabel', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: unknown option '--tabel'/);
    expect(result.stderr).toContain('Usage: dynamorm codegen [options]');
  });

  test('--help on a command: its options and the global ones on stdout, exit code 0', async () => {
    const result = await runCli(['codegen', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: dynamorm codegen [options]');
    expect(result.stdout).toContain('--sample <count>');
    expect(result.stdout).toContain('--endpoint <url>');
  });
});

describe('the config file', () => {
  test('a config that fails to load: the file and the error, exit code 3', async () => {
    const dir = scratchDir('broken-config');
    writeFileSync(join(dir, 'dynamorm.config.ts'), "import { model } from 'dynamorm';\nexport default { models: [model('Bad', { attributes: {} })] };\n");
    const result = await runCli(['codegen', '--table', 'anything'], dir);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^error: Could not load dynamorm\.config\.ts: .*Bad.*partition key/);
  });

  test('a --config that does not exist: named, exit code 3', async () => {
    const dir = scratchDir('no-config');
    const result = await runCli(['--config', 'nowhere.config.ts', 'codegen', '--table', 'anything'], dir);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`error: Config file nowhere.config.ts not found (looked for ${join(dir, 'nowhere.config.ts')}).`);
  });
});

describe('dynamorm local', () => {
  test('serves DynamoDB Local in the foreground until Ctrl-C, then stops it and exits 0', async () => {
    const child = startCli(['local', '--json']);
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    while (!stdout.includes('\n')) await once(child.stdout!, 'data');
    const { endpoint } = JSON.parse(stdout.split('\n')[0]!) as { endpoint: string };
    const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await expect(client.send(new ListTablesCommand({}))).resolves.toMatchObject({ TableNames: [] });
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    await expect(fetch(endpoint)).rejects.toThrow();
    client.destroy();
  });
});
