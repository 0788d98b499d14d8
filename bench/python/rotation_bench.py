#!/usr/bin/env python3
"""Times Python cryptography's MultiFernet.rotate over 10,000 credential tokens, the baseline for RotationBenchmarks.

The tokens are made with one Fernet key from the payload CryptoTrader stores for a credential (CredentialPayload:
compact JSON with v, exchange, name, api_key and secret; a Coinbase CDP key name and a 227-byte EC PEM secret),
then each run rotates all of them with MultiFernet([new, old]) into a new list. Only the rotation is timed; the
rotated tokens are kept in memory (no storage). Prints one JSON object: seconds per rotation of all tokens
("rotate_10k", median of REPEATS runs), the relative standard deviation of the runs, the token size and versions.
"""
import base64
import json
import platform
import statistics
import time

import cryptography
from cryptography.fernet import Fernet, MultiFernet

CREDENTIALS = 10_000
REPEATS = 5
API_KEY_PREFIX = "organizations/8f2c1a4e-5b7d-4c9e-a1f3-6d2e8b0c9a71/apiKeys/"


def secret():
    # The shape of `openssl ecparam -name prime256v1 -genkey`: 121 bytes of SEC1 DER in three base64 lines.
    # The same deterministic bytes as RotationBenchmarks.MakeSecret, so both sides encrypt the same payload size.
    body = base64.b64encode(bytes((i * 37 + 11) % 256 for i in range(121))).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN EC PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END EC PRIVATE KEY-----\n"


def payload(i, pem):
    api_key = f"{API_KEY_PREFIX}{i:08x}-4d3c-4b2a-9e8f-7a6b5c4d3e2f"
    document = {"v": 1, "exchange": "coinbase", "name": f"bench-{i:05d}", "api_key": api_key, "secret": pem}
    # System.Text.Json's default encoder, as CredentialPayload uses, also escapes '+' (the base64 in the PEM).
    return json.dumps(document, separators=(",", ":")).replace("+", "\\u002B").encode()


def main():
    pem = secret()
    old = Fernet(Fernet.generate_key())
    tokens = [old.encrypt(payload(i, pem)) for i in range(CREDENTIALS)]
    runs = []
    for _ in range(REPEATS + 1):  # the first run is a warm-up
        multi = MultiFernet([Fernet(Fernet.generate_key()), old])
        start = time.perf_counter()
        rotated = [multi.rotate(token) for token in tokens]
        runs.append(time.perf_counter() - start)
        assert len(rotated) == CREDENTIALS
    runs = runs[1:]
    print(json.dumps({
        "python": platform.python_version(),
        "cryptography": cryptography.__version__,
        "credentials": CREDENTIALS,
        "repeats": REPEATS,
        "statistic": "median",
        "payload_bytes": len(payload(0, pem)),
        "token_chars": len(tokens[0]),
        "rotate_10k": statistics.median(runs),
        "rotate_10k_rsd": statistics.stdev(runs) / statistics.mean(runs),
    }, indent=2))


if __name__ == "__main__":
    main()
