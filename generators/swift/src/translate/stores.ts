/**
 * Stores and local-database files for every entity: a push store per `push` entity; per `live`
 * entity its records, SQL, descriptor and store; and `Live/SyncDatabase.swift` (migrations and
 * the engine factory) when the spec has live entities.
 */
import { syncedSchemaHash, type GeneratedFile } from '@sync/core';
import { docComment, stringLiteral } from '../naming.js';
import { render } from '../render.js';
import type { TranslateContext } from './context.js';
import { liveEntityFiles } from './live-entity.js';
import { translateLiveStore } from './live-store.js';
import { translatePushStore } from './push-store.js';

export function storeFiles(ctx: TranslateContext): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  const live = ctx.ir.entities.filter((e) => e.sync.mode === 'live' && e.primaryKey);
  for (const e of ctx.ir.entities) {
    const n = ctx.names.entities.get(e.name)!;
    if (live.includes(e)) {
      files.push(...liveEntityFiles(ctx, e));
      const store = translateLiveStore(ctx, e);
      if (store) files.push({ path: `Stores/${n.store}.swift`, contents: render('live-store', store) });
    } else {
      files.push({ path: `Stores/${n.store}.swift`, contents: render('push-store', translatePushStore(ctx, e)) });
    }
  }
  if (live.length > 0) {
    const electric = ctx.options.electricUrl ?? defaultElectricUrl(ctx.options.apiBaseUrl ?? ctx.ir.servers[0] ?? 'http://localhost');
    files.push({
      path: 'Live/SyncDatabase.swift',
      contents: render('live-schema', {
        imports: ['Foundation', 'GRDB', 'SyncPatternsClient', 'SyncPatternsRuntime'],
        doc: docComment('The local database of the live entities: migrations, descriptors and the sync engine.'),
        electricURL: stringLiteral(electric),
        tables: live.map((e) => {
          const n = ctx.names.entities.get(e.name)!;
          return { ref: `${n.table}.table`, migration: stringLiteral(`sync-patterns:${e.table}:${syncedSchemaHash(e).slice(0, 16)}`) };
        }),
      }),
    });
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
