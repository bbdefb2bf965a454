/**
 * Pieces every translate function shares: KDoc text from IR descriptions and the view-model shape
 * of one generated file (the banner is added to every plan by translate/index.ts).
 */
import type { Imports } from '../imports.js';
import { kt } from '../naming.js';

/** Fields every file view model carries for the shared file header partial. */
export interface FileHeader {
  pkg: string;
  imports: string[];
  hasImports: boolean;
}

export function header(pkg: string, imports: Imports): FileHeader {
  const list = imports.list();
  return { pkg, imports: list, hasImports: list.length > 0 };
}

/** KDoc block for the given paragraphs (empty ones dropped), indented, '' when there is nothing. */
export function kdoc(paragraphs: readonly (string | undefined | null)[], indent = ''): string {
  const text = paragraphs.filter((p): p is string => typeof p === 'string' && p.trim() !== '').join('\n\n');
  return kt.docComment(text, indent);
}

/** Marks the last element of a list (templates print separators from it). */
export function withLast<T extends object>(items: readonly T[]): (T & { last: boolean })[] {
  return items.map((item, i) => ({ ...item, last: i === items.length - 1 }));
}
