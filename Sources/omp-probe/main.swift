import OMPProbeCore
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

// The probe child. Lean on purpose: no Foundation, so it starts fast.
exit(ProbeEngine.main(CommandLine.arguments))
