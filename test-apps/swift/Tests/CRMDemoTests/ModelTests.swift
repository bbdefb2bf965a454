import CRMGenerated
import Foundation
import SyncPatternsClient
import XCTest

/// Generated models against the wire format of fixtures/crm.
final class ModelTests: XCTestCase {
  func testContactDecodesServerJSON() throws {
    let json = """
      {"id": "E621E1F8-C36C-495A-93FC-0C247A3E6E5F", "first_name": "Ada", "last_name": null,
       "email": "ada@example.com", "phone": null, "status": "vip", "account_id": null,
       "tags": ["a"], "created_at": "2026-01-02T03:04:05Z",
       "updated_at": "2026-01-02T03:04:05.123456+00:00"}
      """
    let contact = try SyncCoding.makeDecoder().decode(Contact.self, from: Data(json.utf8))
    XCTAssertEqual(contact.firstName, "Ada")
    XCTAssertNil(contact.lastName)
    XCTAssertEqual(contact.status, .unknown("vip"))
    XCTAssertEqual(contact.status.rawValue, "vip")
  }

  func testRequiredNullableFieldsEncodeNull() throws {
    let contact = Contact(
      id: UUID(), firstName: "Ada", email: "a@x", status: .lead, tags: [], createdAt: Date(),
      updatedAt: Date())
    let object = try JSONValue(encoding: contact)
    XCTAssertEqual(object["last_name"], .null)
    XCTAssertNil(object["notes"])
  }

  func testDecimalAccountRevenue() throws {
    let json = """
      {"name": "Acme", "owner_email": "o@x", "annual_revenue": "1250000.00"}
      """
    let account = try SyncCoding.makeDecoder().decode(AccountCreate.self, from: Data(json.utf8))
    XCTAssertEqual(account.annualRevenue, Decimal(string: "1250000"))
  }
}
