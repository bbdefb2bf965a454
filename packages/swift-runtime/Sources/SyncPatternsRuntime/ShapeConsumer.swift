import Foundation
import GRDB
import SyncPatternsClient

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Follows one table's Electric shape by long-polling (contract §5). Each response's changes, its
/// txids and the new handle/offset are written in ONE transaction, so a restart resumes exactly
/// after the last applied batch; sent writes whose txid arrived are reconciled in it too.
actor ShapeConsumer {
  private let table: SyncTable
  private let tables: [String: SyncTable]
  private let database: any DatabaseWriter
  private let http: HTTPClient
  private let electricURL: URL
  private let policy: BackoffPolicy
  private let status: SyncStatus
  private let onReconnect: @Sendable () async -> Void
  private var task: Task<Void, Never>?
  private var inflight: Task<HTTPResponse, any Error>?

  init(
    table: SyncTable, tables: [SyncTable], database: any DatabaseWriter, http: HTTPClient,
    electricURL: URL, policy: BackoffPolicy, status: SyncStatus,
    onReconnect: @escaping @Sendable () async -> Void
  ) {
    self.table = table
    self.tables = Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0) })
    self.database = database
    self.http = http
    self.electricURL = electricURL
    self.policy = policy
    self.status = status
    self.onReconnect = onReconnect
  }

  func start() {
    guard task == nil else { return }
    task = Task { await self.run() }
  }

  func stop() {
    task?.cancel()
    inflight?.cancel()
    task = nil
  }

  /// Ends a pending long poll so the next request goes out now.
  func refresh() {
    inflight?.cancel()
  }

  private func run() async {
    var log = await storedPosition()
    var failures = 0
    while !Task.isCancelled {
      do {
        let request = poll(for: log)
        let response = try await request.value
        let outcome = log.receive(status: response.status, headers: response.headers, body: response.body)
        try await persist(outcome, log: log)
        let recovered = failures > 0
        failures = 0
        await status.shape(table.name, upToDate: log.upToDate)
        // Only the first success after a failure is a reconnect (contract §2): a batch caused
        // by other users' writes never resets the outbox's backoff or a `Retry-After`.
        if recovered { await onReconnect() }
        if response.status >= 400 && response.status != 409 { throw APIError(response: response) }
      } catch is CancellationError {
        if Task.isCancelled { return }
      } catch let error as URLError where error.code == .cancelled {
        if Task.isCancelled { return }
      } catch {
        failures += 1
        await status.offline(error)
        let delay = policy.delayMs(attempt: failures, random: Double.random(in: 0..<1))
        try? await Task.sleep(nanoseconds: UInt64(max(delay, 100)) * 1_000_000)
      }
    }
  }

  private func poll(for log: ShapeLog) -> Task<HTTPResponse, any Error> {
    let url = requestURL(for: log)
    let http = http
    let task = Task {
      var request = URLRequest(url: url)
      request.timeoutInterval = log.upToDate ? 60 : 30
      let token = try await http.tokenProvider?()
      if let token = token {
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
      }
      return try await http.transport.send(request)
    }
    inflight = task
    return task
  }

  func requestURL(for log: ShapeLog) -> URL {
    var components = URLComponents(url: electricURL, resolvingAgainstBaseURL: false)
      ?? URLComponents()
    components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "table", value: table.name)] + log.queryItems
    return components.url ?? electricURL
  }

  private func storedPosition() async -> ShapeLog {
    let key = table.shapeKey
    let row = try? await database.read { db in
      try Row.fetchOne(db, sql: SyncSharedSQL.shapeState, arguments: [key])
    }
    guard let row, let offset: String = row["offset"] else { return ShapeLog() }
    return ShapeLog(handle: row["handle"], offset: offset)
  }

  private func persist(_ outcome: ShapeLog.Outcome, log: ShapeLog) async throws {
    let table = table
    let tables = tables
    _ = try await database.write { db in
      if outcome.action == .refetch {
        try db.execute(sql: table.sql.clearSynced)
      }
      for change in outcome.changes {
        let key = change.value[table.primaryKey] ?? Self.keyFromMessage(change.key)
        switch change.operation {
        case .delete:
          try db.execute(sql: table.sql.deleteSynced, arguments: [SyncBridge.databaseValue(key, storage: table.keyColumn.storage)])
        case .insert, .update:
          let values = SyncBridge.syncedArguments(key: key, change.value, table: table)
          try db.execute(sql: table.sql.upsertSynced, arguments: StatementArguments(values))
        }
      }
      let now = nowMs()
      for txid in outcome.txids {
        try db.execute(sql: SyncSharedSQL.recordTxid, arguments: [txid, now])
      }
      if !outcome.txids.isEmpty { try db.execute(sql: SyncSharedSQL.pruneTxids) }
      try db.execute(
        sql: SyncSharedSQL.saveShape,
        arguments: [table.shapeKey, log.handle, log.offset, table.schemaHash, now])
      try Reconciler.reconcile(db, tables: tables)
    }
  }

  /// `"public"."contacts"/"<pk>"` → the key text, for messages that omit the key column.
  static func keyFromMessage(_ key: String) -> JSONValue {
    guard let slash = key.range(of: "/\"", options: .backwards) else { return .string(key) }
    return .string(String(key[slash.upperBound...].dropLast()))
  }
}
