import CRMGenerated
import Foundation
import GRDB
import SyncPatternsClient
import SyncPatternsRuntime

/// A command-line walk through the generated client (no SwiftUI): push calls against a running
/// dev server (`sync-patterns dev`, default http://localhost:4100) and live writes into an
/// in-memory GRDB database. `API_URL` overrides the server; `API_TOKEN` is the bearer token (the
/// dev server answers 401 without one; without `--auth` any token's text is the principal).
@main
struct CRMDemo {
  @MainActor
  static func main() async {
    let environment = ProcessInfo.processInfo.environment
    let baseURL = environment["API_URL"].flatMap(URL.init(string:)) ?? APIClient.defaultBaseURL
    let token = environment["API_TOKEN"] ?? "crm-demo"
    let client = APIClient(baseURL: baseURL, tokenProvider: { token })

    let people = PeopleStore(client: client)
    await people.load()
    print("people: \(people.items.count) loaded, error: \(String(describing: people.readError))")

    do {
      let database = try DatabaseQueue()
      let engine = try SyncDatabase.makeEngine(database: database, client: client)
      let contacts = ContactsStore(engine: engine)
      await contacts.load()
      let ada = try await contacts.create(ContactCreate(firstName: "Ada", email: "ada@example.com"))
      print("created \(ada.firstName) locally; \(contacts.items.count) contact(s) in the view")
      let pending = try await database.read { db in
        try Int.fetchOne(db, sql: "SELECT count(*) FROM \"_sync_outbox\"") ?? 0
      }
      print("outbox: \(pending) pending write(s)")
      await engine.stop()
    } catch {
      print("live demo failed: \(error)")
    }
  }
}
