import Foundation
import XCTest

@testable import SyncPatternsClient

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

final class CodingTests: XCTestCase {
  func testDatesWithAndWithoutFractionalSeconds() throws {
    let expected = Date(timeIntervalSince1970: 1_767_323_045)
    for text in [
      "2026-01-02T03:04:05Z", "2026-01-02T03:04:05.000Z", "2026-01-02T03:04:05.000000+00:00",
      "2026-01-02 03:04:05+00", "2026-01-02T04:04:05+01:00",
    ] {
      let date = try XCTUnwrap(SyncDates.parse(text), text)
      XCTAssertEqual(
        date.timeIntervalSince1970, expected.timeIntervalSince1970, accuracy: 0.001, text)
    }
    XCTAssertNil(SyncDates.parse("yesterday"))
  }

  func testNormalizeRewritesPostgresTextToISO8601() {
    let cases: [(String, String)] = [
      ("2026-01-02 03:04:05.123456+00", "2026-01-02T03:04:05.123+00:00"),
      ("2026-01-02T03:04:05-0530", "2026-01-02T03:04:05-05:30"),
      ("2026-01-02T03:04:05.1+01:00", "2026-01-02T03:04:05.100+01:00"),
      (" 2026-01-02T03:04:05Z ", "2026-01-02T03:04:05Z"),
      ("2026-01-02", "2026-01-02"),
    ]
    for (text, expected) in cases {
      XCTAssertEqual(SyncDates.normalize(text), expected, text)
    }
  }

  func testDecimalsFromStringsAndNumbers() throws {
    struct Box: Codable { var price: FlexibleDecimal }
    let decoder = SyncCoding.makeDecoder()
    let fromString = try decoder.decode(Box.self, from: Data("{\"price\":\"1250000.10\"}".utf8))
    let fromNumber = try decoder.decode(Box.self, from: Data("{\"price\":12.5}".utf8))
    XCTAssertEqual(fromString.price.value, Decimal(string: "1250000.10"))
    XCTAssertEqual(fromNumber.price.value, Decimal(string: "12.5"))
    let encoded = String(decoding: try SyncCoding.makeEncoder().encode(fromString), as: UTF8.self)
    XCTAssertEqual(encoded, "{\"price\":\"1250000.1\"}")
  }

  func testJSONValueKeepsLargeIntegers() throws {
    let value = try JSONValue(parsing: "{\"id\":9007199254740993,\"ok\":true,\"tags\":[\"a\"]}")
    XCTAssertEqual(value["id"], .integer(9_007_199_254_740_993))
    XCTAssertEqual(value["ok"], .bool(true))
  }

  func testPathAndQueryEncoding() {
    XCTAssertEqual(ParameterEncoding.path("a b/c?d"), "a%20b%2Fc%3Fd")
    let uuid = UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F")!
    XCTAssertEqual(ParameterEncoding.path(uuid), "e621e1f8-c36c-495a-93fc-0c247a3e6e5f")
    var request = HTTPRequest(method: .get, path: "/x")
    request.addQuery("in", ["a", "b&c"], style: .form, explode: true)
    request.addQuery("csv", [1, 2], style: .form, explode: false)
    request.addQuery("none", Optional<String>.none)
    request.addQuery("filter", ["k": "v"], style: .deepObject, explode: true)
    XCTAssertEqual(
      request.query.map { "\($0.name)=\($0.value)" },
      ["in=a", "in=b%26c", "csv=1,2", "filter%5Bk%5D=v"])
  }

  func testAuthAndErrors() async throws {
    struct Stub: HTTPTransport {
      func send(_ request: URLRequest) async throws -> HTTPResponse {
        XCTAssertEqual(request.value(forHTTPHeaderField: "Authorization"), "Bearer t0k")
        XCTAssertEqual(request.url?.absoluteString, "https://api.example.com/v1/items/a%2Fb")
        return HTTPResponse(status: 404, headers: [:], body: Data("{\"error\":\"not_found\"}".utf8))
      }
    }
    let client = HTTPClient(
      baseURL: URL(string: "https://api.example.com/v1/")!, transport: Stub(),
      tokenProvider: { "t0k" })
    let request = HTTPRequest(
      method: .get, path: "/items/\(ParameterEncoding.path("a/b"))", security: [.bearer])
    do {
      _ = try await client.send(request)
      XCTFail("expected APIError")
    } catch let error as APIError {
      XCTAssertEqual(error.status, 404)
      XCTAssertEqual(try error.decode([String: String].self)["error"], "not_found")
    }
  }
}
