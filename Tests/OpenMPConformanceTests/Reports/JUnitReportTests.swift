import Foundation
import Testing
@testable import OpenMPConformance

@Suite("JUnit report")
struct JUnitReportTests {
    @Test func oneSuitePerPlatformOneCasePerCell() throws {
        let r = ReportFixtures.results()
        let xml = JUnitReport.render(r)
        let (parsed, error) = ReportChecks.parseXML(xml)
        let elements = try #require(parsed, "not well-formed: \(error ?? "")")

        let root = try #require(elements.first)
        #expect(root.name == "testsuites")
        #expect(root.attributes["tests"] == "\(r.results.count)")
        #expect(root.attributes["failures"] == "2")
        #expect(root.attributes["skipped"] == "2")

        let suites = elements.filter { $0.name == "testsuite" }
        #expect(suites.map { $0.attributes["name"] } == ["debian12-x86_64"])
        #expect(suites[0].attributes["hostname"] == "debian12-x86_64-glibc2.36")

        let cases = elements.filter { $0.name == "testcase" }
        #expect(cases.map { $0.attributes["name"]! } == r.results.map(\.id))
        #expect(cases.map { $0.attributes["classname"]! } == r.results.map(\.row))

        let failures = elements.filter { $0.name == "failure" }
        #expect(failures.count == 2)
        for failure in failures {
            #expect(failure.attributes["type"] == "hang-at-exit")
            #expect(failure.attributes["message"]?.hasPrefix("hang-at-exit, allowed: pass") == true)
            #expect(failure.text.contains("Repro:\n  omp-matrix run --cell 'linux-cpu-"))
            #expect(failure.text.contains("OMP: Error #13: Assertion failure at kmp_runtime.cpp(6913)"))
        }
        let skipped = elements.filter { $0.name == "skipped" }
        #expect(skipped.map { $0.attributes["message"] } == ["needs macOS; this host is Linux", "needs macOS; this host is Linux"])
        let properties = elements.filter { $0.name == "property" }
        #expect(properties.contains { $0.attributes["name"] == "runtime.llvm14" && $0.attributes["value"]!.contains("/work/main/runtimes/llvm14/libomp.so.5") })
    }

    @Test func platformNames() {
        var h = ReportFixtures.host()
        #expect(JUnitReport.platform(of: h) == "debian12-x86_64")
        h.osID = "macos"; h.osVersion = "14.5"; h.arch = "arm64"
        #expect(JUnitReport.platform(of: h) == "macos14-arm64")
        h.osID = "debian12"; h.osVersion = "12"
        #expect(JUnitReport.platform(of: h) == "debian12-arm64")
    }

    @Test func severalFilesGiveSeveralSuites() throws {
        var mac = ReportFixtures.results(hostKey: "macos14-arm64")
        mac.host.osID = "macos"; mac.host.osVersion = "14.5"; mac.host.arch = "arm64"
        let xml = JUnitReport.render([ReportFixtures.results(), mac])
        let elements = try #require(ReportChecks.parseXML(xml).elements)
        #expect(elements.filter { $0.name == "testsuite" }.map { $0.attributes["name"]! } == ["debian12-x86_64", "macos14-arm64"])
        #expect(elements[0].attributes["tests"] == "\(2 * mac.results.count)")
    }
}
