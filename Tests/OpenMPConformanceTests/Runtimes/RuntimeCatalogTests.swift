import Foundation
import Testing
@testable import OpenMPConformance

extension RuntimesTests {
    @Suite("Runtime manifest and catalog")
    struct RuntimeCatalogTests {
        @Test("the provisioned manifest lists the five runtimes with absolute, existing paths")
        func provisioned() throws {
            guard let catalog = RuntimeFixtures.catalog() else { return }
            #expect(catalog.manifest.schemaVersion == 1)
            for name in ["gnu", "llvm14", "llvm16", "intel", "llvm14-copy"] {
                guard let r = catalog.runtime(named: name) else {
                    Issue.record("\(name) missing from \(catalog.manifestURL.path)")
                    continue
                }
                #expect(r.path.hasPrefix("/"), "\(name): \(r.path)")
                #expect(FileManager.default.fileExists(atPath: r.path), "\(name): \(r.path)")
                #expect(r.sha256.count == 64)
                #expect(!r.source.isEmpty)
            }
            #expect(catalog.runtime(named: "intel")?.source == "pypi:intel-openmp==2025.2.1")
            #expect(catalog.runtime(named: "llvm16")?.source == "apt:libomp5-16=1:16.0.6-15~deb12u1")
            #expect(catalog.runtime(named: "llvm16")?.path.hasPrefix(catalog.directory.path) == true,
                    "relative manifest paths resolve against the manifest's directory")
        }

