import CRMGenerated
import Foundation
import SyncPatternsClient
import XCTest

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Records requests and answers with a canned response.
final class StubTransport: HTTPTransport, @unchecked Sendable {
  private let lock = NSLock()
  private var requests: [URLRequest] = []
  let status: Int
  let body: String

  init(status: Int = 200, body: String = "[]") {
    self.status = status
    self.body = body
  }

  var sent: [URLRequest] { lock.withLock { requests } }

  func send(_ request: URLRequest) async throws -> HTTPResponse {
    lock.withLock { requests.append(request) }
    return HTTPResponse(status: status, headers: ["x-sync-txid": "42"], body: Data(body.utf8))
  }
}

final class ClientTests: XCTestCase {
  func testQueryParametersAndBearerToken() async throws {
    let stub = StubTransport()
    let client = APIClient(
      baseURL: URL(string: "http://api.test")!, transport: stub, tokenProvider: { "secret" })
    _ = try await client.listContacts(status: .lead, q: "ada lovelace")
    let request = try XCTUnwrap(stub.sent.first)
    let expected = "http://api.test/contacts?status=lead&q=ada%20lovelace"
    XCTAssertEqual(request.url?.absoluteString, expected)
    XCTAssertEqual(request.value(forHTTPHeaderField: "Authorization"), "Bearer secret")
  }

  func testPublicOperationSendsNoToken() async throws {
    let stub = StubTransport(body: "{\"status\": \"ok\"}")
    let baseURL = URL(string: "http://api.test")!
    let client = APIClient(baseURL: baseURL, transport: stub, tokenProvider: { "t" })
    let health = try await client.getHealth()
    XCTAssertEqual(health.status, .ok)
    XCTAssertNil(stub.sent.first?.value(forHTTPHeaderField: "Authorization"))
  }

  func testErrorsCarryStatusAndBody() async throws {
    let stub = StubTransport(status: 404, body: "{\"error\": \"not_found\", \"message\": \"no\"}")
    let client = APIClient(baseURL: URL(string: "http://api.test")!, transport: stub)
    do {
      _ = try await client.getPerson(personId: 7)
      XCTFail("expected an APIError")
    } catch let error as APIError {
      XCTAssertEqual(error.status, 404)
      XCTAssertEqual(try error.decode(ErrorModel.self).error, "not_found")
    }
  }
}
