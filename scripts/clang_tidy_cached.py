#!/usr/bin/env python3
"""clang-tidy over the given sources, skipping a source whose exact input already passed.

A pass is remembered under the SHA-256 of the file's preprocessed text (its own code and every
header it includes, without line markers, so the checkout's path does not matter), the
.clang-tidy configuration, the clang-tidy version and the extra arguments. Any change to any of
those runs clang-tidy again; a finding is never remembered. The cache lives in
$XDG_CACHE_HOME/rampart-clang-tidy (default ~/.cache), so a fresh clone on the same machine
checks only what differs from code that was already checked.

Usage: clang_tidy_cached.py BUILD_DIR JOBS FILE...   (exit 1 when any file has findings)
"""

import concurrent.futures
import hashlib
import json
import os
import shlex
import subprocess
import sys

EXTRA_ARGS = ["--quiet", "--extra-arg=-Wno-unknown-warning-option"]


def preprocess_command(entry):
    """The compile command turned into 'print the preprocessed source without line markers'."""
    args = shlex.split(entry["command"]) if "command" in entry else list(entry["arguments"])
    out = []
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg == "-o":
            skip = True
            continue
        if arg == "-c":
            continue
        out.append(arg)
    return out + ["-E", "-P"]


def main():
    build, jobs, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    cache = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")),
                         "rampart-clang-tidy")
    os.makedirs(cache, exist_ok=True)
    with open(os.path.join(build, "compile_commands.json"), encoding="utf-8") as f:
        commands = {os.path.realpath(e["file"]): e for e in json.load(f)}
    with open(os.path.join(root, ".clang-tidy"), "rb") as f:
        config = f.read()
    version = subprocess.run(["clang-tidy", "--version"], capture_output=True, check=True).stdout

    def check(name):
        path = os.path.realpath(os.path.join(root, name))
        entry = commands.get(path)
        if entry is None:
            return name, 1, f"{name}: not in {build}/compile_commands.json\n", False
        pre = subprocess.run(preprocess_command(entry), cwd=entry["directory"],
                             capture_output=True, check=False)
        key = None
        if pre.returncode == 0:
            digest = hashlib.sha256()
            for part in (config, version, " ".join(EXTRA_ARGS).encode(), name.encode(),
                         pre.stdout):
                digest.update(len(part).to_bytes(8, "little"))
                digest.update(part)
            key = os.path.join(cache, digest.hexdigest())
            if os.path.exists(key):
                return name, 0, "", True
        tidy = subprocess.run(["clang-tidy", "-p", build, *EXTRA_ARGS, path],
                              capture_output=True, text=True, check=False)
        report = tidy.stdout + "".join(
            line + "\n" for line in tidy.stderr.splitlines() if "warnings generated" not in line)
        if tidy.returncode == 0 and key is not None:
            with open(key, "w", encoding="utf-8") as marker:
                marker.write(name + "\n")
        return name, tidy.returncode, report, False

    failed = 0
    remembered = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for name, code, report, hit in pool.map(check, files):
            remembered += hit
            if report.strip():
                sys.stdout.write(report)
            if code != 0:
                failed += 1
                print(f"clang-tidy: findings in {name}")
    print(f"clang-tidy: {len(files)} files, {remembered} unchanged since they last passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
