import Foundation

/// Serialisation of path, query, header and cookie parameters (OpenAPI 3 `style`/`explode`),
/// with RFC 3986 percent-encoding: only unreserved characters are left as they are.
public enum ParameterEncoding {
  private static let unreserved = CharacterSet(
    charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

  /// Percent-encodes everything but unreserved characters (so `/`, `?`, `&`, `=`, `+` are encoded).
  public static func component(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
  }

  /// A path parameter (`style: simple`): its text, percent-encoded; arrays comma-separated.
  public static func path(_ value: some Encodable) -> String {
    let json = (try? JSONValue(encoding: value)) ?? .null
    return texts(of: json).map(component).joined(separator: ",")
  }

  /// The texts of a value: scalars give one, arrays one per item, objects key, value, key, ….
  static func texts(of value: JSONValue) -> [String] {
    switch value {
    case .null: return []
    case .bool(let b): return [b ? "true" : "false"]
    case .integer(let i): return [String(i)]
    case .number(let d): return [d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)]
    case .string(let s): return [s]
    case .array(let items): return items.flatMap { texts(of: $0) }
    case .object(let object):
      return object.keys.sorted().flatMap { [$0] + texts(of: object[$0]!) }
    }
  }

  /// Encoded query pairs for one parameter.
  static func query(
    _ name: String, _ value: JSONValue, style: ParameterStyle, explode: Bool
  ) -> [HTTPRequest.QueryItem] {
    let key = component(name)
    switch value {
    case .null:
      return []
    case .array(let items):
      let values = items.flatMap { texts(of: $0) }.map(component)
      if explode && style == .form { return values.map { .init(name: key, value: $0) } }
      let separator = style == .spaceDelimited ? "%20" : style == .pipeDelimited ? "%7C" : ","
      return [.init(name: key, value: values.joined(separator: separator))]
    case .object(let object):
      let keys = object.keys.sorted()
      if style == .deepObject {
        return keys.map {
          .init(
            name: "\(key)%5B\(component($0))%5D",
            value: texts(of: object[$0]!).map(component).joined(separator: ","))
        }
      }
      if explode {
        return keys.map {
          .init(
            name: component($0),
            value: texts(of: object[$0]!).map(component).joined(separator: ","))
        }
      }
      return [.init(name: key, value: texts(of: value).map(component).joined(separator: ","))]
    default:
      return [.init(name: key, value: texts(of: value).map(component).joined(separator: ","))]
    }
  }
}

extension HTTPRequest {
  /// Adds a query parameter; `nil` adds nothing.
  public mutating func addQuery(
    _ name: String, _ value: (any Encodable)?, style: ParameterStyle = .form, explode: Bool = true
  ) {
    guard let value, let json = try? JSONValue(encoding: value) else { return }
    query += ParameterEncoding.query(name, json, style: style, explode: explode)
  }

  /// Adds a header parameter (`style: simple`); `nil` adds nothing.
  public mutating func addHeader(_ name: String, _ value: (any Encodable)?) {
    guard let value, let json = try? JSONValue(encoding: value) else { return }
    headers[name] = ParameterEncoding.texts(of: json).joined(separator: ",")
  }

  /// Adds a cookie parameter; `nil` adds nothing.
  public mutating func addCookie(_ name: String, _ value: (any Encodable)?) {
    guard let value, let json = try? JSONValue(encoding: value) else { return }
    let text = ParameterEncoding.texts(of: json).joined(separator: ",")
    let pair = "\(name)=\(ParameterEncoding.component(text))"
    headers["Cookie"] = headers["Cookie"].map { "\($0); \(pair)" } ?? pair
  }

  /// A JSON body (`SyncCoding` encoder).
  public mutating func setJSONBody(_ body: some Encodable) throws {
    self.body = try SyncCoding.makeEncoder().encode(body)
    headers["Content-Type"] = "application/json"
  }

  /// An `application/x-www-form-urlencoded` body from the value's JSON object.
  public mutating func setFormBody(_ body: some Encodable) throws {
    let json = try JSONValue(encoding: body)
    let items = ParameterEncoding.query("", json, style: .form, explode: true)
    self.body = Data(items.map { "\($0.name)=\($0.value)" }.joined(separator: "&").utf8)
    headers["Content-Type"] = "application/x-www-form-urlencoded"
  }

  /// A raw body.
  public mutating func setBody(_ data: Data, contentType: String) {
    body = data
    headers["Content-Type"] = contentType
  }

  /// A `multipart/form-data` body.
  public mutating func setMultipartBody(_ form: MultipartFormData) {
    body = form.body
    headers["Content-Type"] = form.contentType
  }
}
