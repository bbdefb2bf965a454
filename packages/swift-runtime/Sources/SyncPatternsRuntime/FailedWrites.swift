import Foundation
import GRDB
import SyncPatternsClient

extension FailedWrite {
  /// A refused `_sync_outbox` row, read with the columns of ``SyncSharedSQL/failedRows``.
  init(outboxRow row: Row) {
    let errorText: String? = row["error"]
    let record = errorText.flatMap { try? JSONValue(parsing: $0) }
    var code = 0
    if case .integer(let number)? = record?["status"] { code = Int(number) }
    var body: String? = nil
    if case .string(let text)? = record?["body"] { body = text }
    if record == nil { body = errorText }
    var message = ErrorBodies.message(status: code, body: body)
    if case .string(let text)? = record?["message"] { message = text }
    let createdAt: Int64 = row["created_at"]
    var failedAt = createdAt
    if case .integer(let number)? = record?["failedAt"] { failedAt = number }
    let payload: String = row["payload"]
    var values: [String: JSONValue] = [:]
    if case .object(let object)? = try? JSONValue(parsing: payload) { values = object }
    self.init(
      writeId: row["write_id"], table: row["table_name"], key: row["pk"], op: row["op"],
      status: code, message: message, fieldErrors: ErrorBodies.fields(body: body),
      values: values, body: body,
      failedAt: Date(timeIntervalSince1970: Double(failedAt) / 1000))
  }
}

/// The last refused write, as `SyncStatus.lastError` holds it (cleared by the next success).
public struct SyncWriteError: Error, Sendable, Hashable, CustomStringConvertible {
  public let writeId: String
  public let table: String
  public let status: Int
  public let message: String

  public var description: String {
    "write \(writeId) to \(table) refused (HTTP \(status)): \(message)"
  }
}

/// Reads a refused write's answer, whatever the backend's format (as Kotlin's `ErrorBodies`).
enum ErrorBodies {
  /// `message`, `detail` (a string), `error` or `title`; else `HTTP <status>`.
  static func message(status: Int, body: String?) -> String {
    guard let object = parse(body) else { return "HTTP \(status)" }
    for name in ["message", "detail", "error", "title"] {
      if case .string(let text)? = object[name] { return text }
    }
    return "HTTP \(status)"
  }

  /// Field → message from `fields[] {field|path|name, message|msg}`, FastAPI's
  /// `detail[] {loc, msg}` and `errors {field: message | [messages]}`.
  static func fields(body: String?) -> [String: String] {
    guard let object = parse(body) else { return [:] }
    var out: [String: String] = [:]
    if case .array(let items)? = object["fields"] {
      for item in items {
        guard let name = text(item["field"]) ?? text(item["path"]) ?? text(item["name"]) else {
          continue
        }
        out[name] = text(item["message"]) ?? text(item["msg"]) ?? ""
      }
    }
    if case .array(let items)? = object["detail"] {
      for item in items {
        guard case .array(let location)? = item["loc"] else { continue }
        let path = location.map(ParameterEncodingText.text(of:)).filter { $0 != "body" }
        out[path.joined(separator: ".")] = text(item["msg"]) ?? ""
      }
    }
    if case .object(let errors)? = object["errors"] {
      for (name, value) in errors {
        switch value {
        case .string(let message): out[name] = message
        case .array(let messages):
          out[name] = messages.compactMap { text($0) }.joined(separator: "; ")
        default: out[name] = (try? value.jsonText()) ?? ""
        }
      }
    }
    return out
  }

  /// The `error` column of a refused row: `{status, message, body, failedAt}` (contract §2).
  static func record(status: Int, body: String?, failedAt: Int64) -> String {
    let object: JSONValue = .object([
      "status": .integer(Int64(status)),
      "message": .string(message(status: status, body: body)),
      "body": body.map(JSONValue.string) ?? .null,
      "failedAt": .integer(failedAt),
    ])
    return (try? object.jsonText()) ?? "{}"
  }

  private static func parse(_ body: String?) -> [String: JSONValue]? {
    guard let body, case .object(let object)? = try? JSONValue(parsing: body) else { return nil }
    return object
  }

  private static func text(_ value: JSONValue?) -> String? {
    if case .string(let text)? = value { return text }
    return nil
  }
}
