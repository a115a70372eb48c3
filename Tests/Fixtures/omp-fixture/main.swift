import OMPProbeCore
print("todo")
