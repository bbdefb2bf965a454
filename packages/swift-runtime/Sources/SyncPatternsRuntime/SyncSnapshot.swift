import Foundation
import GRDB
import SyncPatternsClient

/// A generated view record (`<Entity>Record`): typed columns, its pending flag, its key as the
/// outbox holds it, and the app model it stands for.
public protocol SyncViewRecord: FetchableRecord, Sendable {
  associatedtype Model
  /// A local write of this row waits for the server (the view's `_pending`).
  var pending: Bool { get }
  /// The primary key as outbox text (`CAST(pk AS TEXT)`; UUIDs lowercased).
  var syncKey: String { get }
  /// The row as the app model.
  func model() throws -> Model
}

/// What a live store observes in one read transaction: the rows of a query over the view, and
/// the refused writes of the table (so row states and `failedWrites` always agree).
public struct SyncSnapshot<Record: SyncViewRecord>: Sendable {
  public let records: [Record]
  public let failedWrites: [FailedWrite]

  public init(records: [Record], failedWrites: [FailedWrite]) {
    self.records = records
    self.failedWrites = failedWrites
  }

  /// Reads the rows of `sql` (the table's `selectAll` by default) and the refused writes.
  public static func fetch(
    _ db: Database, table: SyncTable, sql: String? = nil,
    arguments: StatementArguments = StatementArguments()
  ) throws -> SyncSnapshot {
    let records = try Record.fetchAll(db, sql: sql ?? table.sql.selectAll, arguments: arguments)
    return SyncSnapshot(records: records, failedWrites: try SyncRows.failedWrites(db, table: table))
  }

  /// The models with their states: pending while a local write waits, failed when the key has a
  /// refused write and nothing newer is pending (`Synced.state(pending:failed:)`).
  public func rows() throws -> [Synced<Record.Model>] {
    let failed = Set(failedWrites.map(\.key))
    var rows: [Synced<Record.Model>] = []
    rows.reserveCapacity(records.count)
    for record in records {
      let state = Synced<Record.Model>.state(
        pending: record.pending, failed: !failed.isEmpty && failed.contains(record.syncKey))
      rows.append(Synced(try record.model(), state: state))
    }
    return rows
  }
}
