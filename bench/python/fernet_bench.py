#!/usr/bin/env python3
"""Times Python cryptography's Fernet encrypt and decrypt, the baseline for FernetBenchmarks.

Prints one JSON object: seconds per operation for each "<operation>_<payload size>" plus versions.
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


def seconds_per_op(func):
    timer = timeit.Timer(func)
    # Calibration (at least 0.2 s) doubles as warm-up; then size each run to about REPEAT_SECONDS.
    number, elapsed = timer.autorange()
    number = max(1, round(number * REPEAT_SECONDS / elapsed))
    runs = timer.repeat(repeat=REPEATS, number=number)
    return statistics.median(runs) / number


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
        results[f"encrypt_{name}"] = seconds_per_op(lambda: fernet.encrypt(payload))
        results[f"decrypt_{name}"] = seconds_per_op(lambda: fernet.decrypt(token))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
