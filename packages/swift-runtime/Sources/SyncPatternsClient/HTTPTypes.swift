import Foundation

/// HTTP methods of OpenAPI operations.
public enum HTTPMethod: String, Sendable, Hashable {
  case get = "GET"
  case put = "PUT"
  case post = "POST"
  case delete = "DELETE"
  case options = "OPTIONS"
  case head = "HEAD"
  case patch = "PATCH"
  case trace = "TRACE"
}

/// How an operation authenticates (from the spec's security schemes).
public enum SecurityRequirement: Sendable, Hashable {
  /// `Authorization: Bearer <token>` (http bearer, OAuth 2, OpenID Connect).
  case bearer
  /// `Authorization: Basic <token>`; the token provider returns the base64 credentials.
  case basic
  /// The token as an API key parameter.
  case apiKey(name: String, in: Location)

  public enum Location: String, Sendable, Hashable {
    case header, query, cookie
  }
}

/// OpenAPI parameter styles (`style`); `explode` is passed separately.
public enum ParameterStyle: String, Sendable, Hashable {
  case form, spaceDelimited, pipeDelimited, deepObject, simple, label, matrix
}

/// A request before the base URL and authentication are applied.
public struct HTTPRequest: Sendable, Hashable {
  public var method: HTTPMethod
  /// Path with parameters already percent-encoded, relative to the base URL.
  public var path: String
  /// Percent-encoded `name=value` pairs, in order.
  public var query: [QueryItem] = []
  public var headers: [String: String] = [:]
  public var body: Data?
  public var security: [SecurityRequirement]
  /// Seconds without an answer after which the request fails with `URLError.timedOut`; nil keeps
  /// the transport's default.
  public var timeout: TimeInterval?

  /// One already percent-encoded query pair.
  public struct QueryItem: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
      self.name = name
      self.value = value
    }
  }

  public init(method: HTTPMethod, path: String, security: [SecurityRequirement] = []) {
    self.method = method
    self.path = path
    self.security = security
  }
}

/// A response: status, headers (lower-cased names) and body.
public struct HTTPResponse: Sendable, Hashable {
  public var status: Int
  public var headers: [String: String]
  public var body: Data

  public init(status: Int, headers: [String: String], body: Data) {
    self.status = status
    self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }) { first, _ in first }
    self.body = body
  }

  public func header(_ name: String) -> String? {
    headers[name.lowercased()]
  }

  /// Decodes the body as JSON with `SyncCoding`.
  public func decode<T: Decodable>(_ type: T.Type) throws -> T {
    try SyncCoding.makeDecoder().decode(T.self, from: body)
  }

  public func text() -> String {
    String(decoding: body, as: UTF8.self)
  }
}

/// A non-2xx answer. `status` and `body` are the server's; `decode` reads a typed error body.
public struct APIError: Error, Sendable, Hashable, CustomStringConvertible {
  public var status: Int
  public var body: Data
  public var headers: [String: String]

  public init(status: Int, body: Data, headers: [String: String] = [:]) {
    self.status = status
    self.body = body
    self.headers = headers
  }

  public init(response: HTTPResponse) {
    self.init(status: response.status, body: response.body, headers: response.headers)
  }

  public var bodyText: String {
    String(decoding: body, as: UTF8.self)
  }

  public func decode<T: Decodable>(_ type: T.Type) throws -> T {
    try SyncCoding.makeDecoder().decode(T.self, from: body)
  }

  public var description: String {
    "HTTP \(status): \(bodyText.prefix(500))"
  }
}
