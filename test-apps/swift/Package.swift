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
    // fixtures/crm with every entity in push mode (the golden `crm-push`, through a symlink).
    .target(
      name: "CRMPushGenerated",
      dependencies: [.product(name: "SyncPatternsClient", package: "swift-runtime")]
    ),
    // One interface (#19): one view model source, compiled against the live stores and against
    // the push stores of the same entities (Sources/OneInterfacePush links the same file).
    .target(
      name: "OneInterfaceLive",
      dependencies: [
        "CRMGenerated",
        .product(name: "SyncPatternsClient", package: "swift-runtime"),
      ]
    ),
    .target(
      name: "OneInterfacePush",
      dependencies: [
        "CRMPushGenerated",
        .product(name: "SyncPatternsClient", package: "swift-runtime"),
      ]
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
