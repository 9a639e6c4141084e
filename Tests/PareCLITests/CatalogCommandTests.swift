import Foundation
import TestSupport
import Testing

@Suite struct CatalogCommandTests {
    @Test func resolveJSONHasTheDesignShape() throws {
        let run = try Pare.run(["catalog", "resolve", "s3.amazonaws.com", "ListObjectsV2", "--format", "json"])
        #expect(run.status == 0)
        #expect(run.stderr == "")
        #expect(
            run.stdout
                == #"{"actions":["s3:ListBucket"],"anyOf":[],"conditional":[],"eventName":"ListObjectsV2","eventSource":"s3.amazonaws.com","reason":null,"status":"resolved"}"#
                + "\n")
    }

    @Test func resolveWithRequestParametersAddsTheWhenActions() throws {
        let run = try Pare.run([
            "catalog", "resolve", "ec2.amazonaws.com", "RunInstances",
            "--request-parameters", #"{"iamInstanceProfile":{"arn":"arn:aws:iam::1:instance-profile/p"}}"#,
        ])
        #expect(run.status == 0)
        #expect(run.stdout == "ec2.amazonaws.com RunInstances: resolved\n  ec2:RunInstances\n  iam:PassRole\n")
    }

    @Test func resolveWithoutParametersListsTheConditionalExtras() throws {
        let run = try Pare.run(["catalog", "resolve", "ec2.amazonaws.com", "RunInstances"])
        #expect(
            run.stdout
                == "ec2.amazonaws.com RunInstances: resolved\n  ec2:RunInstances\n"
                + "  when iamInstanceProfile: iam:PassRole\n  when tagSpecificationSet: ec2:CreateTags\n")
    }

    @Test func resolveNoPermissionAndUnresolved() throws {
        let login = try Pare.run(["catalog", "resolve", "signin.amazonaws.com", "ConsoleLogin", "--format", "json"])
        #expect(
            login.stdout
                == #"{"actions":[],"anyOf":[],"conditional":[],"eventName":"ConsoleLogin","eventSource":"signin.amazonaws.com","reason":"console sign-in needs no identity-policy permission","status":"noPermission"}"#
                + "\n")
        let unknown = try Pare.run(["catalog", "resolve", "s3.amazonaws.com", "GetStorageLensDashboardDataInternal"])
        #expect(unknown.status == 0)
        #expect(
            unknown.stdout
                == "s3.amazonaws.com GetStorageLensDashboardDataInternal: unresolved\n"
                + "  no action `s3:GetStorageLensDashboardDataInternal` in the catalog\n")
    }

    /// A regression: the event source was looked up case-sensitively (`S3.AMAZONAWS.COM` was unresolved).
    @Test func resolveIgnoresTheCaseOfSourceAndName() throws {
        let run = try Pare.run(["catalog", "resolve", "S3.AMAZONAWS.COM", "getobject"])
        #expect(run.status == 0)
        #expect(
            run.stdout
                == "S3.AMAZONAWS.COM getobject: resolved\n  s3:GetObject\n  when versionId: s3:GetObjectVersion\n")
        let canonical = try Pare.run(["catalog", "resolve", "s3.amazonaws.com", "GetObject"])
        #expect(canonical.stdout.split(separator: "\n").dropFirst() == run.stdout.split(separator: "\n").dropFirst())
    }

    @Test func badRequestParametersIsAUsageError() throws {
        let run = try Pare.run([
            "catalog", "resolve", "ec2.amazonaws.com", "RunInstances", "--request-parameters", "[1]",
        ])
        #expect(run.status == 64)
        #expect(
            run.stderr
                == "error: --request-parameters: expected a JSON object; see `pare catalog resolve --help`\n")
    }

    @Test func expandTextAndJSON() throws {
        let text = try Pare.run(["catalog", "expand", "kms:ReEncrypt*"])
        #expect(text.status == 0)
        #expect(text.stdout == "kms:ReEncryptFrom\nkms:ReEncryptTo\n")
        let json = try Pare.run(["catalog", "expand", "KMS:reencrypt*", "--format", "json"])
        #expect(
            json.stdout
                == #"{"actions":["kms:ReEncryptFrom","kms:ReEncryptTo"],"notAction":false,"pattern":"KMS:reencrypt*"}"#
                + "\n")
    }

    @Test func expandNothingFailsWithAHint() throws {
        let run = try Pare.run(["catalog", "expand", "lambda:Invoke"])
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(run.stderr == "error: unknown action `lambda:Invoke`; did you mean `lambda:InvokeFunction`?\n")
    }

    @Test func showActionAndService() throws {
        let action = try Pare.run(["catalog", "show", "kms:reencryptto"])
        #expect(action.status == 0)
        #expect(
            action.stdout == """
                kms:ReEncryptTo  (Write)
                  resource key (required)  arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}
                  condition kms:CallerAccount
                  condition kms:EncryptionAlgorithm
                  condition kms:EncryptionContext:${EncryptionContextKey}
                  condition kms:EncryptionContextKeys
                  condition kms:ReEncryptOnSameKey
                  condition kms:RequestAlias
                  condition kms:ViaService

                """)
        let service = try Pare.run(["catalog", "show", "a2c", "--format", "json"])
        #expect(
            service.stdout
                == #"{"actions":[{"accessLevel":"Read","action":"a2c:GetContainerizationJobDetails"},{"accessLevel":"Read","action":"a2c:GetDeploymentJobDetails"},{"accessLevel":"Write","action":"a2c:StartContainerizationJob"},{"accessLevel":"Write","action":"a2c:StartDeploymentJob"}],"conditionKeys":[],"prefix":"a2c","resourceTypes":[],"serviceName":"AWS App2Container"}"#
                + "\n")
    }

    @Test func showUnknownSuggests() throws {
        let run = try Pare.run(["catalog", "show", "s3:GetObjcet"])
        #expect(run.status == 1)
        #expect(run.stderr == "error: unknown action `s3:GetObjcet`; did you mean `s3:GetObject`?\n")
    }

    /// A regression: an empty name suggested `q:*`, a service prefix was suggested as `s3:*`.
    @Test func showUnknownPrefixSuggestsAPrefix() throws {
        let prefix = try Pare.run(["catalog", "show", "s4"])
        #expect(prefix.status == 1)
        #expect(prefix.stderr == "error: unknown service prefix `s4`; did you mean `s3`?\n")
        let empty = try Pare.run(["catalog", "show", ""])
        #expect(empty.status == 1)
        #expect(
            empty.stderr == "error: `` is not a service prefix or an action (expected `prefix` or `prefix:action`)\n")
        let colon = try Pare.run(["catalog", "show", ":"])
        #expect(colon.status == 1)
        #expect(colon.stderr == "error: `:` is not an action (expected `prefix:action`)\n")
    }

    /// A regression: `--not` with a pattern that matches nothing failed, though its `NotAction` meaning
    /// is every action.
    @Test func expandNotWithAnUnknownPatternPrintsEveryActionWithAWarning() throws {
        let run = try Pare.run(["catalog", "expand", "--not", "nope:*"])
        #expect(run.status == 0)
        #expect(run.stderr == "warning: unknown service prefix `nope` in `nope:*`\n")
        let all = try Pare.run(["catalog", "expand", "*"])
        #expect(run.stdout == all.stdout)
        #expect(run.stdout.hasPrefix("a2c:GetContainerizationJobDetails\n"))
    }

    /// A regression: control characters of the event name were printed raw.
    @Test func resolveEscapesControlCharacters() throws {
        let run = try Pare.run(["catalog", "resolve", "s3.amazonaws.com", "Get\u{1B}[2JObject\nX"])
        #expect(run.status == 0)
        #expect(
            run.stdout
                == "s3.amazonaws.com Get\\u{1B}[2JObject\\nX: unresolved\n"
                + "  no action `s3:Get\\u{1B}[2JObject\\nX` in the catalog\n")
        let source = try Pare.run(["catalog", "resolve", "a\tb", "X"])
        #expect(source.stdout == "a\\tb X: unresolved\n  unknown event source `a\\tb`\n")
    }

    @Test func catalogLocationErrors() throws {
        let explicit = try Pare.run(["catalog", "show", "s3", "--catalog", "/nonexistent/catalog"])
        #expect(explicit.status == 1)
        #expect(
            explicit.stderr
                == "error: no action catalog at `/nonexistent/catalog` (--catalog): expected `catalog.txt` there\n")
        let environment = try Pare.run(
            ["catalog", "show", "s3"], environment: ["PARE_CATALOG": "/nonexistent/env"])
        #expect(environment.status == 1)
        #expect(
            environment.stderr
                == "error: no action catalog at `/nonexistent/env` (PARE_CATALOG): expected `catalog.txt` there\n")
        let good = try Pare.run(
            ["catalog", "expand", "sts:GetCallerIdentity"], environment: ["PARE_CATALOG": Repository.actionCatalog.path]
        )
        #expect(good.stdout == "sts:GetCallerIdentity\n")
    }
}
