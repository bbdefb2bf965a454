import Foundation
import SyncPatternsClient
import XCTest

@testable import SyncPatternsRuntime

/// `fixtures/runtime-vectors/outbox.json` replayed through `OutboxMachine` (contract §7). Every
/// event type and expectation field of the file is read here; an unknown event type fails the
/// case instead of being skipped (packages/swift-runtime/src/outbox-vectors.test.ts checks,
/// without a Swift compiler, that this file names every event type the vector uses).
final class OutboxVectorTests: XCTestCase {
  struct Vectors: Decodable {
    var policy: BackoffPolicy
    var cases: [Case]
  }

  struct Case: Decodable {
    var name: String
    var events: [Event]
    var expect: JSONValue
  }

  struct Event: Decodable {
    var type: String
    var now: Int64?
    var writeId: String?
    var table: String?
    var pk: String?
    var op: String?
    var confirmed: Bool?
    var status: Int?
    var headers: [String: String]?
    var body: JSONValue?
    var retryAfterMs: Int64?
    var random: Double?
    var txids: [JSONValue]?
  }

  /// The event types of the vector, each handled in `apply`.
  static let eventTypes: Set<String> = [
    "enqueue", "dispatch", "response", "network-error", "timeout", "seen", "reconnect",
    "shape-batch", "shape-error", "shape-delete", "discard", "cancel",
  ]

  func testOutboxVectors() throws {
    let vectors = try loadVector("outbox.json", as: Vectors.self)
    XCTAssertFalse(vectors.cases.isEmpty)
    for vectorCase in vectors.cases {
      var machine = OutboxMachine(policy: vectors.policy)
      for (index, event) in vectorCase.events.enumerated() {
        XCTAssertTrue(
          Self.eventTypes.contains(event.type),
          "\(vectorCase.name): event \(index) has an unknown type \(event.type)")
        apply(event, to: &machine)
      }
      XCTAssertEqual(
        canonical(state(of: machine)), canonical(vectorCase.expect), vectorCase.name)
    }
  }

  private func apply(_ event: Event, to machine: inout OutboxMachine) {
    let now = event.now ?? 0
    let random = event.random ?? 0
    let writeId = event.writeId ?? ""
    switch event.type {
    case "enqueue":
      machine.enqueue(
        writeId: writeId, table: event.table ?? "", pk: event.pk ?? "", op: event.op ?? "",
        confirmed: event.confirmed ?? false, now: now)
    case "dispatch":
      machine.dispatch(now: now)
    case "response":
      let header = event.headers?.first { $0.key.lowercased() == "x-sync-txid" }?.value
      machine.response(
        writeId: writeId, status: event.status,
        txid: OutboxMachine.txid(header: header, body: event.body),
        retryAfterMs: event.retryAfterMs, now: now, random: random)
    case "network-error", "timeout":
      machine.response(
        writeId: writeId, status: nil, txid: nil, retryAfterMs: nil, now: now, random: random)
    case "seen":
      machine.seen((event.txids ?? []).map(ParameterEncodingText.text(of:)))
    case "reconnect":
      machine.reconnect(now: now)
    case "shape-batch":
      machine.shapeSucceeded(now: now)
    case "shape-error":
      machine.shapeFailed()
    case "shape-delete":
      machine.shapeDeleted(table: event.table ?? "", pk: event.pk ?? "")
    case "discard":
      machine.discard(writeId: writeId)
    case "cancel":
      machine.cancel(writeId: writeId)
    default:
      break
    }
  }

  /// The machine's state in the vector's `expect` form.
  private func state(of machine: OutboxMachine) -> JSONValue {
    let outbox = machine.rows.map { row -> JSONValue in
      .object([
        "writeId": .string(row.writeId),
        "status": .string(row.status),
        "attempts": .integer(Int64(row.attempts)),
        "nextAttemptAt": .integer(row.nextAttemptAt),
        "txid": row.txid.map(JSONValue.string) ?? JSONValue.null,
      ])
    }
    let rejected = machine.rejected.map { rejection -> JSONValue in
      .object([
        "writeId": .string(rejection.writeId),
        "status": rejection.status.map { JSONValue.integer(Int64($0)) } ?? JSONValue.null,
      ])
    }
    var lastError = JSONValue.null
    if let refusal = machine.lastError {
      lastError = .object([
        "writeId": .string(refusal.writeId), "status": .integer(Int64(refusal.status)),
      ])
    }
    return .object([
      "outbox": .array(outbox),
      "local": .object(machine.localWriteIds.mapValues(JSONValue.string)),
      "sent": .array(machine.sentLog.map(JSONValue.string)),
      "resolved": .array(machine.resolved.map(JSONValue.string)),
      "rejected": .array(rejected),
      "rolledBack": .array(machine.rolledBack.map(JSONValue.string)),
      "lastError": lastError,
      "hidden": .array(machine.hidden.sorted().map(JSONValue.string)),
    ])
  }

  /// JSON text with sorted keys (integral doubles as integers), for comparison.
  private func canonical(_ value: JSONValue) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let data = (try? encoder.encode(integral(value))) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }

  private func integral(_ value: JSONValue) -> JSONValue {
    switch value {
    case .number(let number) where number.rounded() == number && abs(number) < 9.0e15:
      return .integer(Int64(number))
    case .array(let items): return .array(items.map(integral))
    case .object(let object): return .object(object.mapValues(integral))
    default: return value
    }
  }

  func testVerdicts() {
    XCTAssertEqual(OutboxVerdict.of(status: 201, op: "insert"), .acknowledged)
    XCTAssertEqual(OutboxVerdict.of(status: 404, op: "delete"), .gone)
    XCTAssertEqual(OutboxVerdict.of(status: 404, op: "update"), .refused(hide: true))
    XCTAssertEqual(OutboxVerdict.of(status: 404, op: "insert"), .refused(hide: false))
    XCTAssertEqual(OutboxVerdict.of(status: 422, op: "update"), .refused(hide: false))
    XCTAssertEqual(OutboxVerdict.of(status: 408, op: "insert"), .retry(network: false))
    XCTAssertEqual(OutboxVerdict.of(status: 429, op: "insert"), .retry(network: false))
    XCTAssertEqual(OutboxVerdict.of(status: 503, op: "delete"), .retry(network: false))
    XCTAssertEqual(OutboxVerdict.of(status: nil, op: "insert"), .retry(network: true))
  }

  func testTxidText() {
    XCTAssertEqual(OutboxMachine.txid(header: " 42 ", body: nil), "42")
    XCTAssertEqual(OutboxMachine.txid(header: nil, body: .object(["txid": .integer(752)])), "752")
    XCTAssertEqual(OutboxMachine.txid(header: "", body: .object(["txid": .string("9")])), "9")
    XCTAssertNil(OutboxMachine.txid(header: nil, body: .object(["txid": .null])))
    XCTAssertNil(OutboxMachine.txid(header: nil, body: .array([])))
  }
}
