import Foundation
import SyncPatternsClient
import XCTest

@testable import SyncPatternsRuntime

/// The shared runtime vectors. The field names follow docs/sync-runtime-contract.md §7; the files
/// are authored with the React runtime, so a mismatch here is a contract bug to settle there.
final class VectorTests: XCTestCase {
  struct BackoffVectors: Decodable {
    struct Case: Decodable {
      var attempt: Int
      var random: Double
      var expectedMs: Int64
    }
    var policy: BackoffPolicy
    var cases: [Case]
  }

  func testBackoff() throws {
    let vectors = try loadVector("backoff.json", as: BackoffVectors.self)
    for c in vectors.cases {
      XCTAssertEqual(
        vectors.policy.delayMs(attempt: c.attempt, random: c.random), c.expectedMs,
        "attempt \(c.attempt), random \(c.random)")
    }
  }

  struct ShapeValueVectors: Decodable {
    struct Case: Decodable {
      var schema: ShapeValueParser.ColumnType
      var text: String?
      var expected: JSONValue
    }
    var cases: [Case]
  }

  func testShapeValues() throws {
    let vectors = try loadVector("shape-values.json", as: ShapeValueVectors.self)
    for c in vectors.cases {
      let parsed = ShapeValueParser.parse(c.text, as: c.schema)
      XCTAssertEqual(
        normalize(parsed, like: c.expected), c.expected, "\(c.schema.type) \(c.text ?? "null")")
    }
  }

  /// 64-bit integers beyond 2^53 are written as strings in `expected` and compared as integers.
  private func normalize(_ value: JSONValue, like expected: JSONValue) -> JSONValue {
    switch (value, expected) {
    case (.integer(let n), .string(let s)) where Int64(s) == n: return .string(s)
    case (.integer(let n), .number(let d)) where Double(n) == d: return .number(d)
    case (.number(let d), .integer(let n)) where Double(n) == d: return .integer(n)
    case (.array(let items), .array(let wanted)) where items.count == wanted.count:
      return .array(zip(items, wanted).map { normalize($0, like: $1) })
    default: return value
    }
  }

  struct ShapeLogVectors: Decodable {
    struct Step: Decodable {
      struct Response: Decodable {
        var status: Int
        var headers: [String: String]
        var body: JSONValue
      }
      struct Expect: Decodable {
        var handle: String?
        var offset: String?
        var upToDate: Bool?
        var action: String?
        var rows: [JSONValue]?
      }
      var response: Response
      var expect: Expect
    }
    struct Case: Decodable {
      var name: String
      var steps: [Step]
    }
    var cases: [Case]
  }

  func testShapeLog() throws {
    let vectors = try loadVector("shape-log.json", as: ShapeLogVectors.self)
    for c in vectors.cases {
      var log = ShapeLog()
      var rows: [String: [String: JSONValue]] = [:]
      for (i, step) in c.steps.enumerated() {
        let body = try SyncCoding.makeEncoder().encode(step.response.body)
        let outcome = log.receive(
          status: step.response.status, headers: step.response.headers, body: body)
        apply(outcome, to: &rows)
        let label = "\(c.name) step \(i)"
        if let handle = step.expect.handle { XCTAssertEqual(log.handle, handle, label) }
        if let offset = step.expect.offset { XCTAssertEqual(log.offset, offset, label) }
        if let upToDate = step.expect.upToDate { XCTAssertEqual(log.upToDate, upToDate, label) }
        if let action = step.expect.action {
          XCTAssertEqual(outcome.action.rawValue, action, label)
        }
        if let expected = step.expect.rows {
          let actual = rows.values.map { JSONValue.object($0) }
          XCTAssertEqual(sorted(actual), sorted(expected.map { normalize($0, like: $0) }), label)
        }
      }
    }
  }

  /// Applies an outcome the way the consumer applies it to `T_synced` (update messages merge).
  private func apply(_ outcome: ShapeLog.Outcome, to rows: inout [String: [String: JSONValue]]) {
    if outcome.action == .refetch { rows = [:] }
    for change in outcome.changes {
      switch change.operation {
      case .insert: rows[change.key] = change.value
      case .update: rows[change.key, default: [:]].merge(change.value) { _, new in new }
      case .delete: rows[change.key] = nil
      }
    }
  }

  /// Canonical JSON texts (sorted keys), sorted: row order is not part of the contract.
  private func sorted(_ values: [JSONValue]) -> [String] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return values.map { value in
      String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
    }.sorted()
  }

  func testShapeLogRefetchOn409() {
    var log = ShapeLog(handle: "h1", offset: "10_2")
    let outcome = log.receive(
      status: 409, headers: ["electric-handle": "h2"], body: Data("[]".utf8))
    XCTAssertEqual(outcome.action, .refetch)
    XCTAssertEqual(log.handle, "h2")
    XCTAssertEqual(log.offset, "-1")
  }

  func testPostgresArrays() {
    XCTAssertEqual(
      ShapeValueParser.arrayElements("{a,\"b,c\",NULL,\"NULL\"}"), ["a", "b,c", nil, "NULL"])
    let parsed = ShapeValueParser.parse("{1,2}", as: .init(type: "int8", dims: 1))
    XCTAssertEqual(parsed, .array([.integer(1), .integer(2)]))
  }
}
