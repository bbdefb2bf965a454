/**
 * The live schema passes the entity's bindings (IR Entity.bindings, issue #10) to the runtime:
 * each write operation lists, beside its path parameters, the required query and header
 * parameters core bound to a column, so the runtime sends them (packages/react-runtime
 * outbox/send.ts). On fixtures/dev-server/concurrency.openapi.yaml: `?expected_version=` ←
 * `version` (x-sync-bind), `?version=` ← `version` (by name), header `X-Expected-Version` ←
 * `version`. The generated code type-checks.
 */
import path from 'node:path';
import { loadSpec } from '@sync/core';
import { describe, expect, it } from 'vitest';
import { generateReact } from './generate.js';
import { repoRoot, typeCheck } from './testing/compile.js';

describe('bound write parameters in the live schema', () => {
  it('lists query and header bindings with their columns', async () => {
    const { ir } = await loadSpec(path.join('fixtures/dev-server/concurrency.openapi.yaml'), {
      cwd: repoRoot,
    });
    if (ir === null) throw new Error('fixture did not load');
    const result = await generateReact(ir);
    // Compared without whitespace and trailing commas: Prettier decides the line breaks.
    const flat = (code: string) => code.replace(/\s+/g, '').replace(/,(?=[\]}])/g, '');
    const text = result.files.map((f) => flat(f.contents)).join('\n');
    // The update is the PATCH (`?version=` by name); the delete binds the header.
    expect(text).toContain(
      flat(
        "params: [{ name: 'id', column: 'id' }, { name: 'version', column: 'version', in: 'query' }]",
      ),
    );
    expect(text).toContain(
      flat(
        "params: [{ name: 'id', column: 'id' }, { name: 'X-Expected-Version', column: 'version', in: 'header' }]",
      ),
    );
    expect(typeCheck(result.files, 'bindings')).toEqual([]);
  }, 120_000);
});
