/**
 * Builder of the runtime descriptor's entries that need layout (fitted into 100 columns): one
 * `SyncColumn(…)` per column and one `SyncRoute(…)` per write. The rest is its template
 * (`live-table.swift.hbs`).
 */
import { fitCall } from './layout.js';
import type { LiveTableModel, SyncColumnModel, SyncRouteModel } from '../view-models.js';

/**
 * `SyncColumn("first_name", .text, nullable: false, synced: true),` — no placeholder: a view row
 * never shows a value no one wrote (issue #19; see translate/live-row.ts for what the model does instead).
 */
export function columnEntry(c: SyncColumnModel): string {
  const args = [c.nameLiteral, `.${c.storage}`, ...(c.sqlLiteral === null ? [] : [`sqlName: ${c.sqlLiteral}`])];
  return fitCall('SyncColumn', [...args, `nullable: ${c.nullable}`, `synced: ${c.synced}`], '      ', ',');
}

/** `create: SyncRoute(method: .post, path: "/x", parameters: […], security: [.bearer]),` or `create: nil,`. */
export function routeEntry(label: string, r: SyncRouteModel | null): string {
  if (!r) return `${label}: nil,`;
  const params = r.parameters.map((p) =>
    p.primaryKey ? `.init(${p.nameLiteral}, .primaryKey)` : `.init(${p.nameLiteral}, .payload(${p.columnLiteral})${p.location ? `, in: .${p.location}` : ''})`,
  );
  const args = [`method: .${r.method}`, `path: ${r.pathLiteral}`, `parameters: [${params.join(', ')}]`, ...(r.bearer ? ['security: [.bearer]'] : [])];
  return fitCall(`${label}: SyncRoute`, args, '    ', ',');
}

export function printLiveTable(view: LiveTableModel): object {
  return {
    ...view,
    columnEntries: view.columns.map(columnEntry),
    createEntry: routeEntry('create', view.create),
    updateEntry: routeEntry('update', view.update),
    deleteEntry: routeEntry('delete', view.remove),
  };
}
