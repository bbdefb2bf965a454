import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sp-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(text: string) {
  await writeFile(path.join(dir, 'sync-patterns.config.yaml'), text);
  return loadConfig({ cwd: dir, knownTargets: ['react', 'swift', 'kotlin'] });
}

describe('kotlin target options', () => {
  it('passes package and databaseVersion through as typed options', async () => {
    const config = await load(
      'targets:\n  kotlin: { out: ./gen, package: com.example.sync, databaseVersion: 3 }\n',
    );
    expect(config?.targets.kotlin).toEqual({
      out: path.join(dir, 'gen'),
      options: { package: 'com.example.sync', databaseVersion: 3 },
    });
  });

  it.each([
    ['databaseVersion: "3"', /:2:57: targets\.kotlin\.databaseVersion must be a whole number ≥ 1/],
    ['databaseVersion: 0', /databaseVersion must be a whole number ≥ 1/],
    ['databaseVersion: 1.5', /databaseVersion must be a whole number ≥ 1/],
  ])('rejects %s with its location', async (option, message) => {
    await expect(
      load(`targets:\n  kotlin: { package: com.example.sync, ${option} }\n`),
    ).rejects.toThrow(message);
  });

  it('databaseVersion is a Kotlin-only key', async () => {
    await expect(load('targets:\n  react: { databaseVersion: 2 }\n')).rejects.toThrow(
      /unknown key "databaseVersion" in targets\.react/,
    );
  });
});
