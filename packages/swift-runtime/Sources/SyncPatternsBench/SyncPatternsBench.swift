import Foundation
import GRDB
import Observation
import SyncPatternsClient
import SyncPatternsRuntime

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The swift-runtime benchmark (issue #19): `swift run -c release SyncPatternsBench`, against
/// `sync-patterns dev` serving fixtures/todo with `SYNC_BENCH_ROWS` todos (tools/bench/
/// swift-runtime.ts starts it and sets `SYNC_BENCH_SERVER`). It drives the generated todo store
/// (a copy of the generator's output, in Generated/) the way an app does, over real HTTP, and
/// prints each figure against a baseline measured in the same run:
///
/// - initial sync until the store shows every row, against the floor: GET the snapshot,
///   `JSONSerialization`, one GRDB transaction with a prepared insert;
/// - local writes per second with nothing observed (server up);
/// - write → view latency with the store observing the view at `SYNC_BENCH_ROWS` rows;
/// - the drain of writes queued offline, once the network is back (nothing observed).
///
/// `figure <key> <value>` lines are for the wrapper, which prints them as goal lines.
@main
@MainActor
enum BenchMain {
  static func main() async {
    do {
      let config = try BenchConfig.fromEnvironment()
      say("swift-runtime: \(config.rows) todos from \(config.server.absoluteString)")
      try await initialSync(config)
      try await writes(config)
    } catch {
      FileHandle.standardError.write(Data("SyncPatternsBench: \(error)\n".utf8))
      exit(1)
    }
  }

  // MARK: - Initial sync

  /// Alternates floor and store rounds; prints each, then the medians and the ratio.
  static func initialSync(_ config: BenchConfig) async throws {
    var floors: [Double] = []
    var stores: [Double] = []
    for run in 1...config.runs {
      let floor = try await floorRound(config)
      let store = try await storeRound(config)
      floors.append(floor.total)
      stores.append(store)
      say(
        "initial sync, run \(run): floor \(fixed(floor.total, 3)) s (GET "
          + "\(fixed(floor.get, 3)) s, JSONSerialization \(fixed(floor.parse, 3)) s, GRDB insert "
          + "\(fixed(floor.insert, 3)) s), store \(fixed(store, 3)) s")
    }
    let floor = median(floors)
    let store = median(stores)
    let percent = store > 0 ? floor / store * 100 : 0
    say(
      "initial sync of \(config.rows) rows (median of \(config.runs)): floor "
        + "\(fixed(floor, 3)) s, store \(fixed(store, 3)) s "
        + "(\(fixed(Double(config.rows) / store, 0)) rows/s): \(fixed(percent, 1)) % of the floor")
    figure("initial-sync-percent-of-floor", percent)
  }

  /// The floor of an initial sync, in seconds: every request of the snapshot, parsing it, and
  /// one transaction of prepared inserts into a fresh on-disk `todos_synced`.
  static func floorRound(
    _ config: BenchConfig
  ) async throws -> (total: Double, get: Double, parse: Double, insert: Double) {
    let transport = URLSessionTransport()
    var bodies: [Data] = []
    var getTime = 0.0
    var offset = "-1"
    var handle: String?
    while true {
      let base = config.shapeURL
      guard var components = URLComponents(url: base, resolvingAgainstBaseURL: false) else {
        throw BenchError.setup("bad shape URL \(base)")
      }
      var query = [
        URLQueryItem(name: "table", value: TodoSyncTable.table.name),
        URLQueryItem(name: "offset", value: offset),
      ]
      if let handle { query.append(URLQueryItem(name: "handle", value: handle)) }
      components.queryItems = query
      guard let url = components.url else { throw BenchError.setup("bad shape URL \(query)") }
      var request = URLRequest(url: url)
      request.setValue("Bearer \(config.token)", forHTTPHeaderField: "Authorization")
      let start = ContinuousClock.now
      let response = try await transport.send(request)
      getTime += seconds(since: start)
      guard response.status == 200 else {
        let body = String(decoding: response.body.prefix(300), as: UTF8.self)
        throw BenchError.http("GET \(url.absoluteString)", response.status, body)
      }
      bodies.append(response.body)
      if response.headers["electric-up-to-date"] != nil { break }
      guard let next = response.headers["electric-offset"] else {
        throw BenchError.setup("GET \(url.absoluteString): no electric-offset header")
      }
      offset = next
      handle = response.headers["electric-handle"] ?? handle
    }

    let parseStart = ContinuousClock.now
    var rows: [FloorRow] = []
    rows.reserveCapacity(config.rows)
    for body in bodies {
      guard let messages = try JSONSerialization.jsonObject(with: body) as? [[String: Any]] else {
        throw BenchError.setup("the shape answer is not a JSON array of messages")
      }
      for message in messages {
        guard let value = message["value"] as? [String: Any], let id = value["id"] as? String
        else { continue }
        let completed = (value["completed"] as? String).map { $0 == "t" || $0 == "true" }
        rows.append(
          FloorRow(
            id: id, title: value["title"] as? String, completed: completed,
            listId: value["list_id"] as? String))
      }
    }
    let parse = seconds(since: parseStart)
    guard rows.count >= config.rows else {
      throw BenchError.setup("the snapshot holds \(rows.count) rows, not \(config.rows)")
    }

    let scratch = try Scratch()
    defer { scratch.remove() }
    let database = try DatabaseQueue(path: scratch.databasePath)
    try await database.write { db in try db.execute(sql: TodoSQL.createSynced) }
    let batch = rows
    let insertStart = ContinuousClock.now
    try await database.write { db in
      let statement = try db.makeStatement(
        sql: """
          INSERT INTO "todos_synced" ("id", "title", "completed", "list_id")
          VALUES (?, ?, ?, ?)
          """)
      for row in batch {
        try statement.execute(arguments: [row.id, row.title, row.completed, row.listId])
      }
    }
    let insert = seconds(since: insertStart)
    try database.close()
    return (getTime + parse + insert, getTime, parse, insert)
  }

  /// Seconds from `load()` of a fresh store until its `items` hold every row.
  static func storeRound(_ config: BenchConfig) async throws -> Double {
    let live = try Live(config)
    let start = ContinuousClock.now
    await live.store.load()
    try await waitForRows(live.store, config.rows, "the initial sync")
    let elapsed = seconds(since: start)
    await live.close()
    return elapsed
  }

  // MARK: - Writes

  /// Local writes with nothing observed, write → view with the store observed, and the drain of
  /// writes queued offline; each an update of an existing row's title (the table keeps its size).
  static func writes(_ config: BenchConfig) async throws {
    let live = try Live(config)
    do {
      try await writes(config, live)
      await live.close()
    } catch {
      await live.close()
      throw error
    }
  }

  private static func writes(_ config: BenchConfig, _ live: Live) async throws {
    let store = live.store
    await store.load()
    try await waitForRows(store, config.rows, "the sync before the writes")
    let ids = store.items.map(\.id)
    store.stop()

    // Nothing observed, server up (the outbox sends meanwhile).
    let unobservedStart = ContinuousClock.now
    for index in 0..<config.writes {
      try await store.update(id: ids[index % ids.count], TodoPatch(title: "unobserved \(index)"))
    }
    let unobserved = seconds(since: unobservedStart)
    let perSecond = Double(config.writes) / unobserved
    say(
      "local writes, nothing observed, server up: \(config.writes) in \(fixed(unobserved, 3)) s: "
        + "\(fixed(perSecond, 0)) writes/s")
    figure("unobserved-writes-per-second", perSecond)
    try await waitForOutbox(live.database, ["pending", "inflight", "sent"], "the unobserved writes")

    // The store observes the view again; each write is timed until `items` shows it.
    await store.load()
    try await waitUntil("the store's first read") { store.readError != nil || !store.isLoading }
    if let error = store.readError { throw error }
    var latencies: [Double] = []
    for index in 0..<config.observedWrites {
      let id = ids[(index * 7_919) % ids.count]
      let title = "observed \(index)"
      let start = ContinuousClock.now
      try await store.update(id: id, TodoPatch(title: title))
      try await waitUntil("write \(index) in the view") {
        store.readError != nil || store.items.contains { $0.id == id && $0.title == title }
      }
      if let error = store.readError { throw error }
      latencies.append(seconds(since: start) * 1_000)
    }
    let p99 = percentile(latencies, 99)
    say(
      "write → view, store observed at \(ids.count) rows, server up: "
        + "p50 \(fixed(percentile(latencies, 50), 2)) ms, p99 \(fixed(p99, 2)) ms, "
        + "max \(fixed(latencies.max() ?? 0, 2)) ms (\(latencies.count) writes)")
    figure("write-to-view-p99-ms", p99)
    store.stop()
    try await waitForOutbox(live.database, ["pending", "inflight", "sent"], "the observed writes")

    // Offline: the writes queue; back online, time until the server has accepted every one.
    let refusedBefore = try await outboxCount(live.database, ["failed"])
    live.transport.online = false
    for index in 0..<config.drain {
      try await store.update(id: ids[index % ids.count], TodoPatch(title: "queued \(index)"))
    }
    let queued = try await outboxCount(live.database, ["pending", "inflight"])
    live.transport.online = true
    let drainStart = ContinuousClock.now
    await live.engine.networkAvailable()
    try await waitForOutbox(live.database, ["pending", "inflight"], "the drain")
    let sent = seconds(since: drainStart)
    try await waitForOutbox(live.database, ["sent"], "the drain's reconciliation")
    let reconciled = seconds(since: drainStart)
    let refused = try await outboxCount(live.database, ["failed"]) - refusedBefore
    let drainRate = Double(queued - refused) / sent
    say(
      "drain of \(queued) queued writes, nothing observed: accepted in \(fixed(sent, 3)) s "
        + "(\(fixed(drainRate, 0)) writes/s, one request each), reconciled by the shape in "
        + "\(fixed(reconciled, 3)) s" + (refused > 0 ? "; \(refused) REFUSED by the server" : ""))
    figure("drain-writes-per-second", drainRate)
  }

  // MARK: - Helpers

  /// Waits until the store's `items` hold at least `count` rows (throws its read error).
  static func waitForRows(_ store: TodosStore, _ count: Int, _ what: String) async throws {
    try await waitUntil(what) { store.readError != nil || store.items.count >= count }
    if let error = store.readError { throw error }
  }

  /// Waits until `condition` holds, checking it again each time a value it read changes
  /// (Observation), so the wait adds no polling delay to a measured latency.
  static func waitUntil(
    _ what: String, _ condition: @escaping @MainActor () -> Bool
  ) async throws {
    let start = ContinuousClock.now
    while !condition() {
      if seconds(since: start) > 600 { throw BenchError.timeout(what) }
      await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        withObservationTracking {
          _ = MainActor.assumeIsolated { condition() }
        } onChange: {
          continuation.resume()
        }
      }
    }
  }

  /// Outbox rows whose status is one of `statuses`.
  static func outboxCount(_ database: DatabaseQueue, _ statuses: [String]) async throws -> Int {
    let list = statuses.map { "'\($0)'" }.joined(separator: ", ")
    return try await database.read { db in
      try Int.fetchOne(
        db, sql: "SELECT count(*) FROM \"_sync_outbox\" WHERE \"status\" IN (\(list))") ?? 0
    }
  }

  /// Polls (every 5 ms) until no outbox row has one of `statuses`; fails after 10 minutes.
  static func waitForOutbox(
    _ database: DatabaseQueue, _ statuses: [String], _ what: String
  ) async throws {
    let start = ContinuousClock.now
    while try await outboxCount(database, statuses) > 0 {
      if seconds(since: start) > 600 { throw BenchError.timeout(what) }
      try await Task.sleep(for: .milliseconds(5))
    }
  }
}

