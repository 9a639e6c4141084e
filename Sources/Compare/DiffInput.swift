import AccountInventory
import Foundation
import IAMPolicy

/// One side of `pare diff`: a set of policy documents (a file holding one policy, a JSON array or JSON
/// Lines, whose documents are named `FILE[INDEX]` and `FILE:LINE`; or a folder of `.json` files), or an authorization-details snapshot (compared principal by
/// principal).
public enum DiffInput: Sendable {
    case policies([ParsedPolicy])
    case snapshot(AccountInventory)

    /// Reads `path`; the kind is detected from the content (a snapshot has `UserDetailList`,
    /// `GroupDetailList`, `RoleDetailList` or `Policies` at the top level).
    public static func load(_ path: String) throws(DiffInputError) -> DiffInput {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DiffInputError(message: "cannot read `\(path)`: no such file or folder")
        }
        if isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            let files = names.filter { $0.hasSuffix(".json") }.sorted()
            guard !files.isEmpty else { throw DiffInputError(message: "cannot read `\(path)`: no `.json` files in it") }
            var policies: [ParsedPolicy] = []
            for file in files {
                policies += try readPolicies((path as NSString).appendingPathComponent(file))
            }
            return .policies(policies)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DiffInputError(message: "cannot read `\(path)`: permission denied or not a regular file")
        }
        let bytes = [UInt8](data)
        if case .object(let members)? = (try? JSONValue.parse(bytes))?.kind,
            members.contains(where: {
                ["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"].contains($0.key)
            })
        {
            do {
                return .snapshot(try AccountInventory.load(authorizationDetails: [path]))
            } catch {
                throw DiffInputError(message: error.description)
            }
        }
        return .policies(try readPolicies(path, bytes: bytes))
    }

    private static func readPolicies(_ path: String, bytes: [UInt8]? = nil) throws(DiffInputError) -> [ParsedPolicy] {
        guard let bytes = bytes ?? FileManager.default.contents(atPath: path).map({ [UInt8]($0) }) else {
            throw DiffInputError(message: "cannot read `\(path)`: permission denied or not a regular file")
        }
        var policies: [ParsedPolicy]
        do {
            policies = try PolicyFile.readWhole(bytes, source: path)
        } catch {
            throw DiffInputError(message: error.message)
        }
        // The documents of a JSON Lines file share the file's name: each is named `FILE:LINE` instead, so that
        // reasons and SARIF locations tell them apart.
        if Set(policies.map(\.name)).count < policies.count {
            for i in policies.indices {
                policies[i].path = ":\(SourcePosition(offset: policies[i].json.offset, in: policies[i].bytes).line)"
            }
        }
        return policies
    }
}

/// An input of `pare diff` that cannot be used.
public struct DiffInputError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
