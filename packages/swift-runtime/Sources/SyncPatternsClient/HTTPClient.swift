import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Sends `HTTPRequest`s: joins the base URL, adds authentication, throws `APIError` for any
/// non-2xx status. Shared by the generated `APIClient` and the sync runtime's outbox.
public struct HTTPClient: Sendable {
  public var baseURL: URL
  public var transport: any HTTPTransport
  public var tokenProvider: TokenProvider?
  /// Headers added to every request (e.g. `User-Agent`).
  public var defaultHeaders: [String: String]

  public init(
    baseURL: URL,
    transport: any HTTPTransport = URLSessionTransport(),
    tokenProvider: TokenProvider? = nil,
    defaultHeaders: [String: String] = [:]
  ) {
    self.baseURL = baseURL
    self.transport = transport
    self.tokenProvider = tokenProvider
    self.defaultHeaders = defaultHeaders
  }

  /// A URL from a spec's server string; falls back to `http://localhost` when it is not a URL.
  public static func url(_ string: String) -> URL {
    URL(string: string) ?? URL(string: "http://localhost")!
  }

  /// Sends the request; returns 2xx responses and throws `APIError` otherwise.
  public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
    let response = try await transport.send(try await urlRequest(for: request))
    guard (200..<300).contains(response.status) else { throw APIError(response: response) }
    return response
  }

  /// The `URLRequest` for `request` (base URL, query, headers, authentication).
  public func urlRequest(for request: HTTPRequest) async throws -> URLRequest {
    var request = request
    let token: String? = request.security.isEmpty ? nil : try await tokenProvider?()
    if let token = token, let requirement = request.security.first {
      apply(token: token, for: requirement, to: &request)
    }
    var base = baseURL.absoluteString
    while base.hasSuffix("/") { base.removeLast() }
    var text = base + request.path
    if !request.query.isEmpty {
      text += "?" + request.query.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }
    guard let url = URL(string: text) else { throw URLError(.badURL) }
    var urlRequest = URLRequest(url: url)
    urlRequest.httpMethod = request.method.rawValue
    for (name, value) in defaultHeaders { urlRequest.setValue(value, forHTTPHeaderField: name) }
    for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
    if urlRequest.value(forHTTPHeaderField: "Accept") == nil {
      urlRequest.setValue("application/json", forHTTPHeaderField: "Accept")
    }
    urlRequest.httpBody = request.body
    if let timeout = request.timeout { urlRequest.timeoutInterval = timeout }
    return urlRequest
  }

  private func apply(
    token: String, for requirement: SecurityRequirement, to request: inout HTTPRequest
  ) {
    switch requirement {
    case .bearer:
      request.headers["Authorization"] = "Bearer \(token)"
    case .basic:
      request.headers["Authorization"] = "Basic \(token)"
    case .apiKey(let name, .header):
      request.headers[name] = token
    case .apiKey(let name, .query):
      request.query.append(
        .init(
          name: ParameterEncoding.component(name), value: ParameterEncoding.component(token)))
    case .apiKey(let name, .cookie):
      request.addCookie(name, token)
    }
  }
}
