#!/usr/bin/env python3
"""Runs clang-tidy over files with a result cache shared by every clone (driven by .ci/tidy).

A file's key hashes everything its clang-tidy result depends on: clang-tidy's version, the
.clang-tidy file, the file's compile command(s) with the checkout and build paths replaced by
placeholders (so another clone shares the entry), the file's content, the content of every
project header it includes (from ninja's deps log when the object is newer than the source and
each of its headers, else from the compiler's -M), and the path, size and mtime of every system
header. Only a run that exits 0 with no finding stores its key; a hit skips the file. Findings
are never cached, so a file with findings reruns every time.

Prints findings (file:line: warning: ... [check]) and one summary line; exits 1 on findings or a
clang-tidy failure, 124 when the deadline left files unchecked, else 0.
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
import time

FINDING = re.compile(r"^[^ ].*: (warning|error): .*\[[a-z0-9.,-]+\]$")
TIDY = "clang-tidy-14"
PRUNE_DAYS = 30  # an entry not hit for this long is deleted


def sha(data):
    return hashlib.sha256(data).hexdigest()


class Keys:
    def __init__(self, root, tree):
        self.root, self.tree = os.path.realpath(root), os.path.realpath(tree)
        self.content = {}
        version = subprocess.run([TIDY, "--version"], capture_output=True, check=True).stdout
        with open(os.path.join(self.root, ".clang-tidy"), "rb") as f:
            self.base = sha(b"arbiter-tidy-2\0" + version + b"\0" + f.read())
        self.commands = {}
        for e in json.load(open(os.path.join(self.tree, "compile_commands.json"))):
            path = os.path.realpath(os.path.join(e["directory"], e["file"]))
            self.commands.setdefault(path, []).append(e)

    def normalise(self, text):
        # The build tree first: it usually lies inside the checkout.
        return text.replace(self.tree, "@TREE").replace(self.root, "@ROOT")

    def project(self, path):
        """Name of a project file (checkout or build tree) for the key, or None."""
        for base, tag in ((self.tree, "@TREE"), (self.root, "@ROOT")):
            if path == base or path.startswith(base + os.sep):
                return tag + path[len(base):]
        return None

    def header_entry(self, path):
        name = self.project(path)
        if name is None:
            st = os.stat(path)
            return f"{path} {st.st_size} {st.st_mtime_ns}"
        if path not in self.content:
            with open(path, "rb") as f:
                self.content[path] = sha(f.read())
        return f"{name} {self.content[path]}"

    def ninja_deps(self, objects):
        """{object: [absolute header paths]} from ninja's deps log, for objects it knows."""
        if not objects:
            return {}
        out = subprocess.run(["ninja", "-C", self.tree, "-t", "deps", *objects],
                             capture_output=True, text=True).stdout
        deps, current = {}, None
        for line in out.splitlines():
            if line.startswith("    ") and current is not None:
                deps[current].append(os.path.realpath(os.path.join(self.tree, line.strip())))
            elif ": #deps " in line:
                current = line.split(": #deps ")[0]
                deps[current] = []
            else:
                current = None
        return deps

    def compiler_deps(self, entry):
        """Every header of entry's translation unit, from the compiler's -M (slower)."""
        args = shlex.split(entry["command"])
        kept, skip = [], False
        for a in args:
            if skip:
                skip = False
            elif a == "-o":
                skip = True
            elif a != "-c":
                kept.append(a)
        out = subprocess.run(kept + ["-M", "-MG"], cwd=entry["directory"], capture_output=True,
                             text=True)
        if out.returncode != 0:
            return None
        words = out.stdout.replace("\\\n", " ").split(":", 1)[-1].split()
        return [os.path.realpath(os.path.join(entry["directory"], w)) for w in words]

    def fresh(self, obj, source, headers):
        try:
            built = os.stat(obj).st_mtime_ns
            return all(os.stat(p).st_mtime_ns <= built for p in [source, *headers])
        except OSError:
            return False

    def keys(self, files):
        """{file: key} for files with a compile command; others have no key (never cached)."""
        wanted = {}
        for f in files:
            path = os.path.realpath(f)
            if path in self.commands:
                wanted[f] = (path, self.commands[path])
        objects, headers = {}, {f: set() for f in wanted}
        for f, (path, entries) in wanted.items():
            for e in entries:
                obj = self.object_of(e)
                if obj:
                    objects[os.path.relpath(obj, self.tree)] = (f, e)
                else:
                    headers[f] = None  # no object, no way to know its headers: never cached
        logged = self.ninja_deps(list(objects))
        for obj, (f, e) in objects.items():
            deps = logged.get(obj)
            if not deps or not self.fresh(os.path.join(self.tree, obj), wanted[f][0], deps):
                deps = self.compiler_deps(e)
            if deps is None:
                headers[f] = None
            elif headers[f] is not None:
                headers[f].update(deps)
        self.headers = {f: h for f, h in headers.items() if h is not None}
        return {f: self.key(f, wanted[f][0], wanted[f][1]) for f in self.headers}

    def key(self, f, path, entries):
        parts = [self.base, self.project(path) or path]
        parts += sorted(self.normalise(e["directory"] + "\0" + e["command"]) for e in entries)
        parts += sorted(self.header_entry(h) for h in self.headers[f] | {path} if os.path.exists(h))
        return sha("\n".join(parts).encode())

    def rekey(self, f):
        """f's key from the files as they are now (an edit during the run changes it)."""
        self.content = {}
        path = os.path.realpath(f)
        return self.key(f, path, self.commands[path])

    def object_of(self, entry):
        args = shlex.split(entry["command"])
        if "-o" in args[:-1]:
            return os.path.realpath(os.path.join(entry["directory"], args[args.index("-o") + 1]))
        return None


