import Foundation
import GRDB
import Observation
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

  /// Reads the rows `request` selects from the view, and the refused writes.
  public static func fetch(
    _ db: Database, table: SyncTable, request: QueryInterfaceRequest<Record>
  ) throws -> SyncSnapshot where Record: TableRecord {
    let records = try request.fetchAll(db)
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

/// The rows of one query over a live table's view, followed with GRDB's `ValueObservation`
/// (region tracking: only writes to the tables the query reads refetch it). Made by a live
/// store's `query(_:)`, and the rows a live store's `SyncCollection` follows; call `start()` to
/// follow, `stop()` to stop. Values are assigned only when they changed, so SwiftUI is not
/// invalidated by observation ticks that change nothing.
@Observable
@MainActor
public final class SyncQuery<Record: SyncViewRecord & TableRecord> where Record.Model: Equatable {
  /// The rows the query selects, as app models, kept up to date.
  public private(set) var items: [Record.Model] = []
  /// `items` with each row's state (pending, failed, synced).
  public private(set) var rows: [Synced<Record.Model>] = []
  /// The refused writes of the whole table (not only of the selected rows), oldest first, read
  /// in the same transaction as `rows`.
  public private(set) var failedWrites: [FailedWrite] = []
  /// True until the first rows have been read.
  public private(set) var isLoading = false
  /// The error of the last failed read, cleared by the next good one.
  public private(set) var readError: (any Error)?

  private let database: any DatabaseWriter
  private let table: SyncTable
  private let request: QueryInterfaceRequest<Record>
  private var task: Task<Void, Never>?

  public init(
    database: any DatabaseWriter, table: SyncTable, request: QueryInterfaceRequest<Record>
  ) {
    self.database = database
    self.table = table
    self.request = request
  }

  /// Reads the rows, then follows them (idempotent).
  public func start() {
    guard task == nil else { return }
    isLoading = true
    let database = database
    let table = table
    let request = request
    task = Task { [weak self] in
      let observed = ValueObservation.tracking { db in
        try SyncSnapshot<Record>.fetch(db, table: table, request: request)
      }
      do {
        for try await snapshot in observed.values(in: database) {
          guard let self else { return }
          self.apply(snapshot)
        }
      } catch {
        self?.fail(error)
      }
    }
  }

  /// Stops following the rows.
  public func stop() {
    task?.cancel()
    task = nil
  }

  private func apply(_ snapshot: SyncSnapshot<Record>) {
    do {
      let rows = try snapshot.rows()
      if rows != self.rows {
        self.rows = rows
        items = rows.map(\.value)
      }
      if snapshot.failedWrites != failedWrites { failedWrites = snapshot.failedWrites }
      if readError != nil { readError = nil }
    } catch {
      readError = error
    }
    isLoading = false
  }

  private func fail(_ error: any Error) {
    readError = error
    isLoading = false
  }
}
