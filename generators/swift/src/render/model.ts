/**
 * Builder of the coding lines of a model struct (`init(from:)`, `encode(to:)`): one
 * `container.decode…`/`encode…` call per field, fitted into 100 columns.
 */
import { fitCall } from './layout.js';
import type { StructField, StructModel } from '../view-models.js';

/** `self.x = try container.decode(T.self, forKey: .x)` and its variants. */
export function decodeLine(f: StructField): string {
  const present = f.optional ? 'IfPresent' : '';
  if (f.decimal) return fitCall(`self.${f.name} = try container.decodeDecimal${present}`, [`forKey: .${f.name}`], '    ');
  return fitCall(`self.${f.name} = try container.decode${present}`, [`${f.valueType}.self`, `forKey: .${f.name}`], '    ');
}

/** `try container.encode(x, forKey: .x)` and its variants. */
export function encodeLine(f: StructField): string {
  const fn = `${f.decimal ? 'encodeDecimal' : 'encode'}${f.encodeIfPresent ? 'IfPresent' : ''}`;
  return fitCall(`try container.${fn}`, [f.name, `forKey: .${f.name}`], '    ');
}

export function printStruct(view: StructModel): StructModel & { coding: { decode: string; encode: string }[] } {
  return { ...view, coding: view.fields.map((f) => ({ decode: decodeLine(f), encode: encodeLine(f) })) };
}
