import Foundation
import GRDB
import SyncPatternsClient

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Follows one table's Electric shape by long-polling (contract §5). Each response's changes, its
/// txids and the new handle/offset are written in ONE transaction, so a restart resumes exactly
/// after the last applied batch; sent writes whose txid arrived are reconciled in it too.
///
/// A must-refetch fills a staging table (`T_synced_refetch`, flagged in `_sync_meta` so a restart
/// resumes into it) while `T_synced` keeps serving the view; the first up-to-date swaps it in, in
/// one transaction, so no emitted state misses a row present before and after.
actor ShapeConsumer {
  private let table: SyncTable
  private let tables: [String: SyncTable]
  private let statements: TableStatements
  private let database: any DatabaseWriter
  private let http: HTTPClient
  private let electricURL: URL
  private let policy: BackoffPolicy
  private let timeouts: SyncTimeouts
  private let status: SyncStatus
  /// The first success after a failure (contract §2: a reconnect).
  private let onReconnect: @Sendable () async -> Void
  /// A request got no answer (the outbox probes the server while writes wait).
  private let onUnreachable: @Sendable () async -> Void
  private var task: Task<Void, Never>?
  private var inflight: Task<HTTPResponse, any Error>?
  /// The backoff pause after a failure; `retryNow()` ends it.
  private var pause: Task<Void, Never>?
  /// A refetch is filling the staging table (mirrors the `_sync_meta` flag).
  private var refetching = false
  /// Sent writes of this table acknowledged before the current snapshot (offset -1) was
  /// requested: the snapshot carries no txids but holds them, so they are reconciled when it is
  /// complete.
  private var sentBeforeSnapshot: Set<String>?

  init(
    table: SyncTable, tables: [SyncTable], database: any DatabaseWriter, http: HTTPClient,
    electricURL: URL, policy: BackoffPolicy, timeouts: SyncTimeouts = SyncTimeouts(),
    status: SyncStatus, onReconnect: @escaping @Sendable () async -> Void,
    onUnreachable: @escaping @Sendable () async -> Void = {}
  ) {
    self.table = table
    self.tables = Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0) })
    self.statements = TableStatements(table)
    self.database = database
    self.http = http
    self.electricURL = electricURL
    self.policy = policy
    self.timeouts = timeouts
    self.status = status
    self.onReconnect = onReconnect
    self.onUnreachable = onUnreachable
  }

  func start() {
    guard task == nil else { return }
    task = Task { await self.run() }
  }

  func stop() {
    task?.cancel()
    inflight?.cancel()
    pause?.cancel()
    task = nil
  }

  /// Ends a pending long poll so the next request goes out now.
  func refresh() {
    inflight?.cancel()
    pause?.cancel()
  }

  /// The server answers again (a probe, the network path): a failed shape retries now instead
  /// of waiting for its backoff.
  func retryNow() {
    pause?.cancel()
  }

  private func run() async {
    var log = await storedPosition()
    var failures = 0
    while !Task.isCancelled {
      do {
        if log.offset == "-1" && sentBeforeSnapshot == nil {
          sentBeforeSnapshot = await sentWrites()
        }
        let request = poll(for: log)
        let response = try await request.value
        let outcome = log.receive(
          status: response.status, headers: response.headers, body: response.body)
        try await persist(outcome, log: log)
        let recovered = failures > 0
        failures = 0
        await status.shape(table.name, upToDate: log.upToDate)
        // Only the first success after a failure is a reconnect (contract §2): a batch caused
        // by other users' writes never resets the outbox's backoff or a `Retry-After`.
        if recovered { await onReconnect() }
        if response.status >= 400 && response.status != 409 {
          throw APIError(response: response)
        }
      } catch is CancellationError {
        if Task.isCancelled { return }
      } catch let error as URLError where error.code == .cancelled {
        if Task.isCancelled { return }
      } catch {
        failures += 1
        await status.offline(error)
        if !(error is APIError) { await onUnreachable() }
        let delay = max(policy.delayMs(attempt: failures, random: Double.random(in: 0..<1)), 100)
        let pause = Task<Void, Never> {
          try? await Task.sleep(nanoseconds: UInt64(delay) * 1_000_000)
        }
        self.pause = pause
        await pause.value
        self.pause = nil
      }
    }
  }

  /// One request, with a hard deadline (contract §2): a long poll gets `timeouts.livePoll`, any
  /// other request `timeouts.request`; a request past it fails as a network error.
  private func poll(for log: ShapeLog) -> Task<HTTPResponse, any Error> {
    let url = requestURL(for: log)
    let http = http
    let seconds = log.upToDate ? timeouts.livePoll : timeouts.request
    let task = Task {
      var request = URLRequest(url: url)
      request.timeoutInterval = seconds
      let token = try await http.tokenProvider?()
      if let token {
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
      }
      let prepared = request
      return try await Deadline.run(seconds: seconds) {
        try await http.transport.send(prepared)
      }
    }
    inflight = task
    return task
  }

  func requestURL(for log: ShapeLog) -> URL {
    var components =
      URLComponents(url: electricURL, resolvingAgainstBaseURL: false) ?? URLComponents()
    components.queryItems =
      (components.queryItems ?? []) + [URLQueryItem(name: "table", value: table.name)]
      + log.queryItems
    return components.url ?? electricURL
  }

  private func storedPosition() async -> ShapeLog {
    let key = table.shapeKey
    let flag = refetchKey
    let stored = try? await database.read { db -> (String?, String?, Bool) in
      let flagged =
        try String.fetchOne(db, sql: SyncSharedSQL.metaValue, arguments: [flag]) != nil
      guard let row = try Row.fetchOne(db, sql: SyncSharedSQL.shapeState, arguments: [key])
      else { return (nil, nil, flagged) }
      let handle: String? = row["handle"]
      let offset: String? = row["offset"]
      return (handle, offset, flagged)
    }
    refetching = stored?.2 ?? false
    guard let stored, let offset = stored.1 else { return ShapeLog() }
    return ShapeLog(handle: stored.0, offset: offset)
  }

  /// The `_sync_meta` key of the persisted refetch flag.
  private var refetchKey: String { "refetch:\(table.name)" }

  /// Write ids of this table's `sent` rows.
  private func sentWrites() async -> Set<String> {
    let name = table.name
    let ids = try? await database.read { db in
      try String.fetchAll(
        db,
        sql: """
          SELECT "write_id" FROM "_sync_outbox" WHERE "table_name" = ?1 AND "status" = 'sent'
          """,
        arguments: [name])
    }
    return Set(ids ?? [])
  }

  private func persist(_ outcome: ShapeLog.Outcome, log: ShapeLog) async throws {
    let table = table
    let tables = tables
    let statements = statements
    let flag = refetchKey
    let startRefetch = outcome.action == .refetch
    // The first snapshot of a table (nothing synced yet) goes straight to `T_synced`; a
    // must-refetch of a table that has rows goes through the staging table.
    let wasRefetching = refetching
    let staging = startRefetch || wasRefetching
    let finishing = staging && log.upToDate
    let snapshotWrites = log.upToDate ? (sentBeforeSnapshot ?? []) : []
    try await database.write { db in
      if startRefetch {
        try db.execute(sql: statements.dropStaging)
        try db.execute(sql: statements.createStaging)
        try db.execute(sql: SyncSharedSQL.setMeta, arguments: [flag, "1"])
      }
      for change in outcome.changes {
        let key = change.value[table.primaryKey] ?? Self.keyFromMessage(change.key)
        let keyValue = SyncBridge.databaseValue(key, storage: table.keyColumn.storage)
        switch change.operation {
        case .delete:
          try db.execute(
            sql: staging ? statements.deleteStaging : table.sql.deleteSynced,
            arguments: [keyValue])
          if !staging {
            try db.execute(sql: statements.deleteLocalWithoutWrite, arguments: [keyValue])
          }
        case .insert, .update:
          let values = SyncBridge.syncedArguments(key: key, change.value, table: table)
          try db.execute(
            sql: staging ? statements.upsertStaging : table.sql.upsertSynced,
            arguments: StatementArguments(values))
        }
      }
      if finishing {
        for sql in statements.swap { try db.execute(sql: sql) }
        try db.execute(sql: SyncSharedSQL.deleteMeta, arguments: [flag])
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
      // A complete snapshot holds the writes acknowledged before it was requested.
      if !snapshotWrites.isEmpty {
        try Reconciler.reconcileSent(db, tables: tables, writeIds: Array(snapshotWrites))
      }
    }
    if startRefetch {
      refetching = true
      sentBeforeSnapshot = nil
    }
    if finishing { refetching = false }
    if log.upToDate { sentBeforeSnapshot = nil }
  }

  /// `"public"."contacts"/"<pk>"` → the key text, for messages that omit the key column.
  static func keyFromMessage(_ key: String) -> JSONValue {
    guard let slash = key.range(of: "/\"", options: .backwards) else { return .string(key) }
    return .string(String(key[slash.upperBound...].dropLast()))
  }
}
