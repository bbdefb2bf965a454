import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Performs one HTTP request. Inject a stub in tests, or wrap another HTTP stack.
public protocol HTTPTransport: Sendable {
  func send(_ request: URLRequest) async throws -> HTTPResponse
}

/// The default transport: `URLSession` (cancellation of the calling task cancels the request).
public struct URLSessionTransport: HTTPTransport {
  public let session: URLSession

  public init(session: URLSession = .shared) {
    self.session = session
  }

  public func send(_ request: URLRequest) async throws -> HTTPResponse {
    let (data, response) = try await session.data(for: request)
    guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
    var headers: [String: String] = [:]
    for (key, value) in http.allHeaderFields {
      if let key = key as? String, let value = value as? String {
        headers[key.lowercased()] = value
      }
    }
    return HTTPResponse(status: http.statusCode, headers: headers, body: data)
  }
}

/// Returns the bearer token (or API key) for an authenticated request; nil sends none.
public typealias TokenProvider = @Sendable () async throws -> String?
