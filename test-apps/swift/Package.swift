// swift-tools-version: 6.0
// A SwiftPM app that compiles and exercises the Swift client generated from fixtures/crm.
// Sources/CRMGenerated is produced by ./generate.sh (sync-patterns generate --target swift).
import PackageDescription

let package = Package(
  name: "CRMDemo",
  platforms: [.macOS(.v14), .iOS(.v17)],
  dependencies: [
    .package(path: "../../packages/swift-runtime"),
    .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
  ],
  targets: [
    .target(
      name: "CRMGenerated",
      dependencies: [
        .product(name: "SyncPatternsClient", package: "swift-runtime"),
        .product(name: "SyncPatternsRuntime", package: "swift-runtime"),
        .product(name: "GRDB", package: "GRDB.swift"),
      ],
      exclude: [".sync-patterns-manifest.json"]
    ),
    .executableTarget(name: "CRMDemo", dependencies: ["CRMGenerated"]),
    .testTarget(
      name: "CRMDemoTests",
      dependencies: [
        "CRMGenerated",
        .product(name: "GRDB", package: "GRDB.swift"),
      ]
    ),
  ],
  swiftLanguageModes: [.v6]
)
