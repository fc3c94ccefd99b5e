"""Timing shared by the reference benchmarks: warm up, then the fastest of timed rounds.

On a shared VM, interference from other tenants only ever slows a round (by up to 2x within
seconds, measured), so the fastest round is the closest estimate of undisturbed speed; the Java
side (io.tensorlink.bench.compute.Timing) uses the same rule. Each round also records the
process's CPU time (all threads), which a crowded machine disturbs far less than wall time.
"""

import time


def fastest_seconds_per_call(op, warmup=2.0, repeats=7, round_seconds=0.3):
    """Fastest seconds per call of op over `repeats` rounds of about `round_seconds` each."""
    return measure(op, warmup, repeats, round_seconds)[0]


def measure(op, warmup=2.0, repeats=7, round_seconds=0.3):
    """(wall, CPU) seconds per call of the fastest round of each, over `repeats` rounds."""
    start = time.perf_counter()
    calls = 0
    while time.perf_counter() - start < warmup or calls < 3:
        op()
        calls += 1
    per_call = (time.perf_counter() - start) / calls
    per_round = max(1, round(round_seconds / per_call))
    wall = []
    cpu = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        c0 = time.process_time()
        for _ in range(per_round):
            op()
        wall.append((time.perf_counter() - t0) / per_round)
        cpu.append((time.process_time() - c0) / per_round)
    return min(wall), min(cpu)
