/**
 * Checks of the raw documents that neither @readme/openapi-parser nor the OpenAPI JSON Schema make
 * (the 3.1 schema leaves Schema Objects to JSON Schema, so `type: strin` passes it), run before
 * anything follows a `$ref` or hands the file to the parser:
 * - every file `$ref` stays inside the spec's folder (SP0113), checked before the file is read,
 *   in every loaded document; remote `$ref`s are refused here too (SP0112), before the parser
 *   could fetch them;
 * - Schema Objects: `type` is a JSON Schema type (SP0114), `required` a list of names (SP0114),
 *   no property has an empty name (SP0115);
 * - the sync vocabulary sits where it has an effect: `x-sync`/`x-sync-mode`/`x-sync-table` on a
 *   path item or an operation, never on a schema, a response, a parameter… (SP0221).
 * After normalisation, {@link checkEntityTables} refuses tables named like the runtime's (SP0220).
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { SyncIR } from '../ir/types.js';
import { isObject, type LoadContext, type Loc } from '../load/context.js';
import { locate, type SourceDocument } from '../load/documents.js';
import { child, getAt, parsePointer } from '../load/pointer.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const TYPES_30 = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const TYPES_31 = [...TYPES_30, 'null'];
/** Keys that only make sense on a path item or an operation. */
const PATH_ITEM_KEYS = ['x-sync', 'x-sync-mode', 'x-sync-table'] as const;
/** Prefix of the runtime's own tables (`_sync_outbox`, `_sync_shapes`… in PGlite and SQLite). */
export const RESERVED_TABLE_PREFIX = '_sync_';

/** Runs every pre-normalisation check; returns the number of errors reported. */
export function checkDocuments(ctx: LoadContext, version: '3.0' | '3.1'): number {
  const before = ctx.diagnostics.length;
  const walker = new Walker(ctx, version);
  walker.document(ctx.root);
  return ctx.diagnostics.slice(before).filter((d) => d.severity === 'error').length;
}

class Walker {
  private readonly seen = new Set<string>();
  private readonly scannedRefs = new Set<string>();
  private readonly specDir: string;
  private readonly specDirReal: string;

  constructor(
    private readonly ctx: LoadContext,
    private readonly version: '3.0' | '3.1',
  ) {
    this.specDir = path.dirname(ctx.root.absPath);
    this.specDirReal = realOrSelf(this.specDir);
  }

  document(doc: SourceDocument): void {
    this.scanRefs(doc, doc.value, '');
    const root = doc.value;
    if (doc !== this.ctx.root || !isObject(root)) return;
    this.misplaced({ doc, pointer: '' }, root, 'the document root');
    const paths = root.paths;
    if (isObject(paths)) {
      for (const [p, item] of Object.entries(paths)) this.pathItem(doc, child('', 'paths', p), item);
    }
    const components = root.components;
    if (isObject(components)) {
      this.misplaced({ doc, pointer: '/components' }, components, '`components`');
      const each = (kind: string, fn: (pointer: string, value: unknown) => void): void => {
        const group = components[kind];
        if (isObject(group)) for (const [name, value] of Object.entries(group)) fn(child('/components', kind, name), value);
      };
      each('schemas', (p, v) => this.schema(doc, p, v));
      each('parameters', (p, v) => this.parameter(doc, p, v));
      each('headers', (p, v) => this.parameter(doc, p, v));
      each('responses', (p, v) => this.response(doc, p, v));
      each('requestBodies', (p, v) => this.content(doc, p, v, 'a request body'));
      each('pathItems', (p, v) => this.pathItem(doc, p, v));
    }
  }

  // --- $ref confinement ------------------------------------------------------------------------

  /** Every `$ref` anywhere in `value` (examples included: the parser follows those too). */
  private scanRefs(doc: SourceDocument, value: unknown, pointer: string): void {
    if (Array.isArray(value)) {
      value.forEach((v, i) => this.scanRefs(doc, v, child(pointer, i)));
      return;
    }
    if (!isObject(value)) return;
    if (typeof value.$ref === 'string') this.checkRef(doc, value.$ref, pointer);
    for (const [k, v] of Object.entries(value)) if (k !== '$ref') this.scanRefs(doc, v, child(pointer, k));
  }

