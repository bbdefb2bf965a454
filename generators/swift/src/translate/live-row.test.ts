/**
 * Typed view records and no invented values (issue #19), on the generated text:
 * - the view record is a `FetchableRecord` with the model's types, read in `init(row:)` through
 *   `SyncRows` (no `SyncBridge.model`, no JSON round trip per row and tick);
 * - no placeholder anywhere: server-set fields are optional in the model (push and live alike),
 *   omitted client fields take the spec's default, anything else NULL is a located error;
 * - live and push stores expose `rows`, `readError`, `writeError` and the failed-writes API.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { GeneratedFile } from '@sync/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { allPush } from '../../golden-cases.js';
import { generateSwift } from '../generate.js';
import { generateFixture, loadIR, repoRoot, swiftFixtures } from '../testing/fixture.js';

const file = (files: readonly GeneratedFile[], path: string): string => {
  const f = files.find((x) => x.path === path);
  if (!f) throw new Error(`${path} not generated`);
  return f.contents;
};

describe('typed view records (crm)', () => {
  let live: readonly GeneratedFile[] = [];
  let push: readonly GeneratedFile[] = [];
  beforeAll(async () => {
    live = (await generateFixture('crm')).result.files;
    push = generateSwift(allPush(await loadIR('crm')), {}).files;
  }, 60_000);

  it('types each column as the model does and reads it once from the row', () => {
    const records = file(live, 'Live/ContactRecords.swift');
    expect(records).toContain('public struct ContactRecord: Sendable, Hashable, SyncViewRecord {');
    for (const line of [
      '  public var id: UUID',
      '  public var status: ContactStatus?',
      '  public var tags: [String]?',
      '  public var createdAt: Date?',
      '  public var pending: Bool',
      '  public init(row: Row) throws {',
      '    self.status = try SyncRows.enumValue(row, "status", as: ContactStatus.self, table: table)',
      '    self.tags = try SyncRows.json(row, "tags", as: [String].self, table: table)',
      '    self.createdAt = try SyncRows.value(row, "created_at", as: Date.self, table: table)',
    ]) {
      expect(records).toContain(line);
    }
    const accounts = file(live, 'Live/AccountRecords.swift');
    expect(accounts).toContain('  public var annualRevenue: Decimal?');
  });

  it('maps a row to the model without JSON and without invented values', async () => {
    const records = file(live, 'Live/ContactRecords.swift');
    expect(records).toContain('      status: self.status ?? ContactStatus(rawValue: "lead"),');
    expect(records).toContain('      tags: self.tags ?? [],');
    expect(records).toContain('      firstName: SyncRows.required(self.firstName, table: table, column: "first_name"),');
    expect(records).toContain('      createdAt: self.createdAt,');
    let checked = 0;
    for (const fixture of swiftFixtures()) {
      for (const f of (await generateFixture(fixture)).result.files) {
        expect(f.contents, `${fixture}/${f.path}`).not.toContain('SyncBridge.model');
        expect(f.contents, `${fixture}/${f.path}`).not.toContain('placeholder:');
        expect(f.contents, `${fixture}/${f.path}`).not.toContain('1970-01-01');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('server-set fields are optional in the model, the same type in push and live', () => {
    for (const files of [live, push]) {
      const contact = file(files, 'Models/Contact.swift');
      expect(contact).toContain('  public var createdAt: Date?');
      expect(contact).toContain('  public var updatedAt: Date?');
      expect(contact).toContain('  public var firstName: String\n');
      // The parent key a nested create passes stays required.
      expect(file(files, 'Models/LineItem.swift')).toContain('  public var accountId: UUID\n');
    }
    expect(file(live, 'Models/Contact.swift')).toBe(file(push, 'Models/Contact.swift'));
  });

  it('stores expose rows with their state, split errors and the failed writes', () => {
    for (const files of [live, push]) {
      const store = file(files, 'Stores/ContactsStore.swift');
      expect(store).toMatch(/public (?:private\(set\) )?var rows: \[Synced<Contact>\]/);
      expect(store).toMatch(/public (?:private\(set\) )?var failedWrites: \[FailedWrite\]/);
      expect(store).toMatch(/public (?:private\(set\) )?var readError: \(any Error\)\?/);
      expect(store).toMatch(/public (?:private\(set\) )?var writeError: \(any Error\)\?/);
      expect(store).toContain('public func retryWrite(_ write: FailedWrite) async throws');
      expect(store).toContain('public func discardWrite(_ write: FailedWrite) async throws');
      expect(store).not.toMatch(/var error\b/);
    }
    // The live store's state and observation are the runtime's SyncCollection (the same for
    // every entity), which reads one snapshot per transaction.
    const liveStore = file(live, 'Stores/ContactsStore.swift');
    expect(liveStore).toContain('private let collection: SyncCollection<ContactRecord>');
    expect(liveStore).toContain('public var rows: [Synced<Contact>] { collection.rows }');
    expect(liveStore).toContain('try await collection.retryWrite(write)');
    const runtime = (file: string) => readFileSync(path.join(repoRoot, 'packages/swift-runtime/Sources/SyncPatternsRuntime', file), 'utf8');
    expect(runtime('SyncCollection.swift')).toContain('SyncQuery(database: engine.database, table: table, request: request)');
    expect(runtime('SyncCollection.swift')).toContain('_ = try await engine.retryWrite(failed.writeId)');
    expect(runtime('SyncSnapshot.swift')).toContain('try SyncSnapshot<Record>.fetch(db, table: table, request: request)');
    expect(runtime('SyncSnapshot.swift')).toContain('if snapshot.failedWrites != failedWrites { failedWrites = snapshot.failedWrites }');
  });
});
