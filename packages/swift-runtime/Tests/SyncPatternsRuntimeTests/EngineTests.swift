import Foundation
import GRDB
import SyncPatternsClient
import XCTest

@testable import SyncPatternsRuntime

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The live engine against a stub server (no network): a write goes through the view, is sent,
/// and is reconciled by the shape message carrying its txid; a refusal rolls it back and keeps
/// it for the errors API; 404s; a hung write times out and the queue goes on; a must-refetch
/// never empties the view. Runs the generator's real SQL (Fixtures/TodoFixture.swift).
final class EngineTests: XCTestCase {
  static let listId = "11111111-1111-4111-8111-111111111111"
  static let schema =
    "{\"id\":{\"type\":\"uuid\"},\"title\":{\"type\":\"text\"},\"completed\":{\"type\":\"bool\"},"
    + "\"list_id\":{\"type\":\"uuid\"}}"

  /// A row of the view `todos`.
  struct TodoRow: Codable, Sendable, Hashable, FetchableRecord {
    var id: String
    var title: String?
    var completed: Bool?
    var listId: String?
    var pending: Bool

    enum CodingKeys: String, CodingKey {
      case id, title, completed
      case listId = "list_id"
      case pending = "_pending"
    }
  }

  struct TodoDraft: Encodable, Sendable {
    var id: String?
    var title: String
    var completed = false
    var listId = EngineTests.listId

    enum CodingKeys: String, CodingKey {
      case id, title, completed
      case listId = "list_id"
    }
  }

  struct TitlePatch: Encodable, Sendable {
    var title: String
  }

  private var database: DatabaseQueue!
  private var server: StubServer!
  private var engine: SyncEngine!

  @MainActor
  private func makeEngine(timeouts: SyncTimeouts = SyncTimeouts()) throws {
    let database = try DatabaseQueue()
    var migrator = DatabaseMigrator()
    SyncSharedSchema.register(in: &migrator)
    migrator.registerMigration("todos") { db in
      try SyncSharedSchema.install(TodoSyncTable.table, in: db)
    }
    try migrator.migrate(database)
    let server = StubServer()
    let http = HTTPClient(baseURL: URL(string: "http://stub.invalid")!, transport: server)
    engine = SyncEngine(
      database: database, http: http, electricURL: URL(string: "http://stub.invalid/v1/shape")!,
      tables: [TodoSyncTable.table],
      policy: BackoffPolicy(baseMs: 50, factor: 2, maxMs: 200), timeouts: timeouts)
    self.database = database
    self.server = server
  }

  override func tearDown() async throws {
    await engine?.stop()
    server?.shutDown()
    engine = nil
    server = nil
    database = nil
  }

  // MARK: - Helpers

  /// A shape answer: `messages`, then the `up-to-date` control message when `upToDate`.
  static func shape(
    offset: String, handle: String = "h1", upToDate: Bool = true, _ messages: [JSONValue] = []
  ) -> HTTPResponse {
    var all = messages
    if upToDate { all.append(.object(["headers": .object(["control": .string("up-to-date")])])) }
    var headers = [
      "electric-handle": handle, "electric-offset": offset, "electric-schema": schema,
    ]
    if upToDate { headers["electric-up-to-date"] = "" }
    let body = (try? JSONEncoder().encode(JSONValue.array(all))) ?? Data()
    return HTTPResponse(status: 200, headers: headers, body: body)
  }

  static func change(
    _ operation: String, id: String, title: String? = nil, txid: Int64? = nil
  ) -> JSONValue {
    var value: [String: JSONValue] = ["id": .string(id)]
    if let title {
      value["title"] = .string(title)
      value["completed"] = .string("f")
      value["list_id"] = .string(listId)
    }
    var headers: [String: JSONValue] = ["operation": .string(operation)]
    if let txid { headers["txids"] = .array([.integer(txid)]) }
    return .object([
      "key": .string("\"public\".\"todos\"/\"\(id)\""), "value": .object(value),
      "headers": .object(headers),
    ])
  }

  static func json(_ status: Int, _ body: String, txid: String? = nil) -> HTTPResponse {
    var headers = ["content-type": "application/json"]
    if let txid { headers["x-sync-txid"] = txid }
    return HTTPResponse(status: status, headers: headers, body: Data(body.utf8))
  }

  @MainActor
  private func viewRows() async throws -> [TodoRow] {
    try await database.read { db in try TodoRow.fetchAll(db, sql: TodoSQL.selectAll) }
  }