  private checkRef(doc: SourceDocument, ref: string, pointer: string): void {
    const refLoc: Loc = { doc, pointer: child(pointer, '$ref') };
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref)) {
      this.ctx.report('SP0112', `Remote $ref "${ref}" is not supported.`, refLoc, 'Download the file next to the spec and refer to it by a relative path.');
      return;
    }
    const hash = ref.indexOf('#');
    const filePart = hash === -1 ? ref : ref.slice(0, hash);
    if (filePart === '') return;
    let decoded = filePart;
    try {
      decoded = decodeURI(filePart);
    } catch {
      // used as written
    }
    const abs = path.resolve(path.dirname(doc.absPath), decoded);
    if (!this.inside(abs)) {
      this.ctx.report(
        'SP0113',
        `$ref "${ref}" leaves the spec's folder (${this.ctx.store.display(this.specDir) || '.'}); sync-patterns only reads files inside it and did not open this one.`,
        refLoc,
        'Copy the referenced file into the spec folder (or a subfolder) and refer to it by a relative path such as "./schemas/pet.yaml".',
      );
      return;
    }
    if (this.scannedRefs.has(abs)) return;
    this.scannedRefs.add(abs);
    const loaded = this.ctx.store.load(abs, { file: doc.displayPath, pointer: '#' + refLoc.pointer });
    if (loaded) {
      this.scanRefs(loaded, loaded.value, '');
      return;
    }
    // The store recorded the diagnostic without a position (as in LoadContext.resolveRef).
    const last = this.ctx.store.diagnostics.at(-1);
    if (last && last.line === undefined) Object.assign(last, locate(doc, refLoc.pointer));
  }

  /** Inside the spec folder, lexically and once symlinks are resolved. */
  private inside(abs: string): boolean {
    const within = (dir: string, p: string): boolean => {
      const rel = path.relative(dir, p);
      return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
    };
    return within(this.specDir, abs) && within(this.specDirReal, realOrSelf(abs));
  }

  // --- structure -------------------------------------------------------------------------------

  /** Follows a `$ref` into another file once, walking the target as `kind`; true when it was a ref. */
  private followRef(doc: SourceDocument, _pointer: string, value: unknown, walk: (doc: SourceDocument, pointer: string, value: unknown) => void): boolean {
    if (!isObject(value) || typeof value.$ref !== 'string') return false;
    const ref = value.$ref;
    const hash = ref.indexOf('#');
    const filePart = hash === -1 ? ref : ref.slice(0, hash);
    if (filePart === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(ref)) return true; // local: walked where it is defined
    let abs: string;
    try {
      abs = path.resolve(path.dirname(doc.absPath), decodeURI(filePart));
    } catch {
      return true;
    }
    if (!this.inside(abs)) return true; // reported by checkRef
    const target = this.ctx.store.get(abs);
    const fragment = hash === -1 ? '' : ref.slice(hash + 1);
    if (!target || (fragment !== '' && !fragment.startsWith('/'))) return true;
    const key = `${abs}#${fragment}`;
    if (this.seen.has(key)) return true;
    this.seen.add(key);
    const v = getAt(target.value, fragment);
    if (v !== undefined) walk(target, fragment, v);
    return true;
  }

  private pathItem(doc: SourceDocument, pointer: string, item: unknown): void {
    if (this.followRef(doc, pointer, item, (d, p, v) => this.pathItem(d, p, v))) return;
    if (!isObject(item)) return;
    this.parameters(doc, pointer, item.parameters);
    for (const m of METHODS) {
      const op = item[m];
      if (!isObject(op)) continue;
      const opPointer = child(pointer, m);
      this.parameters(doc, opPointer, op.parameters);
      if (op.requestBody !== undefined) this.content(doc, child(opPointer, 'requestBody'), op.requestBody, 'a request body');
      if (isObject(op.responses)) {
        for (const [status, r] of Object.entries(op.responses)) this.response(doc, child(opPointer, 'responses', status), r);
      }
    }
  }

  private parameters(doc: SourceDocument, pointer: string, list: unknown): void {
    if (!Array.isArray(list)) return;
    list.forEach((p, i) => this.parameter(doc, child(pointer, 'parameters', i), p));
  }

  private parameter(doc: SourceDocument, pointer: string, p: unknown): void {
    if (this.followRef(doc, pointer, p, (d, q, v) => this.parameter(d, q, v))) return;
    if (!isObject(p)) return;
    this.misplaced({ doc, pointer }, p, 'a parameter');
    if (p.schema !== undefined) this.schema(doc, child(pointer, 'schema'), p.schema);
    this.mediaTypes(doc, pointer, p.content);
  }

  private response(doc: SourceDocument, pointer: string, r: unknown): void {
    if (this.followRef(doc, pointer, r, (d, q, v) => this.response(d, q, v))) return;
    if (!isObject(r)) return;
    this.misplaced({ doc, pointer }, r, 'a response');
    this.mediaTypes(doc, pointer, r.content);
    if (isObject(r.headers)) for (const [h, v] of Object.entries(r.headers)) this.parameter(doc, child(pointer, 'headers', h), v);
  }

  private content(doc: SourceDocument, pointer: string, body: unknown, what: string): void {
    if (this.followRef(doc, pointer, body, (d, q, v) => this.content(d, q, v, what))) return;
    if (!isObject(body)) return;
    this.misplaced({ doc, pointer }, body, what);
    this.mediaTypes(doc, pointer, body.content);
  }

  private mediaTypes(doc: SourceDocument, pointer: string, content: unknown): void {
    if (!isObject(content)) return;
    for (const [type, media] of Object.entries(content)) {
      if (!isObject(media)) continue;
      const mp = child(pointer, 'content', type);
      this.misplaced({ doc, pointer: mp }, media, 'a media type');
      if (media.schema !== undefined) this.schema(doc, child(mp, 'schema'), media.schema);
    }
  }

  private schema(doc: SourceDocument, pointer: string, s: unknown): void {
    if (this.followRef(doc, pointer, s, (d, q, v) => this.schema(d, q, v))) return;
    if (!isObject(s)) return;
    const key = `${doc.absPath}#${pointer}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.misplaced({ doc, pointer }, s, 'a schema');
    this.schemaType(doc, pointer, s.type);
    this.schemaRequired(doc, pointer, s.required);
    if (isObject(s.properties)) {
      for (const [name, v] of Object.entries(s.properties)) {
        const p = child(pointer, 'properties', name);
        // Only the empty name: a blank one (" ") still has a wire name, and naming gives it a
        // fallback identifier in every target.
        if (name === '') {
          this.ctx.report(
            'SP0115',
            'A property of this schema has an empty name; no field, column or parameter can be named after it.',
            { doc, pointer: p },
            'Give the property a name, or remove it.',
          );
        }
        this.schema(doc, p, v);
      }
    }
    for (const k of ['items', 'not', 'additionalProperties', 'contains', 'propertyNames', 'if', 'then', 'else', 'unevaluatedItems', 'unevaluatedProperties']) {
      if (isObject(s[k])) this.schema(doc, child(pointer, k), s[k]);
    }
    for (const k of ['allOf', 'anyOf', 'oneOf', 'prefixItems']) {
      const list = s[k];
      if (Array.isArray(list)) list.forEach((v, i) => this.schema(doc, child(pointer, k, i), v));
    }
    for (const k of ['patternProperties', '$defs', 'dependentSchemas']) {
      const map = s[k];
      if (isObject(map)) for (const [n, v] of Object.entries(map)) this.schema(doc, child(pointer, k, n), v);
    }
  }

  private schemaType(doc: SourceDocument, pointer: string, type: unknown): void {
    if (type === undefined) return;
    const allowed = this.version === '3.1' ? TYPES_31 : TYPES_30;
    const loc = { doc, pointer: child(pointer, 'type') };
    const list = allowed.map((t) => `"${t}"`).join(', ');
    const bad = (t: unknown): void => {
      const near = typeof t === 'string' ? nearest(t, allowed) : null;
      this.ctx.report(
        'SP0114',
        `\`type: ${JSON.stringify(t)}\` is not a JSON Schema type; a schema's type is one of ${list}.`,
        loc,
        near ? `Did you mean \`type: ${near}\`?` : 'Write one of those names as a string.',
      );
    };
    if (typeof type === 'string') {
      if (!allowed.includes(type)) bad(type);
      return;
    }
    if (Array.isArray(type) && this.version === '3.1') {
      if (type.length === 0) bad(type);
      for (const t of type) if (typeof t !== 'string' || !allowed.includes(t)) bad(t);
      return;
    }
    if (Array.isArray(type)) {
      this.ctx.report('SP0114', `\`type\` is a list, which OpenAPI 3.0 does not allow; a 3.0 schema has one type.`, loc, 'Use one type plus `nullable: true`, or `openapi: 3.1.0`.');
      return;
    }
    bad(type);
  }

  private schemaRequired(doc: SourceDocument, pointer: string, required: unknown): void {
    if (required === undefined) return;
    const loc = { doc, pointer: child(pointer, 'required') };
    if (!Array.isArray(required)) {
      this.ctx.report(
        'SP0114',
        `\`required\` of a schema is a list of property names, not ${describe(required)}.`,
        loc,
        typeof required === 'string' ? `Write \`required: [${required}]\`.` : 'Write `required: [name, …]`, or mark nothing required by leaving it out.',
      );
      return;
    }
    required.forEach((r, i) => {
      if (typeof r !== 'string') {
        this.ctx.report('SP0114', `\`required\` lists property names; entry ${i} is ${describe(r)}.`, { doc, pointer: child(loc.pointer, i) }, 'Write the name of a property as a string.');
      }
    });
  }

  /** Sync annotations that only have an effect on a path item or an operation. */
  private misplaced(loc: Loc, value: Record<string, unknown>, what: string): void {
    for (const key of PATH_ITEM_KEYS) {
      if (!(key in value)) continue;
      const where = key === 'x-sync-table' ? 'the collection path item of the entity' : 'the path item of the resource (or one of its operations)';
      // Under /paths/<p>, the path item it belongs to is known; elsewhere an example is given.
      const tokens = parsePointer(loc.pointer);
      const pathItem = loc.doc === this.ctx.root && tokens[0] === 'paths' && tokens[1] !== undefined ? tokens[1] : '/notes';
      const shown = typeof value[key] === 'string' ? value[key] : key === 'x-sync-table' ? 'notes' : 'live';
      const example = `\`paths: ${pathItem}: ${key}: ${shown}\``;
      this.ctx.report(
        'SP0221',
        `\`${key}\` on ${what} has no effect and would be ignored; it belongs on ${where}.`,
        { doc: loc.doc, pointer: child(loc.pointer, key) },
        `Move it there, e.g. ${example}.`,
      );
    }
  }
}

