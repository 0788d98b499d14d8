#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal and answers its prompts, so PowerShell sees an interactive console.

Usage: answer-prompts.py PROMPT=ANSWER [PROMPT=ANSWER ...] -- COMMAND [ARG ...]

Each pair is answered in order: once the text PROMPT has appeared in the output (after the previous answer) and the
command has turned the terminal's echo off (it is reading a secret), ANSWER and Enter are typed. Like a terminal, it
answers each cursor position query (ESC [6n, which .NET sends while it reads keys). Everything the command printed
is written to stdout. Exits with the command's exit code, or 124 when a prompt does not appear within 120 seconds or
the command does not end then.
"""
import os
import pty
import select
import sys
import termios
import time

TIMEOUT_SECONDS = 120
CURSOR_POSITION_QUERY = b"\x1b[6n"
CURSOR_POSITION_REPLY = b"\x1b[1;1R"


def echo_is_on(fd):
    return bool(termios.tcgetattr(fd)[3] & termios.ECHO)


def main(argv):
    split = argv.index("--")
    answers = [pair.split("=", 1) for pair in argv[:split]]
    command = argv[split + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)
    output = b""
    seen = 0
    queries_answered = 0
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
            queries = output.count(CURSOR_POSITION_QUERY)
            for _ in range(queries - queries_answered):
                os.write(fd, CURSOR_POSITION_REPLY)
            queries_answered = queries
        if answers:
            prompt, answer = answers[0]
            found = output.find(prompt.encode(), seen)
            if found >= 0 and not echo_is_on(fd):
                seen = found + len(prompt)
                os.write(fd, answer.encode() + b"\r")
                answers.pop(0)
    sys.stdout.write(output.decode(errors="replace"))
    # The terminal closes as the command exits; give it until the deadline to finish.
    while True:
        finished, status = os.waitpid(pid, os.WNOHANG)
        if finished:
            return 124 if answers else os.waitstatus_to_exitcode(status)
        if time.monotonic() >= deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            return 124
        time.sleep(0.05)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
