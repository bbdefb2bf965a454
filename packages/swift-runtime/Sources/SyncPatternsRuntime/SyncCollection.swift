import Foundation
import GRDB
import Observation
import SyncPatternsClient

/// The state of one live collection, the part of a generated live store (`<Plural>Store`) that
/// is the same for every entity: the rows of its view (a `SyncQuery`: one `SyncSnapshot` per
/// transaction, so row states and `failedWrites` always agree), the table's refused writes, the
/// read and write errors, and the engine calls around them. The generated store forwards its
/// public members here and adds what is typed per entity (its query scope, its writes).
@Observable
@MainActor
public final class SyncCollection<Record: SyncViewRecord & TableRecord>
where Record.Model: Equatable {
  /// The rows of the local view (local changes merged over synced rows), kept up to date.
  public var items: [Record.Model] { query?.items ?? [] }
  /// `items` with each row's state: pending while a local write waits for the server, failed
  /// when the server refused one (see `failedWrites`).
  public var rows: [Synced<Record.Model>] { query?.rows ?? [] }
  /// The writes of this table the server refused for good, oldest first.
  public var failedWrites: [FailedWrite] { query?.failedWrites ?? [] }
  /// True until the first rows have been read from the local database.
  public var isLoading: Bool { query?.isLoading ?? false }
  /// The error of the last failed read of the local database, cleared by the next good read.
  public var readError: (any Error)? { query?.readError }
  /// The error of the last write that threw, cleared by the next successful write.
  public private(set) var writeError: (any Error)?

  /// The engine that syncs the table (writes go through it).
  public let engine: SyncEngine
  /// The table's runtime descriptor.
  public let table: SyncTable
  /// The followed rows, from the first `load`.
  private var query: SyncQuery<Record>?

  public init(engine: SyncEngine, table: SyncTable) {
    self.engine = engine
    self.table = table
  }

  /// Reads the rows `request` selects, then follows them and starts syncing. Idempotent while
  /// following; after `stop()` it follows the first request again (the rows read so far stay
  /// until the next read).
  public func load(_ request: QueryInterfaceRequest<Record>) async {
    // Assigned once: `query` is observed, and a second `load()` (a view's `.task` running again)
    // must not notify every observer of the store.
    if self.query == nil {
      self.query = SyncQuery(database: engine.database, table: table, request: request)
    }
    self.query?.start()
    await engine.start()
  }

  /// Asks the engine to fetch the latest server changes of the table now and retry pending writes.
  public func refresh() async {
    await engine.refresh(table)
  }

  /// Stops following the local database (syncing continues in the engine).
  public func stop() {
    query?.stop()
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
}