def cache_path(cache, key):
    return os.path.join(cache, key[:2], key[2:])


def prune(cache):
    cutoff = time.time() - PRUNE_DAYS * 86400
    for sub in os.listdir(cache) if os.path.isdir(cache) else []:
        d = os.path.join(cache, sub)
        for name in os.listdir(d) if os.path.isdir(d) else []:
            p = os.path.join(d, name)
            if os.stat(p).st_mtime < cutoff:
                os.unlink(p)


def remember(cache, key, f):
    p = cache_path(cache, key)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    tmp = f"{p}.{os.getpid()}.tmp"
    with open(tmp, "w") as out:
        out.write(f"clean: {f} {time.strftime('%Y-%m-%dT%H:%M:%S')}\n")
    os.replace(tmp, p)


def header_filter(root):
    """.clang-tidy's HeaderFilterRegex, written relative to the checkout ('^(verifiers|...)/'),
    anchored at this checkout: clang-tidy matches it against absolute paths, where the relative
    form never matches, and the checkout's build tree (generated .pb.h) must stay out."""
    with open(os.path.join(root, ".clang-tidy")) as f:
        m = re.search(r"^HeaderFilterRegex:\s*'\^(.*)'\s*$", f.read(), re.M)
    if not m:
        sys.exit(".clang-tidy: expected HeaderFilterRegex: '^(folders)/' (relative to the checkout)")
    escaped = "".join("\\" + c if c in ".[]()*+?{}|^$\\" else c for c in os.path.realpath(root))
    return "^" + escaped + "/" + m.group(1)


def tidy(tree, f, until, headers):
    """(findings, failure text or None) for f, or None when the deadline stopped it."""
    left = until - time.time()
    if left <= 0:
        return None
    try:
        run = subprocess.run([TIDY, "-p", tree, "--quiet", "--header-filter=" + headers, f],
                             capture_output=True, text=True,
                             timeout=left)
    except subprocess.TimeoutExpired:
        return None
    findings = [l for l in run.stdout.splitlines() if FINDING.match(l)]
    failure = None
    if run.returncode != 0 and not findings:
        failure = f"{f}: clang-tidy exited {run.returncode}: {run.stderr.strip()[-500:]}"
    return findings, failure


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--root", required=True)
    p.add_argument("--tree", required=True)
    p.add_argument("--cache", help="cache directory; none: no cache")
    p.add_argument("--until", type=float, required=True, help="deadline, epoch seconds")
    p.add_argument("--jobs", type=int, default=os.cpu_count())
    p.add_argument("files", nargs="*")
    a = p.parse_args()
    os.chdir(a.root)
    keyer = Keys(a.root, a.tree) if a.cache else None
    keys = keyer.keys(a.files) if keyer else {}
    if a.cache:
        os.makedirs(a.cache, exist_ok=True)
        prune(a.cache)
    todo, hits = [], 0
    for f in a.files:
        key = keys.get(f)
        if key and os.path.exists(cache_path(a.cache, key)):
            os.utime(cache_path(a.cache, key))
            hits += 1
        else:
            todo.append(f)
    findings, failures, checked = set(), [], hits
    with concurrent.futures.ThreadPoolExecutor(max(1, a.jobs)) as pool:
        headers = header_filter(a.root)
        runs = {pool.submit(tidy, a.tree, f, a.until, headers): f for f in todo}
        # Printed as each file finishes (a header's finding once, however many files include it).
        for run in concurrent.futures.as_completed(runs):
            f, r = runs[run], run.result()
            if r is None:
                continue
            checked += 1
            for line in r[0]:
                if line not in findings:
                    print(line, flush=True)
            findings.update(r[0])
            if r[1]:
                print(r[1], flush=True)
                failures.append(r[1])
            elif not r[0] and f in keys and keyer.rekey(f) == keys[f]:
                remember(a.cache, keys[f], f)
    total = len(a.files)
    if checked < total and not findings and not failures:
        print(f"NOT CHECKED (budget): {total - checked} of {total} files")
    print(f"checked {checked} of {total} files ({hits} clean in the cache, "
          f"{len(todo)} run); {len(findings)} findings, {len(failures)} clang-tidy failures")
    if findings or failures:
        return 1
    return 124 if checked < total else 0


if __name__ == "__main__":
    sys.exit(main())
