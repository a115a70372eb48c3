import Foundation

// The macOS side of provisioning: which items a host can take, Homebrew's libomp, and the
// libraries taken out of wheels whose vendor is not Intel. Host-independent code: it reads
// the host from ``HostFacts`` at run time, so it is unit-tested on Linux.

extension Provisioner {
    /// Why `item` cannot be provisioned on `host`, or nil when it can.
    package static func unavailability(of item: ProvisionItem, on host: HostFacts) -> String? {
        if let arch = item.macOSArch {
            if host.platform == .macos && (arch == "*" || arch == host.arch) { return nil }
            var why = "not available on this platform: \(item.name) is a macOS "
                + (arch == "*" ? "" : "\(arch) ") + "runtime, and this host is \(host.platform.rawValue) \(host.arch)"
            if case .wheelLibrary(let pin, _) = item.kind, pin.project == "intel-openmp" {
                why += " (Intel publishes libiomp5.dylib for x86_64 macOS only, in intel-openmp up to 2023.2.0; none for arm64)"
            }
            return why
        }
        if item.linuxX86Only && !(host.platform == .linux && host.arch == "x86_64") {
            return "not available on this platform: a Linux x86_64 runtime, and this host is "
                + "\(host.platform.rawValue) \(host.arch) (the probes could not load it)"
        }
        if case .wineProbe = item.kind, let why = WineTools.unavailable ?? WineTools.compilerMissing {
            return "the Windows platform cannot run here: \(why)"
        }
        return nil
    }

    /// A library out of a wheel must be the vendor the wheel stands for: Intel's for
    /// intel-openmp (its release is the wheel's version), LLVM's for the copies torch and
    /// faiss-cpu bundle (the release is read from the library's build string).
    static func checkVendor(_ r: inout RuntimeRecord, item: ProvisionItem, pin: ProvisionItem.WheelPin,
                            file: String) throws(ProvisionError) {
        let intel = pin.project == "intel-openmp"
        let expected = intel ? RuntimeIdentity.Vendor.intel : RuntimeIdentity.Vendor.llvm
        guard r.vendor == expected.rawValue else {
            throw .notTheExpectedRuntime(item: item.name, path: file,
                                         reason: "does not carry \(vendorWord(expected.rawValue))'s banner (read: \(r.vendor ?? "none")); "
                                             + "refusing to call it \(vendorWord(expected.rawValue))")
        }
        if intel {
            r.release = pin.version
            r.releaseSource = "wheel-version"
        } else if let id = try? RuntimeIdentity.identify(path: file), id.versionSource == "build-compiler" {
            r.release = id.version
            r.releaseSource = "banner"
        }
    }

    /// The catalog's kept copy of this wheel, when it is already there.
    func keptWheel(_ pin: ProvisionItem.WheelPin) -> String? {
        for item in items {
            guard case .wheel(let kept) = item.kind, kept == pin else { continue }
            let path = directory.appendingPathComponent(item.path).path
            if isPresent(item, file: path) { return path }
        }
        return nil
    }

    /// Homebrew's `formula` (installed when missing), recorded with its version and hash.
    func provisionHomebrew(_ item: ProvisionItem, formula: String,
                           member: String) throws(ProvisionError) -> (Bool, Outcome) {
        guard let brew = downloader.which("brew") else {
            throw .toolMissing(tool: "brew", hint: "install Homebrew (https://brew.sh), then run: brew install \(formula)")
        }
        var changed = false
        var versions = (try? downloader.run([brew, "list", "--versions", formula])) ?? ""
        if versions.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            log("\(item.name): brew install \(formula) (Homebrew's current bottle; recorded, not pinned)")
            _ = try downloader.run([brew, "install", formula], hint: "brew install \(formula)")
            versions = try downloader.run([brew, "list", "--versions", formula])
            changed = true
        }
        let prefix = try downloader.run([brew, "--prefix", formula]).trimmingCharacters(in: .whitespacesAndNewlines)
        let file = prefix + "/" + member
        guard FileManager.default.fileExists(atPath: file) else {
            throw .memberMissing(item: item.name, archive: "brew \(formula) (\(prefix))", member: member)
        }
        // "libomp 21.1.8" (the newest installed version comes last).
        let version = versions.split(whereSeparator: \.isWhitespace).dropFirst().last.map(String.init)
        var r = try record(item, file: file, manifestPath: file, source: "brew:\(formula)" + (version.map { "@\($0)" } ?? ""))
        r.release = version.map { Self.upstreamRelease(ofHomebrewVersion: $0) }
        r.releaseSource = "homebrew-package"
        return (changed, .runtime(r))
    }

    /// `21.1.8_1` (a Homebrew revision) → `21.1.8`.
    static func upstreamRelease(ofHomebrewVersion v: String) -> String {
        v.split(separator: "_").first.map(String.init) ?? v
    }
}

extension ProvisionCatalog {
    /// The macOS runtimes, after `base`: Homebrew's libomp and a second copy of it; the libomp
    /// copies bundled in the torch and faiss-cpu macOS arm64 wheels (the real pair behind the
    /// doc's crash: LLVM 19.1 and LLVM 16.0), taken out of the wheels `base` keeps whole; and
    /// Intel's libiomp5.dylib, which exists for x86_64 macOS only (intel-openmp up to 2023.2.0).
    static func addingMacOS(to base: [ProvisionItem]) -> [ProvisionItem] {
        func bundled(_ name: String, from wheelName: String, member: String, fileSHA256: String) -> ProvisionItem? {
            guard let w = base.first(where: { $0.name == wheelName }), case .wheel(let pin) = w.kind else { return nil }
            return ProvisionItem(name: name, kind: .wheelLibrary(pin, member: member), path: "\(name)/libomp.dylib",
                                 fileSHA256: fileSHA256, macOSArch: "arm64")
        }
        let intel = ProvisionItem.WheelPin(
            project: "intel-openmp", version: "2023.2.0",
            file: "intel_openmp-2023.2.0-py2.py3-none-macosx_10_15_x86_64.macosx_11_0_x86_64.whl",
            sha256: "b937d37b3ce736be29c9740ff7396a88ce09438b484a81b4542ea066eb3021dd", size: 758_330,
            platforms: ["macosx_10_15_x86_64"], pythonVersion: "3.11")
        let mac: [ProvisionItem?] = [
            ProvisionItem(name: "llvm-brew", kind: .homebrew(formula: "libomp", member: "lib/libomp.dylib"),
                          path: "llvm-brew", macOSArch: "*"),
            ProvisionItem(name: "llvm-brew-copy", kind: .copy(of: "llvm-brew"), path: "llvm-brew-copy/libomp.dylib",
                          macOSArch: "*"),
            bundled("llvm-torch", from: "torch-macos-arm64", member: "torch/lib/libomp.dylib",
                    fileSHA256: "6256bee09e93c28d71c65711cc69224d69994c6965648b628b70a22772fe98d4"),
            bundled("llvm-faiss", from: "faiss-cpu-macos-arm64", member: "faiss/.dylibs/libomp.dylib",
                    fileSHA256: "bb055b57fe9d6867bc0c8494f71c40a9d2403f8e15b5594e551317918f38d71a"),
            ProvisionItem(name: "intel-macos",
                          kind: .wheelLibrary(intel, member: "intel_openmp-2023.2.0.data/data/lib/libiomp5.dylib"),
                          path: "intel-macos/libiomp5.dylib",
                          fileSHA256: "19fd559da908bb27d9d8cb757f71162771de72fabf53cbbd5ee73bcc15b743d5", macOSArch: "x86_64"),
        ]
        return base + mac.compactMap { $0 }
    }
}
