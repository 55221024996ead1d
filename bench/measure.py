#!/usr/bin/env python3
"""Runs a command; prints its wall time (s) and peak memory (MB) as `time mem`."""
import resource
import subprocess
import sys
import time

start = time.monotonic()
result = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
wall = time.monotonic() - start
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
if result.returncode != 0:
    sys.stderr.write(result.stdout)
    sys.exit(result.returncode)
sys.stderr.write(result.stdout)
print(f"{wall:.3f} {peak_kb / 1024:.0f}")
