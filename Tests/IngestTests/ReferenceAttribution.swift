import Foundation
import TestSupport

/// An independent attribution of the real logs with Foundation's JSON parser (the test oracle).
enum ReferenceAttribution {
    struct Result {
        var perPrincipal: [String: Int] = [:]
        var awsService = 0
        var unattributed = 0
    }

    static func events(under root: URL) throws -> Result {
        var result = Result()
        let files =
            FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "json" || $0.pathExtension == "gz" } ?? []
        for url in files {
            for o in try records(url) {
                let identity = o["userIdentity"] as? [String: Any]
                let type = identity?["type"] as? String
                if o["eventType"] as? String == "AwsServiceEvent" || type == "AWSService" {
                    result.awsService += 1
                    continue
                }
                guard let identity else {
                    result.unattributed += 1
                    continue
                }
                let issuer = (identity["sessionContext"] as? [String: Any])?["sessionIssuer"] as? [String: Any]
                let principal: String?
                switch type {
                case "IAMUser":
                    principal =
                        identity["arn"] as? String
                        ?? "arn:aws:iam::\(identity["accountId"] as? String ?? ""):user/\(identity["userName"] as? String ?? "")"
                case "AssumedRole", "FederatedUser": principal = issuer?["arn"] as? String
                case "Root": principal = "arn:aws:iam::\(identity["accountId"] as? String ?? ""):root"
                default: principal = identity["arn"] as? String
                }
                result.perPrincipal[principal ?? "?", default: 0] += 1
            }
        }
        return result
    }

    static func records(_ url: URL) throws -> [[String: Any]] {
        var data = try Data(contentsOf: url)
        if data.starts(with: [0x1F, 0x8B]) { data = try gunzip(url) }
        if let top = try? JSONSerialization.jsonObject(with: data) {
            if let array = top as? [[String: Any]] { return array }
            return (top as? [String: Any])?["Records"] as? [[String: Any]] ?? []
        }
        return try data.split(separator: UInt8(ascii: "\n")).compactMap {
            try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any]
        }
    }
}
