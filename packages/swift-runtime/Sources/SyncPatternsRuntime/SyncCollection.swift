import Foundation
import GRDB
import Observation
import SyncPatternsClient

/// The state of one live collection, the part of a generated live store (`<Plural>Store`) that
/// is the same for every entity: the rows of its view followed with GRDB's `ValueObservation`
/// (one `SyncSnapshot` per transaction, so row states and `failedWrites` always agree), the
/// table's refused writes, and the read and write errors. The generated store forwards its
/// public members here and adds what is typed per entity (its query, its writes).
///
/// Values are assigned only when they changed, so SwiftUI is not invalidated by observation
/// ticks that change nothing.
@Observable
@MainActor
public final class SyncCollection<Record: SyncViewRecord & TableRecord>
where Record.Model: Equatable {
  /// The rows of the local view (local changes merged over synced rows), kept up to date.
  public private(set) var items: [Record.Model] = []
  /// `items` with each row's state: pending while a local write waits for the server, failed
  /// when the server refused one (see `failedWrites`).
  public private(set) var rows: [Synced<Record.Model>] = []
  /// The writes of this table the server refused for good, oldest first.
  public private(set) var failedWrites: [FailedWrite] = []
  /// True until the first rows have been read from the local database.
  public private(set) var isLoading = false
  /// The error of the last failed read of the local database, cleared by the next good read.
  public private(set) var readError: (any Error)?
  /// The error of the last write that threw, cleared by the next successful write.
  public private(set) var writeError: (any Error)?

  /// The engine that syncs the table (writes go through it).
  public let engine: SyncEngine
  /// The table's runtime descriptor.
  public let table: SyncTable
  @ObservationIgnored private var observation: Task<Void, Never>?

  public init(engine: SyncEngine, table: SyncTable) {
    self.engine = engine
    self.table = table
  }

  /// Reads the rows `request` selects, then follows them and starts syncing (idempotent: a
  /// second call while following does nothing).
  public func load(_ request: QueryInterfaceRequest<Record>) async {
    guard observation == nil else { return }
    isLoading = true
    let database = engine.database
    let table = table
    observation = Task { [weak self] in
      let observed = ValueObservation.tracking { db in
        try SyncSnapshot<Record>.fetch(db, table: table, request: request)
      }
      do {
        for try await snapshot in observed.values(in: database) {
          guard let self else { return }
          self.apply(snapshot)
        }
      } catch {
        self?.failRead(error)
      }
    }
    await engine.start()
  }

  /// Asks the engine to fetch the latest server changes of the table now and retry pending writes.
  public func refresh() async {
    await engine.refresh(table)
  }

  /// Stops following the local database (syncing continues in the engine).
  public func stop() {
    observation?.cancel()
    observation = nil
  }

  /// Runs a write, recording its error in `writeError` (cleared when it succeeds).
  @discardableResult
  public func write<T>(_ work: () async throws -> T) async throws -> T {
    do {
      let result = try await work()
      writeError = nil
      return result
    } catch {
      writeError = error
      throw error
    }
  }

  /// Makes a refused write again, as a new write with the same values (contract §2).
  public func retryWrite(_ failed: FailedWrite) async throws {
    try await write {
      _ = try await engine.retryWrite(failed.writeId)
    }
  }

  /// Forgets a refused write; its local change stays rolled back.
  public func discardWrite(_ failed: FailedWrite) async throws {
    try await write {
      try await engine.discardWrite(failed.writeId)
    }
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

  private func failRead(_ error: any Error) {
    readError = error
    isLoading = false
  }
}
