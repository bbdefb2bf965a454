/**
 * Builder of the lines of a push store that need layout: its initializer and write method
 * signatures, and its `client.<operation>(…)` calls (fitted into 100 columns at their
 * indentation). The rest of the store is its template (`push-store.swift.hbs`).
 */
import { fitCall } from './layout.js';
import type { PushStoreModel, StoreCallModel } from '../view-models.js';
import { signature } from './signature.js';

/** `<binding>client.<method>(label: value, …)` inside a method's `do { }` (six spaces). */
function callLine(binding: string, call: StoreCallModel): string {
  const args = call.args.map((a) => `${a.label}: ${a.onSelf ? `self.${a.value}` : a.value}`);
  return fitCall(`${binding}client.${call.method}`, args, '      ');
}

export function printPushStore(view: PushStoreModel): object {
  const writes = `async throws -> ${view.model}`;
  return {
    ...view,
    initSignature: signature('init', ['client: APIClient', ...view.contextParams.map((c) => `${c.name}: ${c.type}`)], ''),
    listCall: view.list ? callLine('let response = try await ', view.list) : null,
    createSignature: view.create ? signature('create', [`_ body: ${view.create.bodyType}`], writes) : null,
    createCall: view.create ? callLine('let created = try await ', view.create.call) : null,
    updateSignature: view.update ? signature('update', [`id: ${view.keyType}`, `_ body: ${view.update.bodyType}`], writes) : null,
    updateCall: view.update ? callLine('let updated = try await ', view.update.call) : null,
    deleteSignature: view.remove ? signature('delete', [`id: ${view.keyType}`], 'async throws') : null,
    deleteCall: view.remove ? callLine(view.remove.discardsResult ? '_ = try await ' : 'try await ', view.remove.call) : null,
  };
}
