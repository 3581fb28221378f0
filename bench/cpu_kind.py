"""The CPU's name as a folder name (benchmarks/<cpu>/), shared by the benchmark scripts."""
import platform
import re


def cpu_slug():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip().lower()
                name = re.sub(r"\((r|tm)\)|\b(processor|cpu)\b|@.*$", " ", name)
                return re.sub(r"[^a-z0-9]+", "-", name).strip("-")
    return platform.machine()
