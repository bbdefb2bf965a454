/**
 * Builder of the lines of a live store that need layout (fitted into 100 columns): the
 * initializer and method signatures, the `self.engine` write calls, and the scope of a nested
 * store (`scope = scope.filter(…)`). The rest of the store is its template (`live-store.swift.hbs`).
 */
import { fitCall } from './layout.js';
import type { LiveStoreModel } from '../view-models.js';
import { signature } from './signature.js';

/** `<binding>self.engine.<method>(…)` inside `try await write { }` (six spaces). */
const engineCall = (head: string, args: string[]): string => fitCall(head, args, '      ');

export function printLiveStore(view: LiveStoreModel): object {
  const columns = `${view.record}.Columns`;
  const table = `${view.table}.table`;
  const record = `as: ${view.record}.self`;
  const returnsModel = `async throws -> ${view.model}`;
  const extra = view.parents.map((k) => `${k.columnLiteral}: try JSONValue(encoding: self.${k.name})`);
  return {
    ...view,
    scopeFilters: view.parents.map((k) => fitCall('scope = scope.filter', [`${columns}.${k.column} == SyncRows.argument(${k.name})`], '    ')),
    initSignature: signature('init', ['engine: SyncEngine', ...view.parents.map((k) => `${k.name}: ${k.type}`)], ''),
    querySignature: signature('query', [`_ request: QueryInterfaceRequest<${view.record}>`], `-> SyncQuery<${view.record}>`),
    createSignature: view.create ? signature('create', [`_ body: ${view.create.bodyType}`], returnsModel) : null,
    createCall: view.create
      ? engineCall('let record = try await self.engine.insert', ['body', ...(extra.length > 0 ? [`extra: [${extra.join(', ')}]`] : []), `into: ${table}`, record])
      : null,
    updateSignature: view.update ? signature('update', [`id: ${view.keyType}`, `_ body: ${view.update.bodyType}`], returnsModel) : null,
    updateCall: view.update
      ? engineCall('let record = try await self.engine.update', ['key: try JSONValue(encoding: id)', 'with: body', `in: ${table}`, record])
      : null,
    saveSignature: view.save ? signature('save', [`_ item: ${view.model}`], returnsModel) : null,
    saveCall: view.save
      ? engineCall('let record = try await self.engine.update', [`key: try JSONValue(encoding: item.${view.keyProperty})`, 'with: item', `in: ${table}`, record])
      : null,
    deleteSignature: view.remove ? signature('delete', [`id: ${view.keyType}`], 'async throws') : null,
    deleteCall: view.remove ? engineCall('try await self.engine.delete', ['key: try JSONValue(encoding: id)', `in: ${table}`]) : null,
  };
}