/// A row of the snapshot, as the floor stores it.
struct FloorRow: Sendable {
  var id: String
  var title: String?
  var completed: Bool?
  var listId: String?
}

/// A scratch directory holding one on-disk database, removed at the end.
struct Scratch {
  let directory: URL

  init() throws {
    directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("sync-patterns-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  }

  var databasePath: String { directory.appendingPathComponent("db.sqlite").path }

  func remove() {
    try? FileManager.default.removeItem(at: directory)
  }
}

/// A fresh on-disk database, engine and store, built as Live/SyncDatabase.swift builds them.
@MainActor
final class Live {
  let scratch: Scratch
  let database: DatabaseQueue
  let transport: SwitchableTransport
  let engine: SyncEngine
  let store: TodosStore

  init(_ config: BenchConfig) throws {
    let scratch = try Scratch()
    let database = try DatabaseQueue(path: scratch.databasePath)
    let transport = SwitchableTransport()
    var migrator = DatabaseMigrator()
    SyncSharedSchema.register(in: &migrator)
    migrator.registerMigration("sync-patterns:todos:ea4345c03cb58814") { db in
      try SyncSharedSchema.install(TodoSyncTable.table, in: db)
    }
    try migrator.migrate(database)
    let token = config.token
    let http = HTTPClient(
      baseURL: config.server, transport: transport, tokenProvider: { token })
    let engine = SyncEngine(
      database: database, http: http, electricURL: config.shapeURL,
      tables: [TodoSyncTable.table])
    self.scratch = scratch
    self.database = database
    self.transport = transport
    self.engine = engine
    self.store = TodosStore(engine: engine)
  }

  /// Stops the store and the engine, closes the database and removes it.
  func close() async {
    store.stop()
    await engine.stop()
    try? database.close()
    scratch.remove()
  }
}
