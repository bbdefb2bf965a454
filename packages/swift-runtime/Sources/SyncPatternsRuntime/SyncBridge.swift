import Foundation
import GRDB
import SyncPatternsClient

/// Converts between the app models (Codable, wire names) and SQLite values (storage classes,
/// SQL names). Models are never mapped field by field: both sides go through `JSONValue`.
public enum SyncBridge {
  /// The app model of a view record: JSON columns parsed, booleans restored, and placeholders for
  /// non-nullable columns the server has not filled yet.
  public static func model<M: Decodable>(
    _ type: M.Type, from record: some Encodable, table: SyncTable
  ) throws -> M {
    guard case .object(let row) = try JSONValue(encoding: record) else {
      throw SyncError.notAnObject
    }
    var object: [String: JSONValue] = [:]
    for column in table.columns {
      var value = row[column.sqlName] ?? .null
      if column.storage == .json, case .string(let text) = value {
        value = (try? JSONValue(parsing: text)) ?? .null
      }
      if column.storage == .boolean, case .integer(let flag) = value { value = .bool(flag != 0) }
      if value.isNull && !column.nullable { value = column.placeholder }
      object[column.name] = value
    }
    return try JSONValue.object(object).decode(M.self)
  }

  /// A JSON value as the SQLite value of a column of `storage`.
  public static func databaseValue(_ value: JSONValue?, storage: SyncStorage) -> DatabaseValue {
    guard let value, !value.isNull else { return .null }
    switch (storage, value) {
    case (.json, _):
      return ((try? value.jsonText()) ?? "null").databaseValue
    case (.boolean, .bool(let flag)):
      return flag.databaseValue
    case (.boolean, .integer(let flag)):
      return (flag != 0).databaseValue
    case (.int32, .integer(let number)), (.int64, .integer(let number)):
      return number.databaseValue
    case (.int32, .number(let number)), (.int64, .number(let number)):
      return Int64(number).databaseValue
    case (.float, .number(let number)), (.double, .number(let number)):
      return number.databaseValue
    case (.float, .integer(let number)), (.double, .integer(let number)):
      return Double(number).databaseValue
    case (.uuid, .string(let text)):
      return text.lowercased().databaseValue
    case (_, .string(let text)):
      return text.databaseValue
    default:
      return ParameterEncodingText.text(of: value).databaseValue
    }
  }

  /// Arguments of `sql.insert`: one value per view column.
  public static func insertArguments(
    _ object: [String: JSONValue], table: SyncTable
  ) -> [DatabaseValue] {
    table.columns.map { databaseValue(object[$0.name], storage: $0.storage) }
  }

  /// Arguments of `sql.update`: key, then (is set, value) per non-key column.
  public static func updateArguments(
    key: JSONValue, _ object: [String: JSONValue], table: SyncTable
  ) -> [DatabaseValue] {
    var values = [databaseValue(key, storage: table.keyColumn.storage)]
    for column in table.columns.dropFirst() {
      let isSet = object.keys.contains(column.name)
      values.append(isSet.databaseValue)
      values.append(isSet ? databaseValue(object[column.name], storage: column.storage) : .null)
    }
    return values
  }

  /// Arguments of `sql.upsertSynced` for a shape row (only the columns it carries are set).
  public static func syncedArguments(
    key: JSONValue, _ row: [String: JSONValue], table: SyncTable
  ) -> [DatabaseValue] {
    var values = [databaseValue(key, storage: table.keyColumn.storage)]
    for column in table.syncedColumns.dropFirst() {
      let isSet = row.keys.contains(column.name)
      values.append(isSet.databaseValue)
      values.append(isSet ? databaseValue(row[column.name], storage: column.storage) : .null)
    }
    return values
  }

  /// The key as outbox text (`CAST(pk AS TEXT)`); UUIDs are stored lowercased.
  public static func keyText(_ key: JSONValue, storage: SyncStorage) -> String {
    let text = ParameterEncodingText.text(of: key)
    return storage == .uuid ? text.lowercased() : text
  }

  /// The JSON object of an `Encodable` draft or model.
  public static func object(_ value: some Encodable) throws -> [String: JSONValue] {
    guard case .object(let object) = try JSONValue(encoding: value) else {
      throw SyncError.notAnObject
    }
    return object
  }
}

/// Plain text of a scalar JSON value (numbers without a trailing `.0` when integral).
enum ParameterEncodingText {
  static func text(of value: JSONValue) -> String {
    switch value {
    case .null: return ""
    case .bool(let flag): return flag ? "true" : "false"
    case .integer(let number): return String(number)
    case .number(let number):
      let integral = number.rounded() == number && abs(number) < 1e15
      return integral ? String(Int64(number)) : String(number)
    case .string(let text): return text
    case .array, .object: return (try? value.jsonText()) ?? ""
    }
  }
}

/// Errors of the sync runtime itself (API refusals are `APIError`).
public enum SyncError: Error, Sendable, Hashable {
  case notAnObject
  case rowMissing
  case noRoute(table: String, op: String)
  case cancelled
  /// `retryWrite` of a write id that is not a failed write.
  case noFailedWrite(String)
}