/**
 * After normalisation: no entity table may use the runtime's reserved prefix `_sync_` (its outbox,
 * shape and meta tables live beside the entity tables in PGlite and SQLite, which compares table
 * names case-insensitively).
 */
export function checkEntityTables(ctx: LoadContext, ir: SyncIR): void {
  for (const e of ir.entities) {
    if (!e.table.toLowerCase().split('.').some((part) => part.startsWith(RESERVED_TABLE_PREFIX))) continue;
    const doc = ctx.store.files().map((f) => ctx.store.get(f)).find((d) => d?.displayPath === e.source.file) ?? ctx.root;
    const pointer = e.source.pointer.replace(/^#/, '');
    const item = getAt(doc.value, pointer);
    const explicit = isObject(item) && 'x-sync-table' in item;
    const segment = parsePointer(pointer)[1] ?? e.resource;
    ctx.report(
      'SP0220',
      explicit
        ? `x-sync-table "${e.table}" starts with "${RESERVED_TABLE_PREFIX}", which is reserved for the sync runtime's own tables (_sync_outbox, _sync_shapes…).`
        : `The table of entity ${e.name} would be "${e.table}" (from ${segment}), which starts with "${RESERVED_TABLE_PREFIX}", reserved for the sync runtime's own tables (_sync_outbox, _sync_shapes…).`,
      { doc, pointer: explicit ? child(pointer, 'x-sync-table') : pointer },
      explicit ? `Choose another name, e.g. \`x-sync-table: ${e.table.replace(/^_sync_/i, '') || 'items'}\`.` : 'Set `x-sync-table` on this path item to a name without that prefix.',
    );
  }
}

function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  if (typeof v === 'object') return 'a mapping';
  return `the ${typeof v} ${JSON.stringify(v)}`;
}

/** The allowed word within edit distance 2 (case-insensitive), or null. */
function nearest(word: string, allowed: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = 3;
  for (const a of allowed) {
    const d = distance(word.toLowerCase(), a);
    if (d < bestD) {
      bestD = d;
      best = a;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