  @MainActor
  private func outbox() async throws -> [[String: String?]] {
    try await database.read { db in
      try Row.fetchAll(db, sql: "SELECT \"write_id\", \"status\", \"txid\" FROM \"_sync_outbox\"")
        .map { row in
          let writeId: String? = row["write_id"]
          let status: String? = row["status"]
          let txid: String? = row["txid"]
          return ["write_id": writeId, "status": status, "txid": txid]
        }
    }
  }

  /// Waits until `condition` holds (polling every 20 ms), failing after `seconds`.
  @MainActor
  private func eventually(
    _ what: String, seconds: TimeInterval = 5, _ condition: () async throws -> Bool
  ) async throws {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
      let done = try await condition()
      if done { return }
      try await Task.sleep(nanoseconds: 20_000_000)
    }
    XCTFail("timed out waiting for: \(what)")
    throw CancellationError()
  }

  /// Starts the engine on a synced table holding `rows` (id → title).
  @MainActor
  private func startSynced(_ rows: [String: String] = [:]) async throws {
    let messages = rows.keys.sorted().map { Self.change("insert", id: $0, title: rows[$0]) }
    server.queueShape(Self.shape(offset: "0_0", messages))
    await engine.start()
    try await eventually("initial sync") { try await self.viewRows().count == rows.count }
  }

  // MARK: - Tests

  /// A view record over `todos` as the generator emits one (reduced), for `SyncCollection`.
  struct TodoViewRecord: SyncViewRecord, TableRecord, Hashable {
    static let databaseTableName = "todos"
    var id: String
    var title: String?
    var pending: Bool

    init(row: Row) throws {
      id = row["id"]
      title = row["title"]
      pending = row["_pending"] ?? false
    }

    var syncKey: String { id }

    func model() throws -> TodoItem { TodoItem(id: id, title: title) }
  }

  struct TodoItem: Equatable, Sendable {
    var id: String
    var title: String?
  }

  /// What every generated live store delegates to: the view's rows with their states, the
  /// table's refused writes, and the read/write errors.
  @MainActor
  func testACollectionFollowsTheViewWithRowStatesFailedWritesAndWriteErrors() async throws {
    try makeEngine()
    server.onWrite = { _ in Self.json(422, "{\"message\":\"invalid\"}") }
    let bread = "44444444-4444-4444-8444-444444444444"
    try await startSynced([bread: "Bread"])
    let collection = SyncCollection<TodoViewRecord>(engine: engine, table: TodoSyncTable.table)
    await collection.load(TodoViewRecord.order(Column("id")))
    try await eventually("the first read") { !collection.isLoading }
    XCTAssertEqual(collection.items, [TodoItem(id: bread, title: "Bread")])
    XCTAssertEqual(collection.rows.map(\.state), [.synced])
    XCTAssertNil(collection.readError)

    let milk = "55555555-5555-4555-8555-555555555555"
    try await collection.write {
      _ = try await self.engine.insert(
        TodoDraft(id: milk, title: "Milk"), into: TodoSyncTable.table, as: TodoRow.self)
    }
    XCTAssertNil(collection.writeError)
    try await eventually("the refused insert is rolled back and listed") {
      collection.failedWrites.count == 1 && collection.items.count == 1
    }
    XCTAssertEqual(collection.failedWrites.first?.key, milk)

    struct Refused: Error {}
    do {
      try await collection.write { () async throws -> Void in throw Refused() }
      XCTFail("the write should throw")
    } catch is Refused {}
    XCTAssertTrue(collection.writeError is Refused)

    try await collection.discardWrite(collection.failedWrites[0])
    XCTAssertNil(collection.writeError)
    try await eventually("the discarded write is gone") { collection.failedWrites.isEmpty }
    collection.stop()
  }

  @MainActor
  func testAWriteIsSentThenReconciledByTheShapeMessageCarryingItsTxid() async throws {
    try makeEngine()
    server.onWrite = { _ in Self.json(201, "{\"id\":\"a1\",\"txid\":\"7001\"}") }
    try await startSynced()
    let id = "22222222-2222-4222-8222-222222222222"
    let row = try await engine.insert(
      TodoDraft(id: id, title: "Milk"), into: TodoSyncTable.table, as: TodoRow.self)
    XCTAssertEqual(row.title, "Milk")
    XCTAssertTrue(row.pending)
    try await eventually("the write is sent and awaits its txid") {
      try await self.outbox().first?["status"] == "sent"
    }
    let sent = server.writes()
    XCTAssertEqual(sent.count, 1)
    XCTAssertEqual(sent.first?.httpMethod, "POST")
    XCTAssertEqual(sent.first?.url?.path, "/todos")
    XCTAssertNotNil(sent.first?.value(forHTTPHeaderField: "Idempotency-Key"))
    let storedTxid = try await outbox().first?["txid"]
    XCTAssertEqual(storedTxid, "7001")
    // Still pending: the txid has not been seen on the shape.
    let pendingBeforeShape = try await viewRows().first?.pending
    XCTAssertEqual(pendingBeforeShape, true)

    server.queueShape(
      Self.shape(offset: "1_0", [Self.change("insert", id: id, title: "Milk", txid: 7001)]))
    try await eventually("reconciled") { try await self.outbox().isEmpty }
    let rows = try await viewRows()
    XCTAssertEqual(rows.map(\.title), ["Milk"])
    XCTAssertEqual(rows.first?.pending, false)
    let locals = try await database.read { db in
      try Int.fetchOne(db, sql: "SELECT count(*) FROM \"todos_local\"")
    }
    XCTAssertEqual(locals, 0)
  }

  @MainActor
  func testARefusedWriteIsRolledBackAndKeptForTheErrorsAPI() async throws {
    try makeEngine()
    let id = "33333333-3333-4333-8333-333333333333"
    server.onWrite = { _ in
      Self.json(
        422,
        "{\"message\":\"invalid\",\"fields\":[{\"field\":\"title\",\"message\":\"too long\"}]}"
      )
    }
    try await startSynced([id: "Old"])
    _ = try await engine.update(
      key: .string(id), with: TitlePatch(title: "New"), in: TodoSyncTable.table, as: TodoRow.self)
    let optimisticTitle = try await viewRows().first?.title
    XCTAssertEqual(optimisticTitle, "New")
    try await eventually("refused") { try await self.outbox().first?["status"] == "failed" }
    try await eventually("rolled back") { try await self.viewRows().first?.title == "Old" }
    let pendingAfterRollback = try await viewRows().first?.pending
    XCTAssertEqual(pendingAfterRollback, false)

    let failed = try await engine.failedWrites()
    XCTAssertEqual(failed.count, 1)
    XCTAssertEqual(failed.first?.status, 422)
    XCTAssertEqual(failed.first?.op, "update")
    XCTAssertEqual(failed.first?.table, "todos")
    XCTAssertEqual(failed.first?.key, id)
    XCTAssertEqual(failed.first?.message, "invalid")
    XCTAssertEqual(failed.first?.fieldErrors, ["title": "too long"])
    XCTAssertEqual(failed.first?.values["title"], .string("New"))
    try await eventually("status shows it") { self.engine.status.failedWrites.count == 1 }
    XCTAssertEqual((engine.status.lastError as? SyncWriteError)?.status, 422)

    // Retry: a new write with the same values; accepted this time, it clears lastError.
    server.onWrite = { _ in Self.json(200, "{\"id\":\"x\"}") }
    let retried = try await engine.retryWrite(try XCTUnwrap(failed.first?.writeId))
    XCTAssertNotNil(retried)
    XCTAssertNotEqual(retried, failed.first?.writeId)
    try await eventually("the retry is accepted") { try await self.outbox().isEmpty }
    XCTAssertNil(engine.status.lastError)
    let failedAfterRetry = try await engine.failedWrites().count
    XCTAssertEqual(failedAfterRetry, 0)
  }

  @MainActor
  func testDiscardForgetsAFailedWrite() async throws {
    try makeEngine()
    server.onWrite = { _ in Self.json(409, "{\"detail\":\"conflict\"}") }
    try await startSynced()
    _ = try await engine.insert(
      TodoDraft(id: nil, title: "Dup"), into: TodoSyncTable.table, as: TodoRow.self)
    try await eventually("refused") { try await self.engine.failedWrites().count == 1 }
    let visibleAfterRefusal = try await viewRows()
    XCTAssertEqual(visibleAfterRefusal, [])
    let failed = try await engine.failedWrites()
    XCTAssertEqual(failed.first?.message, "conflict")
    try await engine.discardWrite(try XCTUnwrap(failed.first?.writeId))
    let failedAfterDiscard = try await engine.failedWrites().count
    XCTAssertEqual(failedAfterDiscard, 0)
    let outboxAfterDiscard = try await outbox().count
    XCTAssertEqual(outboxAfterDiscard, 0)
  }

  @MainActor
  func testA404OnADeleteIsASuccessAndTheRowStaysHiddenUntilTheShapeDeletesIt() async throws {
    try makeEngine()
    let id = "44444444-4444-4444-8444-444444444444"
    server.onWrite = { _ in Self.json(404, "{\"message\":\"not found\"}") }
    try await startSynced([id: "Gone"])
    try await engine.delete(key: .string(id), in: TodoSyncTable.table)
    try await eventually("the delete leaves the outbox") { try await self.outbox().isEmpty }
    let visibleAfterGone = try await viewRows()
    XCTAssertEqual(visibleAfterGone, [])
    XCTAssertNil(engine.status.lastError)
    let failedAfterGone = try await engine.failedWrites().count
    XCTAssertEqual(failedAfterGone, 0)
    server.queueShape(Self.shape(offset: "1_0", [Self.change("delete", id: id)]))
    try await eventually("the tombstone goes with the shape's delete") {
      try await self.database.read { db in
        try Int.fetchOne(db, sql: "SELECT count(*) FROM \"todos_local\"") == 0
      }
    }
    let visibleAfterShapeDelete = try await viewRows()
    XCTAssertEqual(visibleAfterShapeDelete, [])
  }

  @MainActor
  func testA404OnAnUpdateIsRefusedAndHidesTheRow() async throws {
    try makeEngine()
    let id = "55555555-5555-4555-8555-555555555555"
    server.onWrite = { _ in Self.json(404, "{\"message\":\"not found\"}") }
    try await startSynced([id: "Stale"])
    _ = try await engine.update(
      key: .string(id), with: TitlePatch(title: "Edit"), in: TodoSyncTable.table,
      as: TodoRow.self)
    try await eventually("refused") { try await self.engine.failedWrites().count == 1 }
    // Neither the refused value nor the stale synced one.
    let visibleAfterRefusedUpdate = try await viewRows()
    XCTAssertEqual(visibleAfterRefusedUpdate, [])
  }

  @MainActor
  func testAHungWriteTimesOutAndIsRetriedWithTheSameIdempotencyKey() async throws {
    try makeEngine(timeouts: SyncTimeouts(request: 0.5, livePoll: 60))
    server.hangNextWrites = 1
    server.onWrite = { _ in Self.json(201, "{\"id\":\"x\"}") }
    try await startSynced()
    let started = Date()
    _ = try await engine.insert(
      TodoDraft(id: nil, title: "Slow"), into: TodoSyncTable.table, as: TodoRow.self)
    try await eventually("answered after the timeout", seconds: 5) {
      try await self.outbox().isEmpty
    }
    XCTAssertLessThan(Date().timeIntervalSince(started), 3)
    let writes = server.writes()
    XCTAssertEqual(writes.count, 2)
    XCTAssertEqual(
      writes.first?.value(forHTTPHeaderField: "Idempotency-Key"),
      writes.last?.value(forHTTPHeaderField: "Idempotency-Key"))
  }

  @MainActor
  func testMustRefetchNeverEmptiesTheView() async throws {
    try makeEngine()
    let one = "66666666-6666-4666-8666-666666666661"
    let two = "66666666-6666-4666-8666-666666666662"
    let three = "66666666-6666-4666-8666-666666666663"
    try await startSynced([one: "one", two: "two"])
    // The server answers 409: a new handle; the snapshot comes in two pages.
    server.queueShape(
      HTTPResponse(status: 409, headers: ["electric-handle": "h2"], body: Data("[]".utf8)))
    server.queueShape(
      Self.shape(
        offset: "0_1", handle: "h2", upToDate: false, [Self.change("insert", id: two, title: "2")]))
    try await eventually("the first page is stored") {
      try await self.database.read { db in
        try String.fetchOne(
          db, sql: "SELECT \"offset\" FROM \"_sync_shapes\" WHERE \"shape_key\" = 'todos'")
          == "0_1"
      }
    }
    // Mid-refetch: every row present before is still there, with its old values.
    let titlesMidRefetch = try await viewRows().map(\.title)
    XCTAssertEqual(titlesMidRefetch, ["one", "two"])
    server.queueShape(
      Self.shape(offset: "0_2", handle: "h2", [Self.change("insert", id: three, title: "3")]))
    try await eventually("swapped") { try await self.viewRows().map(\.title) == ["2", "3"] }
    let staging = try await database.read { db in try db.tableExists("todos_synced_refetch") }
    XCTAssertFalse(staging)
  }

  func testRetryAfterAsSecondsOrAnHTTPDate() {
    let now = Date(timeIntervalSince1970: 1_000_000)
    XCTAssertEqual(BackoffPolicy.retryAfterMs("7", now: now), 7000)
    XCTAssertEqual(
      BackoffPolicy.retryAfterMs("Mon, 12 Jan 1970 13:46:50 GMT", now: now), 10_000)
    XCTAssertNil(BackoffPolicy.retryAfterMs("soon", now: now))
    XCTAssertNil(BackoffPolicy.retryAfterMs(nil, now: now))
    XCTAssertEqual(BackoffPolicy().baseMs, 500)
  }

  func testADeadlineReturnsEvenWhenTheOperationIgnoresCancellation() async {
    let started = Date()
    do {
      _ = try await Deadline.run(seconds: 0.2) { () async throws -> Int in
        // Ignores cancellation, like a transport that never answers.
        let end = Date().addingTimeInterval(2)
        while Date() < end { await Task.yield() }
        return 1
      }
      XCTFail("expected a timeout")
    } catch let error as URLError {
      XCTAssertEqual(error.code, .timedOut)
    } catch {
      XCTFail("unexpected \(error)")
    }
    XCTAssertLessThan(Date().timeIntervalSince(started), 1)
  }
}

