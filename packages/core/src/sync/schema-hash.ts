/**
 * Contract §6 (docs/sync-runtime-contract.md): the hash a runtime stores per live entity to notice
 * that the synced columns changed (then it drops `T_synced` and resyncs). SHA-256, hex, of the
 * synced columns in IR order as `name:storage:nullable`, joined by newlines. One definition for
 * every target, so React, Swift and Kotlin agree by construction.
 */
import { createHash } from 'node:crypto';
import type { Entity } from '../ir/types.js';

export function syncedSchemaHash(entity: Pick<Entity, 'columns'>): string {
  const list = entity.columns
    .filter((c) => c.synced)
    .map((c) => `${c.name}:${c.storage}:${c.nullable}`);
  return createHash('sha256').update(list.join('\n')).digest('hex');
}
