// swift-tools-version: 6.0
// The runtime of sync-patterns' Swift target. Two products:
// - SyncPatternsClient: what every generated client needs (HTTP, coding, JSONValue).
//   No dependencies.
// - SyncPatternsRuntime: local-first sync for `live` entities (GRDB, Electric shapes, outbox).
import PackageDescription

let package = Package(
  name: "SyncPatternsRuntime",
  platforms: [.iOS(.v17), .macOS(.v14), .tvOS(.v17), .watchOS(.v10)],
  products: [
    .library(name: "SyncPatternsClient", targets: ["SyncPatternsClient"]),
    .library(name: "SyncPatternsRuntime", targets: ["SyncPatternsRuntime"]),
  ],
  dependencies: [
    .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
  ],
  targets: [
    .target(name: "SyncPatternsClient"),
    .target(
      name: "SyncPatternsRuntime",
      dependencies: ["SyncPatternsClient", .product(name: "GRDB", package: "GRDB.swift")]
    ),
    // `swift run -c release SyncPatternsBench`: the runtime's figures of issue #19 against
    // `sync-patterns dev` (run it through `npm run bench swift-runtime`; see the README).
    .executableTarget(
      name: "SyncPatternsBench",
      dependencies: [
        "SyncPatternsClient", "SyncPatternsRuntime", .product(name: "GRDB", package: "GRDB.swift"),
      ]
    ),
    .testTarget(name: "SyncPatternsClientTests", dependencies: ["SyncPatternsClient"]),
    // Reads the shared vectors from ../../fixtures/runtime-vectors (see Tests/…/Vectors.swift).
    .testTarget(
      name: "SyncPatternsRuntimeTests",
      dependencies: ["SyncPatternsRuntime", .product(name: "GRDB", package: "GRDB.swift")]
    ),
  ],
  swiftLanguageModes: [.v6]
)
