#!/usr/bin/env python3
"""Times Python cryptography's Fernet encrypt and decrypt, the baseline for FernetBenchmarks.

Prints one JSON object: seconds per operation for each "<operation>_<payload size>", the relative
standard deviation of its runs ("<operation>_<payload size>_rsd", a noise indicator), plus versions.
Each figure is the median of REPEATS timing runs of about REPEAT_SECONDS each (about 10 s in all).
"""
import json
import os
import platform
import statistics
import timeit

import cryptography
from cryptography.fernet import Fernet

PAYLOAD_SIZES = {"64": 64, "1mib": 1024 * 1024}
REPEATS = 7
REPEAT_SECONDS = 0.3


def time_op(func):
    """Returns (median seconds per operation, relative standard deviation of the runs)."""
    timer = timeit.Timer(func)
    # Calibration (at least 0.2 s) doubles as warm-up; then size each run to about REPEAT_SECONDS.
    number, elapsed = timer.autorange()
    number = max(1, round(number * REPEAT_SECONDS / elapsed))
    runs = timer.repeat(repeat=REPEATS, number=number)
    return statistics.median(runs) / number, statistics.stdev(runs) / statistics.mean(runs)


def main():
    fernet = Fernet(Fernet.generate_key())
    results = {
        "python": platform.python_version(),
        "cryptography": cryptography.__version__,
        "repeats": REPEATS,
        "statistic": "median",
    }
    for name, size in PAYLOAD_SIZES.items():
        payload = os.urandom(size)
        token = fernet.encrypt(payload)
        for operation, func in (("encrypt", lambda: fernet.encrypt(payload)), ("decrypt", lambda: fernet.decrypt(token))):
            results[f"{operation}_{name}"], results[f"{operation}_{name}_rsd"] = time_op(func)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
