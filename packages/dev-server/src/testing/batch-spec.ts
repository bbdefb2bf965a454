/**
 * The CRM fixture plus the batch write operation of fixtures/dev-server/sync-batch.yaml: both
 * copied to a temp folder, the CRM's `paths` gaining `/sync/batch: {$ref: ./sync-batch.yaml#/path}`,
 * and loaded. The spec the batch tests and benchmarks run against.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpec, type SyncIR } from '@sync/core';

/** Writes the CRM + batch spec into a fresh temp folder; returns its `openapi.yaml`. */
export function writeCrmBatchSpec(root: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sp-crm-batch-'));
  const crm = readFileSync(join(root, 'fixtures/crm/openapi.yaml'), 'utf8');
  if (!/^paths:\n/m.test(crm)) throw new Error('fixtures/crm/openapi.yaml has no top-level paths:');
  writeFileSync(
    join(dir, 'openapi.yaml'),
    crm.replace(/^paths:\n/m, "paths:\n  /sync/batch:\n    $ref: './sync-batch.yaml#/path'\n"),
  );
  copyFileSync(join(root, 'fixtures/dev-server/sync-batch.yaml'), join(dir, 'sync-batch.yaml'));
  return join(dir, 'openapi.yaml');
}

/** Loads the CRM + batch spec; throws on any spec error. */
export async function crmBatchIr(root: string): Promise<SyncIR> {
  const file = writeCrmBatchSpec(root);
  const r = await loadSpec(file, { cwd: join(file, '..') });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (r.ir === null || errors.length > 0 || r.ir.batch === undefined)
    throw new Error(`crm + batch did not load: ${errors.map((d) => d.message).join('; ')}`);
  return r.ir;
}
