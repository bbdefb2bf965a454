/**
 * Stores and local-database files for every entity: a push store per `push` entity; per `live`
 * entity its records, SQL, descriptor and store; and `Live/SyncDatabase.swift` (migrations and
 * the engine factory) when the spec has live entities.
 */
import { syncedSchemaHash } from '@sync/core';
import { docText, stringLiteral } from '../naming.js';
import { plan, type SwiftPlan } from '../plan.js';
import type { TranslateContext } from './context.js';
import { liveEntityPlans } from './live-entity.js';
import { translateLiveStore } from './live-store.js';
import { translatePushStore } from './push-store.js';

export function storePlans(ctx: TranslateContext): SwiftPlan[] {
  const files: SwiftPlan[] = [];
  const live = ctx.ir.entities.filter((e) => e.sync.mode === 'live' && e.primaryKey);
  for (const e of ctx.ir.entities) {
    const n = ctx.names.entities.get(e.name)!;
    if (live.includes(e)) {
      files.push(...liveEntityPlans(ctx, e));
      const store = translateLiveStore(ctx, e);
      if (store) files.push(plan(`Stores/${n.store}.swift`, 'live-store', store));
    } else {
      files.push(plan(`Stores/${n.store}.swift`, 'push-store', translatePushStore(ctx, e)));
    }
  }
  if (live.length > 0) {
    const electric = ctx.options.electricUrl ?? defaultElectricUrl(ctx.options.apiBaseUrl ?? ctx.ir.servers[0] ?? 'http://localhost');
    files.push(
      plan('Live/SyncDatabase.swift', 'live-schema', {
        ...ctx.header(['Foundation', 'GRDB', 'SyncPatternsClient', 'SyncPatternsRuntime']),
        doc: docText('The local database of the live entities: migrations, descriptors and the sync engine.'),
        electricURL: stringLiteral(electric),
        tables: live.map((e) => ({
          table: ctx.names.entities.get(e.name)!.table,
          migration: stringLiteral(`sync-patterns:${e.table}:${syncedSchemaHash(e).slice(0, 16)}`),
        })),
      }),
    );
  }
  return files;
}

/** `<origin of the API server>/v1/shape` (Electric's path); a relative server keeps its path. */
function defaultElectricUrl(server: string): string {
  try {
    return `${new URL(server).origin}/v1/shape`;
  } catch {
    return `${server.replace(/\/$/, '')}/v1/shape`;
  }
}
