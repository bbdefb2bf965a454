// One interface (#19): this file is compiled twice, against the live stores (CRMGenerated, here)
// and against the push stores of the same entities (CRMPushGenerated, through the symlink in
// Sources/OneInterfacePush). Each target's Module.swift re-exports its generated module, so this
// file names neither: whatever a screen needs must compile against both.
import Foundation
import Observation
import SyncPatternsClient

/// The state of a contacts screen, without SwiftUI: what a view shows and the actions it calls.
@Observable
@MainActor
public final class ContactsScreenModel {
  public let store: ContactsStore
  public var draftFirstName = ""
  public var draftEmail = ""

  public init(store: ContactsStore) {
    self.store = store
  }

  /// One line per row; pending and refused rows are marked.
  public var lines: [String] {
    store.rows.map { row in
      let contact = row.value
      let name = [contact.firstName, contact.lastName].compactMap { $0 }.joined(separator: " ")
      switch row.state {
      case .synced: return name
      case .pending: return "\(name) (saving…)"
      case .failed: return "\(name) (not saved)"
      }
    }
  }

  /// When each contact was created; a contact the server has not stored yet has no date.
  public var createdDates: [UUID: Date] {
    var dates: [UUID: Date] = [:]
    for contact in store.items {
      if let createdAt = contact.createdAt { dates[contact.id] = createdAt }
    }
    return dates
  }

  /// What went wrong last, read and write errors apart.
  public var errorText: String? {
    if let error = store.writeError { return "Could not save: \(error)" }
    if let refused = store.failedWrites.first { return "Refused: \(refused.message)" }
    if let error = store.readError { return "Could not load: \(error)" }
    return nil
  }

  public var isLoading: Bool { store.isLoading }

  public func appear() async {
    await store.load()
  }

  public func disappear() {
    store.stop()
  }

  public func pullToRefresh() async {
    await store.refresh()
  }

  /// Adds the drafted contact; a failure shows in `errorText`.
  public func add() async {
    let body = ContactCreate(firstName: draftFirstName, email: draftEmail)
    guard (try? await store.create(body)) != nil else { return }
    draftFirstName = ""
    draftEmail = ""
  }

  public func rename(_ contact: Contact, to firstName: String) async {
    var patch = ContactUpdate()
    patch.firstName = firstName
    _ = try? await store.update(id: contact.id, patch)
  }

  public func remove(_ contact: Contact) async {
    _ = try? await store.delete(id: contact.id)
  }

  public func retryRefused() async {
    for write in store.failedWrites {
      _ = try? await store.retryWrite(write)
    }
  }

  public func dismissRefused() async {
    for write in store.failedWrites {
      _ = try? await store.discardWrite(write)
    }
  }
}
