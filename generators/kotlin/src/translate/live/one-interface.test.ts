/**
 * One interface (issue #12, part 2), checked on the generated text without kotlinc (the compile
 * gate in src/compile.test.ts compiles a screen against both modes):
 * - a live and a push repository of the same entity expose the same public functions, with the
 *   same parameter names and types and the same return types;
 * - the live view row has typed columns (model types through Room converters), not `String?`;
 * - server-set fields are nullable in the model of both modes, and nothing invents a value for a
 *   pending insert (no provisional values): omitted client fields take the spec's default.
 */
import type { GeneratedFile, SyncIR } from '@sync/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../../../../../packages/core/src/index.js';
import { generateKotlin } from '../../index.js';
import { repoRoot } from '../../testing/fixtures.js';

export interface Signature {
  text: string;
  name: string;
  params: { name: string; type: string; hasDefault: boolean }[];
  returns: string;
}

/** Splits at commas outside <>, (), []. */
function topLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if ('<([{'.includes(ch)) depth++;
    if ('>)]}'.includes(ch)) depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** Public member functions of a generated class (4-space indented `fun`), parsed from the text. */
export function publicSignatures(source: string): Signature[] {
  const sigs: Signature[] = [];
  for (const m of source.matchAll(/^ {4}((?:suspend )?)fun (\w+)\(/gm)) {
    let i = m.index! + m[0].length;
    let depth = 1;
    const open = i;
    while (depth > 0 && i < source.length) {
      if (source[i] === '(') depth++;
      if (source[i] === ')') depth--;
      i++;
    }
    const params = topLevel(source.slice(open, i - 1).replace(/\s+/g, ' ')).map((p) => {
      const [decl, def] = p.split(/ = /);
      const [name, ...type] = decl!.split(':');
      return { name: name!.trim(), type: type.join(':').trim(), hasDefault: def !== undefined };
    });
    const ret = /^\s*:\s*([^={\n]+?)\s*(?:=|\{|$)/m.exec(source.slice(i))?.[1]?.trim() ?? 'Unit';
    const name = m[2]!;
    const text = `${m[1]}fun ${name}(${params.map((p) => `${p.name}: ${p.type}${p.hasDefault ? ' = …' : ''}`).join(', ')}): ${ret}`;
    sigs.push({ text, name, params, returns: ret });
  }
  return sigs.sort((a, b) => (a.text < b.text ? -1 : 1));
}

/**
 * Call compatibility: every function of `a` exists in `b` with the same parameters (names, types,
 * order) and return type; `b` may add trailing parameters with defaults (push `refresh` filters).
 */
function incompatibilities(a: Signature[], b: Signature[]): string[] {
  const problems: string[] = [];
  for (const sa of a) {
    const sb = b.find((x) => x.name === sa.name);
    if (!sb) {
      problems.push(`missing: ${sa.text}`);
      continue;
    }
    const head = sb.params.slice(0, sa.params.length).map((p) => `${p.name}: ${p.type}`);
    const extra = sb.params.slice(sa.params.length);
    if (JSON.stringify(head) !== JSON.stringify(sa.params.map((p) => `${p.name}: ${p.type}`)) || extra.some((p) => !p.hasDefault) || sa.returns !== sb.returns) {
      problems.push(`${sa.text}  vs  ${sb.text}`);
    }
  }
  if (a.length !== b.length) problems.push(`${a.length} vs ${b.length} functions`);
  return problems;
}

function file(files: GeneratedFile[], path: string): string {
  const f = files.find((x) => x.path === path);
  if (!f) throw new Error(`${path} not generated`);
  return f.contents;
}

describe('one interface: crm generated live (as declared) and push (every entity flipped)', () => {
  let live: GeneratedFile[] = [];
  let push: GeneratedFile[] = [];
  beforeAll(async () => {
    const r = await loadSpec('fixtures/crm/openapi.yaml', { cwd: repoRoot });
    const ir = r.ir!;
    const flipped: SyncIR = { ...ir, entities: ir.entities.map((e) => ({ ...e, sync: { ...e.sync, mode: 'push' } })) };
    live = generateKotlin(ir, { package: 'com.example.crm' }).files;
    push = generateKotlin(flipped, { package: 'com.example.crm' }).files;
  }, 60_000);

  // Line items are nested (`/accounts/{account_id}/line-items`): `create` takes the account in
  // both modes; push's list needs it to load, while live mode syncs every line item of the shape.
  it.each([
    ['Contacts', []],
    ['Accounts', []],
    ['LineItems', ['suspend fun refresh(): Unit  vs  suspend fun refresh(accountId: String): Unit']],
  ] as const)('%sRepository: same public signatures in both modes', (plural, known) => {
    const liveSigs = publicSignatures(file(live, `data/${plural}Repository.kt`));
    const pushSigs = publicSignatures(file(push, `data/${plural}Repository.kt`));
    expect(liveSigs.length).toBe(7);
    expect(incompatibilities(liveSigs, pushSigs)).toEqual(known);
  });

  it('ContactsRepository: the exact signatures', () => {
    expect(publicSignatures(file(live, 'data/ContactsRepository.kt')).map((s) => s.text)).toEqual([
      'fun observe(id: String): Flow<Contact?>',
      'fun observeAll(): Flow<List<Contact>>',
      'fun observeAllWithState(): Flow<List<Synced<Contact>>>',
      'suspend fun create(body: ContactCreate): Contact',
      'suspend fun delete(id: String): Unit',
      'suspend fun refresh(): Unit',
      'suspend fun update(id: String, body: ContactUpdate): Contact',
    ]);
  });

  it('can fail: tells different signatures apart (the pre-#12 live create)', () => {
    const a = publicSignatures('class A {\n    suspend fun create(body: ContactCreate): String {\n    }\n}\n');
    const b = publicSignatures('class B {\n    suspend fun create(\n        body: ContactCreate,\n    ): Contact {\n    }\n\n    suspend fun refresh(\n        status: S? = null,\n    ) {\n    }\n}\n');
    expect(a.map((s) => s.text)).toEqual(['suspend fun create(body: ContactCreate): String']);
    expect(b.map((s) => s.text)).toEqual(['suspend fun create(body: ContactCreate): Contact', 'suspend fun refresh(status: S? = …): Unit']);
    expect(incompatibilities(a, b)).not.toEqual([]);
    const c = publicSignatures('class C {\n    suspend fun refresh() {\n    }\n}\n');
    expect(incompatibilities(c, b.filter((s) => s.name === 'refresh'))).toEqual([]);
  });

  it('the live view row has model-typed columns, read through Room converters', () => {
    const row = file(live, 'data/ContactRow.kt');
    expect(row).toContain('    val status: ContactStatus?,');
    expect(row).toContain('    val tags: List<String>?,');
    expect(row).toContain('    val createdAt: IsoDateTime?,');
    expect(row).toContain('    fun toModel(): Contact =');
    const accounts = file(live, 'data/AccountRow.kt');
    expect(accounts).toMatch(/val annualRevenue: Decimal\?,/);
    const converters = file(live, 'data/SyncConverters.kt');
    expect(converters).toContain('    fun toContactStatus(value: String?): ContactStatus? = ColumnText.scalar(value)');
    expect(converters).toContain('    fun toDecimal(value: String?): Decimal? = ColumnText.scalar(value)');
    expect(converters).toContain('    fun toListOfString(value: String?): List<String>? = ColumnText.json(value)');
    expect(file(live, 'data/SyncDatabase.kt')).toContain('@TypeConverters(SyncConverters::class)\nabstract class SyncDatabase');
  });

  it('server-set fields are nullable in the model of both modes; nothing invents a value', () => {
    for (const files of [live, push]) {
      const contact = file(files, 'model/Contact.kt');
      for (const [wire, prop] of [['created_at', 'createdAt'], ['updated_at', 'updatedAt']]) {
        expect(contact).toContain(`    /** Set by the server: null until the server has stored the row. */\n    @SerialName("${wire}")\n    val ${prop}: IsoDateTime? = null,`);
      }
      // The key and the parent key a nested create passes stay non-null.
      expect(contact).toContain('    val id: String,');
      expect(file(files, 'model/LineItem.kt')).toContain('    val accountId: String,');
      expect(file(files, 'model/LineItem.kt')).toContain('    val createdAt: IsoDateTime? = null,');
    }
    const row = file(live, 'data/ContactRow.kt');
    expect(row).toContain('            createdAt = createdAt,');
    expect(row).toContain('            status = status ?: ContactStatus.LEAD,');
    expect(row).toContain('            tags = tags ?: emptyList(),');
    expect(row).toContain('            firstName = LocalRows.required(firstName, "contacts", "first_name"),');
    expect(file(live, 'data/ContactDao.kt')).toContain('): JsonPrimitive = LocalWrites.insert(ContactTable, this, values, writeId, now)');
    for (const f of live) expect(f.contents, f.path).not.toMatch(/provisional|LocalRows\.(timestamp|date|time|uuid)\(/i);
  });

  it('live writes tell the engine through one call site', () => {
    const repo = file(live, 'data/ContactsRepository.kt');
    expect(repo.match(/wakeOutbox\(\)/g)).toHaveLength(1);
    expect(repo.match(/outboxChanged\(\)/g)!.length).toBe(5); // refresh, create, update, delete + the definition
  });
});
