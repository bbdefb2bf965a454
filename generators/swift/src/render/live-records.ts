/**
 * Builder of the lines of a view record (`<Entity>Record`) that need layout or per-column
 * decisions: `init(row:)` (one `SyncRows` read per column, fitted into 100 columns) and the
 * `model()` call. The records' declarations are their template (`live-records.swift.hbs`).
 */
import { fitCall } from './layout.js';
import type { LiveRecordsModel, ModelArgument, ViewRecordModel } from '../view-models.js';

const TABLE = 'table';

/** The lines of `init(row:)`, indented by four spaces. */
export function readLines(view: ViewRecordModel): string[] {
  const lines = [`let ${TABLE} = ${view.tableLiteral}`];
  for (const r of view.reads) {
    const args = ['row', r.sqlLiteral, `as: ${r.type}.self`, `table: ${TABLE}`];
    if (r.primaryKey) {
      lines.push(fitCall(`let key = try SyncRows.${r.reader}`, args, '    '));
      lines.push(fitCall(`self.${r.property} = try SyncRows.required`, ['key', `table: ${TABLE}`, `column: ${r.nameLiteral}`], '    '));
    } else {
      lines.push(fitCall(`self.${r.property} = try SyncRows.${r.reader}`, args, '    '));
    }
  }
  lines.push(fitCall('self.pending = try SyncRows.value', ['row', '"_pending"', 'as: Bool.self', `table: ${TABLE}`], '    ', ' ?? false'));
  return lines.map((l) => `    ${l}`);
}

/** One argument of the model's init, fitted at six spaces (a `SyncRows.required` call may wrap). */
function argument(a: ModelArgument): string {
  const value = a.property === null ? `Optional<${a.type}>.none` : `self.${a.property}`;
  // Fitted with the comma that follows it (dropped again after the last argument).
  if (a.required) return fitCall(`${a.label}: SyncRows.required`, [value, `table: ${TABLE}`, `column: ${a.wireLiteral}`], '      ', ',').slice(0, -1);
  if (a.fallback === null) return `${a.label}: ${value}`;
  const { literal, enumType } = a.fallback;
  return `${a.label}: ${value} ?? ${enumType === null ? literal : `${enumType}(rawValue: ${literal})`}`;
}

/** The body of `model()`, indented by four spaces. */
export function modelLines(view: ViewRecordModel): string[] {
  const throws = view.modelArguments.some((a) => a.required);
  const args = view.modelArguments.map(argument);
  return [
    ...(throws ? [`    let ${TABLE} = ${view.tableLiteral}`] : []),
    ...(args.length === 0
      ? [`    return ${view.model}()`]
      : [`    return ${throws ? 'try ' : ''}${view.model}(`, ...args.map((a, i) => `      ${a}${i < args.length - 1 ? ',' : ''}`), '    )']),
  ];
}

export function printLiveRecords(view: LiveRecordsModel): object {
  return { ...view, view: { ...view.view, readLines: readLines(view.view), modelLines: modelLines(view.view) } };
}