/// A stub of the API and its shape feed. Shape requests get the queued answers in order and
/// otherwise wait (a long poll) until one is queued or they are cancelled; write requests are
/// recorded and answered by `onWrite` (`hangNextWrites` of them never answer).
final class StubServer: HTTPTransport, @unchecked Sendable {
  private let lock = NSLock()
  private var shapes: [HTTPResponse] = []
  private var waiting: [UUID: CheckedContinuation<HTTPResponse, any Error>] = [:]
  private var recorded: [URLRequest] = []
  private var handler: (@Sendable (URLRequest) -> HTTPResponse)?
  private var hang = 0

  var onWrite: (@Sendable (URLRequest) -> HTTPResponse)? {
    get { locked { handler } }
    set { locked { handler = newValue } }
  }

  var hangNextWrites: Int {
    get { locked { hang } }
    set { locked { hang = newValue } }
  }

  func writes() -> [URLRequest] {
    locked { recorded }
  }

  func queueShape(_ response: HTTPResponse) {
    let waiter: CheckedContinuation<HTTPResponse, any Error>? = locked {
      if let first = waiting.first {
        waiting[first.key] = nil
        return first.value
      }
      shapes.append(response)
      return nil
    }
    waiter?.resume(returning: response)
  }

  func shutDown() {
    let waiters = locked {
      let all = Array(waiting.values)
      waiting = [:]
      return all
    }
    for waiter in waiters { waiter.resume(throwing: CancellationError()) }
  }

  func send(_ request: URLRequest) async throws -> HTTPResponse {
    if request.url?.path == "/v1/shape" { return try await nextShape() }
    if request.httpMethod == "GET" { return HTTPResponse(status: 200, headers: [:], body: Data()) }
    let hangs: Bool = locked {
      recorded.append(request)
      if hang > 0 {
        hang -= 1
        return true
      }
      return false
    }
    if hangs {
      // Never answers; only the caller's deadline ends it.
      while true { try await Task.sleep(nanoseconds: 50_000_000) }
    }
    return onWrite?(request) ?? HTTPResponse(status: 500, headers: [:], body: Data())
  }

  private func nextShape() async throws -> HTTPResponse {
    let id = UUID()
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        let ready: HTTPResponse? = locked {
          if !shapes.isEmpty { return shapes.removeFirst() }
          waiting[id] = continuation
          return nil
        }
        if let ready { continuation.resume(returning: ready) }
      }
    } onCancel: {
      let waiter = locked { waiting.removeValue(forKey: id) }
      waiter?.resume(throwing: CancellationError())
    }
  }

  private func locked<T>(_ body: () throws -> T) rethrows -> T {
    lock.lock()
    defer { lock.unlock() }
    return try body()
  }
}
