/**
 * One interface (issue #19): a live store and a push store of the same entity have the same
 * public API and types, checked on the goldens (`crm`: live as declared; `crm-push`: the same
 * spec with every entity in push mode). test-apps/swift compiles one view model against both
 * (Sources/OneInterface*) where a Swift toolchain exists.
 *
 * The only differences allowed: the initializer's first parameter (`engine:` vs `client:`), and
 * two live-only additions — `save(_:)` where the entity has local-only (`x-sync-exclude`) fields,
 * which only a local database can hold, and `query(_:)`, a typed GRDB query over the local view.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './testing/fixture.js';

/** Public members declared at the top level of a class body (2-space indent), normalized. */
export function publicMembers(source: string): string[] {
  const members: string[] = [];
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!/^ {2}public /.test(line)) continue;
    let text = line.trim();
    // A signature continues until the line that opens the body.
    while (/^public (?:init|func)\b/.test(text) && !/\{\s*\}?$/.test(text) && i + 1 < lines.length) {
      text += ` ${lines[++i]!.trim()}`;
    }
    text = text
      .replace(/^public (?:private\(set\) )?/, '')
      .replace(/\s*\{.*$/, '')
      .replace(/\s*=\s*[^=]*$/, '')
      .replace(/\(\s+/g, '(')
      .replace(/,?\s+\)/g, ')')
      .replace(/\s+/g, ' ');
    if (text.startsWith('init(')) text = text.replace(/^init\((?:engine|client): \w+(?:, )?/, 'init(');
    members.push(text);
  }
  return members.sort();
}

const store = (fixture: string, name: string) =>
  readFileSync(path.join(repoRoot, 'generators/swift/__goldens__', fixture, 'Stores', `${name}.swift`), 'utf8');

describe('one interface: crm live stores and the same entities in push mode', () => {
  it.each([
    ['ContactsStore', ['func query(_ request: QueryInterfaceRequest<ContactRecord>) -> SyncQuery<ContactRecord>', 'func save(_ item: Contact) async throws -> Contact']],
    ['AccountsStore', ['func query(_ request: QueryInterfaceRequest<AccountRecord>) -> SyncQuery<AccountRecord>']],
    ['LineItemsStore', ['func query(_ request: QueryInterfaceRequest<LineItemRecord>) -> SyncQuery<LineItemRecord>']],
  ])('%s: the same public members and types, but the live-only ones', (name, liveOnly) => {
    const live = publicMembers(store('crm', name));
    const push = publicMembers(store('crm-push', name));
    expect(live.filter((m) => !push.includes(m)).sort()).toEqual([...liveOnly].sort());
    expect(push.filter((m) => !live.includes(m))).toEqual([]);
  });

  it('ContactsStore: the exact public API', () => {
    expect(publicMembers(store('crm-push', 'ContactsStore'))).toEqual([
      'func create(_ body: ContactCreate) async throws -> Contact',
      'func delete(id: UUID) async throws',
      'func discardWrite(_ write: FailedWrite) async throws',
      'func load() async',
      'func refresh() async',
      'func retryWrite(_ write: FailedWrite) async throws',
      'func stop()',
      'func update(id: UUID, _ body: ContactUpdate) async throws -> Contact',
      'init()',
      'var failedWrites: [FailedWrite]',
      'var isLoading: Bool',
      'var items: [Contact]',
      'var readError: (any Error)?',
      'var rows: [Synced<Contact>]',
      'var writeError: (any Error)?',
    ]);
  });

  it('LineItemsStore: the parent key is a typed init parameter and property in both modes', () => {
    for (const fixture of ['crm', 'crm-push']) {
      const members = publicMembers(store(fixture, 'LineItemsStore'));
      expect(members).toContain('init(accountId: UUID)');
      expect(members).toContain('let accountId: UUID');
      expect(members).toContain('func create(_ body: LineItemCreate) async throws -> LineItem');
    }
  });

  it('can fail: tells different members apart', () => {
    const a = publicMembers('final class A {\n  public private(set) var error: (any Error)?\n  public func create(_ body: B) async throws -> String {\n  }\n}\n');
    const b = publicMembers('final class B {\n  public var rows: [Synced<C>] { [] }\n  @discardableResult\n  public func create(\n    _ body: B\n  ) async throws -> C {\n  }\n}\n');
    expect(a).toEqual(['func create(_ body: B) async throws -> String', 'var error: (any Error)?']);
    expect(b).toEqual(['func create(_ body: B) async throws -> C', 'var rows: [Synced<C>]']);
  });
});
