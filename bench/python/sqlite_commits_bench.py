#!/usr/bin/env python3
"""Raw SQLite durable commits from several processes at once, the baseline for the Runbooks benchmark.

PROCESSES processes open one new database (WAL, synchronous=FULL, busy_timeout 10 s, as CtDatabase.Open sets
them) in a fresh folder under the system temp folder, wait for each other, then each commits COMMITS rows of the
audit log's shape, one row per BEGIN IMMEDIATE ... COMMIT. The time runs from the moment all are ready until the
last has finished. Prints one JSON object: seconds, commits per second, failures, versions.
Usage: sqlite_commits_bench.py [PROCESSES] [COMMITS]
"""
import json
import multiprocessing
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time

SCHEMA = (
    "CREATE TABLE audit_log (sequence INTEGER PRIMARY KEY, timestamp TEXT NOT NULL, event_type TEXT NOT NULL, "
    "user_id TEXT NOT NULL, details TEXT NOT NULL, exchange TEXT, key_id TEXT NOT NULL, prev_mac TEXT NOT NULL, mac TEXT NOT NULL)"
)
DETAILS = ('{"exchange":"paper","name":"default","symbol":"BTC-USD","side":"Buy","type":"market","quantity":0.0001,'
           '"limit_price":null,"client_order_id":"%s"}')


def connect(path):
    connection = sqlite3.connect(path, timeout=10, isolation_level=None)
    connection.execute("PRAGMA busy_timeout = 10000")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    return connection


def writer(path, commits, barrier, failures):
    connection = connect(path)
    barrier.wait()
    failed = 0
    for i in range(commits):
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(
                "INSERT INTO audit_log (timestamp, event_type, user_id, details, exchange, key_id, prev_mac, mac) "
                "VALUES (?, 'TRADE_EXECUTED', 'bench', ?, 'paper', 'k0123456789abcdef', ?, ?)",
                (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), DETAILS % f"{os.getpid()}-{i}", "a" * 64, "b" * 64))
            connection.execute("COMMIT")
        except sqlite3.Error:
            failed += 1
            if connection.in_transaction:
                connection.execute("ROLLBACK")
    connection.close()
    failures.put(failed)


def main():
    processes = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    commits = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    folder = tempfile.mkdtemp(prefix="ct-bench-sqlite-")
    try:
        path = os.path.join(folder, "raw.db")
        setup = connect(path)
        setup.execute(SCHEMA)
        setup.close()
        barrier = multiprocessing.Barrier(processes + 1)
        failures = multiprocessing.Queue()
        workers = [multiprocessing.Process(target=writer, args=(path, commits, barrier, failures)) for _ in range(processes)]
        for worker in workers:
            worker.start()
        barrier.wait()
        start = time.perf_counter()
        failed = sum(failures.get() for _ in workers)
        seconds = time.perf_counter() - start
        for worker in workers:
            worker.join()
        check = sqlite3.connect(path)
        rows = check.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        check.close()
        print(json.dumps({
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "processes": processes,
            "commits": processes * commits,
            "rows": rows,
            "failures": failed,
            "seconds": seconds,
            "commits_per_second": (processes * commits - failed) / seconds,
        }))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
