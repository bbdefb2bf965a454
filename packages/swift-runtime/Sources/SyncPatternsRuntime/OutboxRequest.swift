import Foundation
import GRDB
import SyncPatternsClient

/// One outbox row as the worker sees it.
struct OutboxRow: Sendable {
  var seq: Int64
  var writeId: String
  var tableName: String
  var op: String
  var pk: String
  var payload: String
  var attempts: Int
  var nextAttemptAt: Int64

  init(row: Row) {
    seq = row["seq"]
    writeId = row["write_id"]
    tableName = row["table_name"]
    op = row["op"]
    pk = row["pk"]
    payload = row["payload"]
    attempts = row["attempts"]
    nextAttemptAt = row["next_attempt_at"]
  }
}

/// Builds the API request of an outbox row and reads the txid of its response.
enum OutboxRequest {
  /// Contract §2: every write request has a timeout (15 s); a write that times out is retried
  /// with the same `Idempotency-Key`, so the next write lands within that time.
  static let writeTimeout: TimeInterval = 15

  static func make(
    _ row: OutboxRow, table: SyncTable, current: [String: JSONValue]?
  ) throws -> HTTPRequest {
    let route: SyncRoute?
    switch row.op {
    case "insert": route = table.create
    case "update": route = table.update
    default: route = table.delete
    }
    guard let route else { throw SyncError.noRoute(table: table.name, op: row.op) }
    let payload = (try? JSONValue(parsing: row.payload)) ?? .object([:])
    var path = route.path
    var query: [HTTPRequest.QueryItem] = []
    var headers: [String: String] = [:]
    for parameter in route.parameters {
      let value: String
      switch parameter.source {
      case .primaryKey:
        value = row.pk
      case .payload(let column):
        // The payload first (the values of this write), then the row as it stands locally when
        // the write is sent.
        value = (payload[column] ?? current?[column]).map(ParameterEncodingText.text(of:)) ?? ""
      }
      switch parameter.location {
      case .path:
        path = path.replacingOccurrences(
          of: "{\(parameter.name)}", with: ParameterEncoding.component(value))
      case .query:
        query.append(
          HTTPRequest.QueryItem(
            name: ParameterEncoding.component(parameter.name),
            value: ParameterEncoding.component(value)))
      case .header:
        headers[parameter.name] = value
      }
    }
    var request = HTTPRequest(method: route.method, path: path, security: route.security)
    request.query = query
    for (name, value) in headers {
      request.headers[name] = value
    }
    request.headers["Idempotency-Key"] = row.writeId
    request.timeout = writeTimeout
    if row.op == "update" && route.method == .put, let current {
      // PUT replaces the row: send every synced column of the current local row.
      let synced = Set(table.syncedColumns.map(\.name))
      try request.setJSONBody(JSONValue.object(current.filter { synced.contains($0.key) }))
    } else if row.op != "delete" {
      request.body = Data(row.payload.utf8)
      request.headers["Content-Type"] = "application/json"
    }
    return request
  }

  /// `x-sync-txid`, else a top-level `txid` (number or string) of the JSON body.
  static func txid(of response: HTTPResponse) -> String? {
    let body = try? SyncCoding.makeDecoder().decode(JSONValue.self, from: response.body)
    return OutboxMachine.txid(header: response.header("x-sync-txid"), body: body)
  }
}
