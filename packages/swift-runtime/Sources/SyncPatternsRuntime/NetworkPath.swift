import Foundation

#if canImport(Network)
  import Network
#endif

/// Turns network path updates into reconnects (contract §2): `update` is true when the path
/// became satisfied after an update that was not. The first update only records the state, so
/// starting the engine online does not count as a reconnect.
struct PathTransitions: Sendable {
  private var lastSatisfied: Bool?

  mutating func update(satisfied: Bool) -> Bool {
    defer { lastSatisfied = satisfied }
    return satisfied && lastSatisfied == false
  }
}

#if canImport(Network)
  /// The engine's reconnect trigger on Apple platforms: an `NWPathMonitor` that calls
  /// `onAvailable` each time the device's network path becomes satisfied again. Started by
  /// `SyncEngine.start()`, cancelled by `stop()`.
  final class NetworkPathMonitor: @unchecked Sendable {
    // @unchecked: `transitions` is only touched by the path update handler, which the monitor
    // calls on its own serial `queue`.
    private let monitor = NWPathMonitor()
    private let queue = DispatchQueue(label: "sync-patterns.network-path")
    private var transitions = PathTransitions()

    init(onAvailable: @escaping @Sendable () async -> Void) {
      monitor.pathUpdateHandler = { [weak self] path in
        guard let self else { return }
        if self.transitions.update(satisfied: path.status == .satisfied) {
          Task { await onAvailable() }
        }
      }
      monitor.start(queue: queue)
    }

    func cancel() {
      monitor.cancel()
    }

    deinit {
      monitor.cancel()
    }
  }
#endif