        @Test("the runtimes directory: override, package root, kit cache, XDG cache, then ~/.cache")
        func location() throws {
            let root = try #require(RuntimeCatalog.packageRoot(startingAt: #filePath))
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path))
            func dir(_ env: [String: String], root: URL? = nil) throws -> String {
                try RuntimeCatalog.directory(packageRoot: root, environment: env).path
            }
            #expect(try dir([RuntimeCatalog.directoryVariable: "/opt/rt", RuntimeCatalog.cacheVariable: "/c",
                             "XDG_CACHE_HOME": "/x", "HOME": "/h"], root: root) == "/opt/rt")
            #expect(try dir(["HOME": "/h"], root: root) == root.appendingPathComponent("runtimes").path)
            #expect(try dir([RuntimeCatalog.cacheVariable: "/c", "XDG_CACHE_HOME": "/x", "HOME": "/h"]) == "/c/runtimes")
            #expect(try dir(["XDG_CACHE_HOME": "/x", "HOME": "/h"]) == "/x/openmp-conformance/runtimes")
            #expect(try dir(["HOME": "/h"]) == "/h/.cache/openmp-conformance/runtimes")
            #expect(try dir(["XDG_CACHE_HOME": "", RuntimeCatalog.directoryVariable: "", "HOME": "/h"])
                    == "/h/.cache/openmp-conformance/runtimes", "empty variables count as unset")
            #expect(RuntimeCatalog.packageRoot(startingAt: "/") == nil)
        }

        @Test("malformed, missing and unsupported manifests give errors naming the file")
        func badManifests() throws {
            let dir = try RuntimeFixtures.temporaryDirectory("manifest")
            defer { try? FileManager.default.removeItem(at: dir) }
            let file = dir.appendingPathComponent("manifest.json")

            #expect(throws: RuntimeManifestError.missing(path: file.path)) { try RuntimeCatalog(directory: dir) }

            try "{ \"schemaVersion\": 1, \"runtimes\": [ { \"name\": \"x\" ".write(to: file, atomically: true, encoding: .utf8)
            do {
                _ = try RuntimeCatalog(directory: dir)
                Issue.record("truncated JSON was accepted")
            } catch {
                #expect(String(describing: error).contains(file.path))
                #expect(String(describing: error).contains("not valid JSON"))
            }

            try #"{ "schemaVersion": 1, "runtimes": [ { "name": "x", "path": "/x", "family": "kmp", "version": "1" } ] }"#
                .write(to: file, atomically: true, encoding: .utf8)
            do {
                _ = try RuntimeCatalog(directory: dir)
                Issue.record("a record without source/sha256 was accepted")
            } catch {
                #expect(String(describing: error).contains(file.path))
                #expect(String(describing: error).contains("runtimes[0]"))
            }

            try #"{ "schemaVersion": 7, "runtimes": [] }"#.write(to: file, atomically: true, encoding: .utf8)
            #expect(throws: RuntimeManifestError.unsupportedSchema(path: file.path, version: 7)) {
                try RuntimeCatalog(directory: dir)
            }
        }

        @Test("round trip, lookup by name, unknown names listed")
        func roundTrip() throws {
            let dir = try RuntimeFixtures.temporaryDirectory("manifest-rt")
            defer { try? FileManager.default.removeItem(at: dir) }
            let manifest = RuntimeManifest(runtimes: [
                RuntimeRecord(name: "a", path: "sub/liba.so", family: "kmp", version: "1", source: "test", sha256: "00"),
                RuntimeRecord(name: "b", path: "/abs/libb.so", family: "gnu", version: "2", source: "test", sha256: "11"),
            ])
            try manifest.write(to: dir.appendingPathComponent(RuntimeManifest.fileName))
            let catalog = try RuntimeCatalog(directory: dir)
            #expect(catalog.manifest == manifest)
            #expect(catalog.names == ["a", "b"])
            #expect(try catalog.require("a").path == dir.appendingPathComponent("sub/liba.so").standardizedFileURL.path)
            #expect(try catalog.require("b").path == "/abs/libb.so")
            do {
                _ = try catalog.require("zz")
                Issue.record("an unknown name was found")
            } catch {
                #expect(String(describing: error).contains("zz"))
                #expect(String(describing: error).contains("a, b"))
            }
        }

        @Test("OMP_CONFORMANCE_DISCOVER adds runtimes found in prefixes, not ones already known")
        func discovery() throws {
            guard let catalog = RuntimeFixtures.catalog(), let l16 = catalog.runtime(named: "llvm16"),
                  let intel = catalog.runtime(named: "intel") else { return }
            let fm = FileManager.default
            let prefix = try RuntimeFixtures.temporaryDirectory("discover")
            defer { try? fm.removeItem(at: prefix) }
            let lib = prefix.appendingPathComponent("lib")
            try fm.createDirectory(at: lib, withIntermediateDirectories: true)
            try fm.copyItem(atPath: intel.path, toPath: lib.appendingPathComponent("libiomp5.so").path)
            try fm.createSymbolicLink(atPath: lib.appendingPathComponent("libomp.so").path, withDestinationPath: l16.path)
            // A Windows KMP DLL is a runtime to scan, but not one this host's probe can load.
            try Data(PEBuilder.kmpLike).write(to: lib.appendingPathComponent("libiomp5md.dll"))

            var env = ProcessInfo.processInfo.environment
            env[RuntimeCatalog.directoryVariable] = catalog.directory.path
            env[RuntimeCatalog.discoverVariable] = prefix.path
            let withDiscovery = try RuntimeCatalog(environment: env)
            #expect(withDiscovery.discovered.count == 1, "the symlink to llvm16 is already known, the DLL is not loadable here: \(withDiscovery.discovered)")
            let found = try #require(withDiscovery.discovered.first)
            #expect(found.name == "found-intel-\(intel.sha256.prefix(8))")
            #expect(found.family == "kmp")
            #expect(found.sha256 == intel.sha256)
            #expect(found.source == "scan:\(prefix.path)")
            #expect(withDiscovery.runtime(named: found.name) != nil)
            #expect(withDiscovery.names.count == catalog.names.count + 1)

            env[RuntimeCatalog.discoverVariable] = "/nonexistent/prefix"
            #expect(throws: RuntimeScanError.rootNotFound("/nonexistent/prefix")) { try RuntimeCatalog(environment: env) }
        }
    }
}
