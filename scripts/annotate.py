#!/usr/bin/env python3
"""Writes dockwise's current findings into a fixture as annotation comments.

usage: scripts/annotate.py FILE...   (rewrites each FILE in place)

Existing annotation lines are removed first. Review the result by hand before
committing: the annotations are the test's expectations, not a record of output.

Like server/tests/fixtures.rs, a fixture X.Dockerfile is checked with the build context
X.context/ when that directory exists, and with no context otherwise (the text goes
through standard input, so the fixture's own folder is not taken as the context).
"""
import json, re, subprocess, sys, os

ANN = re.compile(r"^#( *)\^+ \w+\[[A-Z]+\d+\]: ")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "debug", "dockwise")

def main():
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8", newline="") as f:
            lines = [l for l in f.read().split("\n")]
        lines = [l for l in lines if not ANN.match(l)]
        text = "\n".join(lines)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        cmd = [BIN, "check", "--format", "json", "--lang", "en", "--fail-level", "none",
               "--stdin-filename", "Dockerfile"]
        if path.endswith(".Dockerfile"):
            ctx = path[: -len(".Dockerfile")] + ".context"
            if os.path.isdir(ctx):
                cmd += ["--context", ctx]
        out = subprocess.run(cmd + ["-"], input=text, capture_output=True, text=True)
        doc = json.loads(out.stdout)
        by_line = {}
        for d in doc["diagnostics"]:
            s, e = d["range"]["start"], d["range"]["end"]
            line = s["line"] - 1
            start = s["column"] - 1
            src = lines[line].rstrip("\r")
            end = e["column"] - 1 if e["line"] == s["line"] else len(src)
            end = max(end, start + 1)
            if start == 1:
                raise SystemExit(f"{path}:{line+1}: a range at column 1 cannot be annotated")
            prefix = "#" if start == 0 else "#" + " " * (start - 1)
            by_line.setdefault(line, []).append(
                f"{prefix}{'^' * (end - start)} {d['severity']}[{d['code']}]: {d['message']}")
        result = []
        for i, l in enumerate(lines):
            result.append(l)
            result.extend(by_line.get(i, []))
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write("\n".join(result))

if __name__ == "__main__":
    main()
