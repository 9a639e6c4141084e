import Foundation
import TestSupport
import Testing

@testable import IAMCatalog

@Suite struct LoadingTests {
    @Test func explicitPathWins() throws {
        let url = try ActionCatalog.locate(explicit: Repository.actionCatalog.path, environment: [:])
        #expect(url.path == Repository.actionCatalog.path)
    }

    @Test func environmentVariableIsUsed() throws {
        let url = try ActionCatalog.locate(explicit: nil, environment: ["PARE_CATALOG": Repository.actionCatalog.path])
        #expect(url.path == Repository.actionCatalog.path)
    }

    @Test func sourceCheckoutIsTheFallback() throws {
        let url = try ActionCatalog.locate(explicit: nil, environment: [:])
        #expect(url.standardizedFileURL.path == Repository.actionCatalog.standardizedFileURL.path)
    }

    @Test func missingExplicitPathIsAnErrorNotASkip() throws {
        let error = try #require(throws: CatalogError.self) {
            try ActionCatalog.locate(
                explicit: "/nonexistent/cat", environment: ["PARE_CATALOG": Repository.actionCatalog.path])
        }
        #expect(
            error.description == "no action catalog at `/nonexistent/cat` (--catalog): expected `catalog.txt` there")
        let fromEnvironment = try #require(throws: CatalogError.self) {
            try ActionCatalog.locate(explicit: nil, environment: ["PARE_CATALOG": "/nonexistent/env"])
        }
        #expect(
            fromEnvironment.description
                == "no action catalog at `/nonexistent/env` (PARE_CATALOG): expected `catalog.txt` there")
    }

    @Test func theErrorListsEveryPlaceLooked() throws {
        let error = try #require(throws: CatalogError.self) {
            try ActionCatalog.locate(
                explicit: nil, environment: [:],
                defaults: [
                    (URL(fileURLWithPath: "/opt/pare/bin/ActionCatalog"), "next to the executable"),
                    (URL(fileURLWithPath: "/src/pare/ActionCatalog"), "source checkout"),
                ])
        }
        #expect(
            error.description
                == "cannot find the action catalog: looked in `/opt/pare/bin/ActionCatalog` (next to the executable), "
                + "`/src/pare/ActionCatalog` (source checkout); pass --catalog PATH or set PARE_CATALOG")
    }

    @Test(arguments: [
        (
            "", "x",
            "cannot load `DIR/catalog.txt`: line 1: expected `pare-action-catalog 1`, the format this pare reads"
        ),
        (
            "pare-action-catalog 1\nS\ts3\tAmazon S3\nA\tGetObject\tX\t\t\t\n", "",
            "cannot load `DIR/catalog.txt`: line 3: unknown access level `X`"
        ),
        (
            "pare-action-catalog 1\nS\ts3\tAmazon S3\nA\tGetObject\tR\t\t\n", "",
            "cannot load `DIR/catalog.txt`: line 3: expected 5 fields after `A`, found 4"
        ),
        (
            "pare-action-catalog 1\nS\ts3\tAmazon S3\nA\tPutObject\tW\t\t\t\nA\tGetObject\tR\t\t\t\n", "",
            "cannot load `DIR/catalog.txt`: line 4: action `GetObject` is out of order or repeated"
        ),
        (
            "pare-action-catalog 1\nS\ts3\tAmazon S3\nA\tGetObject\tR\t\t\t\nA\tgetobject\tR\t\t\t\n", "",
            "cannot load `DIR/catalog.txt`: line 4: action `getobject` is out of order or repeated"
        ),
        (
            "pare-action-catalog 1\nS\ts3\tAmazon S3\nZ\tx\n", "",
            "cannot load `DIR/catalog.txt`: line 3: unknown record `Z`"
        ),
        (
            "pare-action-catalog 1\nS\ts3\tAmazon S3\nR\tbucket\tarn:${Partition}:s3:::${BucketName}\t\nA\tGetObject\tR\t7!\t\t\n",
            "", "cannot load `DIR/catalog.txt`: line 4: no resource type 7 in `s3`"
        ),
        (
            "pare-action-catalog 1\nS\ts3\tAmazon S3\nA\tGetObject\tR\tx\t\t\n", "",
            "cannot load `DIR/catalog.txt`: line 3: expected a number, found `x`"
        ),
        (
            "pare-action-catalog 1\nS\ts3\tAmazon S3\nC\ts3:x\tString\nA\tGetObject\tR\t\t9\t\n", "",
            "cannot load `DIR/catalog.txt`: line 4: no condition key 9 in `s3`"
        ),
        (
            "pare-action-catalog 1\nS\ts3\tAmazon S3\nC\ts3:x\tString\nA\tGetObject\tR\t\t0,\t\n", "",
            "cannot load `DIR/catalog.txt`: line 4: expected a number, found ``"
        ),
        (
            "pare-action-catalog 1\nS\ts3\tAmazon S3\nA\tGetObject\tR\t\t\tnope:Thing\nA\tPutObject\tW\t\t\ts3:GetObject\n",
            "", "cannot load `DIR/catalog.txt`: line 3: unknown dependent action `nope:Thing`"
        ),
        (
            "pare-action-catalog 1\nS\ts3\tAmazon S3\nA\tGetObject\tR\t\t\t\n",
            "pare-cloudtrail-map 1\nH\ts3.amazonaws.com\ts4\n",
            "cannot load `DIR/cloudtrail.txt`: line 2: unknown prefix `s4`"
        ),
        (
            "pare-action-catalog 1\nS\ts3\tAmazon S3\nA\tGetObject\tR\t\t\t\n",
            "pare-cloudtrail-map 1\nH\ts3.amazonaws.com\ts3\nE\ts3.amazonaws.com\tHeadObject\ts3:HeadObject\t\t\t\n",
            "cannot load `DIR/cloudtrail.txt`: line 3: unknown action `s3:HeadObject`"
        ),
        (
            "pare-action-catalog 1\nS\ts3\tAmazon S3\nA\tGetObject\tR\t\t\t\n",
            "pare-cloudtrail-map 1\nH\ts3.amazonaws.com\ts3\nH\ts3.amazonaws.com\ts3\n",
            "cannot load `DIR/cloudtrail.txt`: line 3: host `s3.amazonaws.com` mapped twice"
        ),
    ])
    func malformedFilesAreReportedWithTheirLine(_ catalog: String, _ cloudTrail: String, _ message: String) throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try Data(catalog.utf8).write(to: folder.file("catalog.txt"))
        try Data(cloudTrail.utf8).write(to: folder.file("cloudtrail.txt"))
        let error = try #require(throws: CatalogError.self) { try ActionCatalog.load(from: folder.url) }
        #expect(error.description == message.replacingOccurrences(of: "DIR", with: folder.url.path))
    }

    @Test func missingFileIsReported() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let error = try #require(throws: CatalogError.self) { try ActionCatalog.load(from: folder.url) }
        #expect(error.description == "cannot read `\(folder.url.path)/catalog.txt`: no such file or not readable")
    }

    @Test func aSmallCatalogLoadsAndResolves() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try Data(
            "pare-action-catalog 1\n# constructed\nS\tiam\tAWS IAM\nA\tPassRole\tW\t\t\t\nS\ts3\tAmazon S3\nC\ts3:x\tString\nR\tbucket\tarn:${Partition}:s3:::${BucketName}\t0\nA\tListBucket\tL\t0!\t0\t\nA\tPutReplicationConfiguration\tW\t0!\t\tiam:PassRole\n"
                .utf8
        ).write(to: folder.file("catalog.txt"))
        try Data(
            "pare-cloudtrail-map 1\nH\ts3.amazonaws.com\ts3\nE\ts3.amazonaws.com\tListObjects\ts3:ListBucket\t\t\t\n"
                .utf8
        ).write(to: folder.file("cloudtrail.txt"))
        let catalog = try ActionCatalog.load(from: folder.url)
        #expect(catalog.prefixes == ["iam", "s3"])
        #expect(
            catalog.names(of: catalog.allActions) == [
                "iam:PassRole", "s3:ListBucket", "s3:PutReplicationConfiguration",
            ])
        let replication = try #require(catalog.action(named: "s3:putreplicationconfiguration"))
        #expect(catalog.dependentActions(of: replication).map(catalog.name(of:)) == ["iam:PassRole"])
        #expect(
            catalog.resolve(eventSource: "s3.amazonaws.com", eventName: "ListObjects")
                == EventResolution(status: .resolved, actions: ["s3:ListBucket"]))
        let listBucket = try #require(catalog.action(named: "s3:ListBucket"))
        #expect(catalog.conditionKeys(of: listBucket) == ["s3:x"])
        #expect(catalog.resourceTypes(of: listBucket).map(\.resourceType.conditionKeys) == [["s3:x"]])
    }
}
