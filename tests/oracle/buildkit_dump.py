#!/usr/bin/env python3
r"""Parsing oracle: dump BuildKit's own Dockerfile parse of each given file as JSON.

Usage:
    python3 tests/oracle/buildkit_dump.py FILE...

Needs the PyPI package `dockerfile` (3.4.0 wraps BuildKit v0.12.5's
frontend/dockerfile/parser): `pip install dockerfile==3.4.0`. Without it the
script prints a message to stderr and exits 3, so callers can skip.

Prints ONE JSON object to stdout, keyed by each path exactly as given:

    {"PATH": {"ok": [INSTR, ...]}                       # parsed
     "PATH": {"error": "message"}                       # BuildKit refused it / unreadable
     ...}

with INSTR =
    {"cmd": "run",            # keyword, lowercased here (raw case is in "original")
     "start_line": 3,         # 1-based
     "end_line": 5,           # 1-based, inclusive (covers continuation/heredoc lines)
     "flags": ["--mount=type=cache,target=/x"],   # raw "--name=value" strings, quotes removed
     "json": false,           # true for the JSON (exec) form
     "value": ["echo hi"],    # argument nodes, layout below
     "heredocs": [{"name": "EOF", "content": "body\n"}],
     "sub_cmd": null,         # ONBUILD only: the inner keyword, lowercased
     "original": "RUN echo hi"}

"value" per keyword (BuildKit's AST, not the later instruction parsing):
    RUN/CMD/ENTRYPOINT/SHELL  shell form: [rest of line]; JSON form: the strings
    ADD/COPY/VOLUME           JSON form: the strings; else whitespace-split words
    FROM/EXPOSE               whitespace-split words ("AS" kept, case as written)
    ENV/LABEL                 [k1, v1, k2, v2, ...]; quotes/escapes kept raw
    ARG                       words as written ("A=1", "B")
    HEALTHCHECK               [TYPE, ...] e.g. ["NONE"], ["CMD", "curl x"]
    MAINTAINER/USER/WORKDIR/STOPSIGNAL  [rest of line]
    ONBUILD                   the inner instruction's value (sub_cmd names it)
    unknown keyword           [""]
    keyword with no args      []

A per-file object may also carry "notes": [str, ...] when the input had to be
altered before parsing (invalid UTF-8 or NUL bytes, which the binding cannot
pass through), so the result may differ from BuildKit's on those bytes.

A bad file never stops the run: errors are caught per file, and the parsing is
done in a child process so that even a crash inside the Go extension only
costs the file being parsed (it gets an "error" entry and the rest go on).
Exit status: 0 whenever the JSON was printed; 2 on bad usage; 3 if the
`dockerfile` package is missing.
"""

import json
import os
import subprocess
import sys

EXIT_USAGE = 2
EXIT_NO_ORACLE = 3


def _decode(raw):
    """Bytes -> text the binding can take safely, plus notes on what changed.

    The binding hands the text to Go as a C string (so NUL truncates it) and
    crashes the whole process on lone surrogates (so no surrogateescape);
    invalid bytes become U+FFFD instead, which keeps every line boundary.
    """
    notes = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="replace")
        notes.append("invalid UTF-8 bytes were replaced by U+FFFD before parsing")
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
        notes.append("NUL bytes were replaced by U+FFFD before parsing")
    return text, notes


def _lower(s):
    return s.lower() if s else None


def _instr(c):
    return {
        "cmd": (c.cmd or "").lower(),
        "start_line": int(c.start_line),
        "end_line": int(c.end_line),
        "flags": list(c.flags),
        "json": bool(c.json),
        "value": list(c.value),
        "heredocs": [{"name": h.name, "content": h.content} for h in c.heredocs],
        "sub_cmd": _lower(c.sub_cmd),
        "original": c.original,
    }


def _parse_one(dockerfile, path):
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        return {"error": "cannot read file: %s" % (e.strerror or e)}
    text, notes = _decode(raw)
    try:
        result = {"ok": [_instr(c) for c in dockerfile.parse_string(text)]}
    except dockerfile.GoParseError as e:
        result = {"error": str(e)}
    except Exception as e:  # anything else the binding raises
        result = {"error": "%s: %s" % (type(e).__name__, e)}
    if notes:
        result["notes"] = notes
    return result


def _worker(paths):
    """Child mode: one JSON line [index, result] per file, flushed as it goes."""
    import dockerfile  # noqa: deferred so the parent can report a missing package

    out = sys.stdout
    for i, path in enumerate(paths):
        out.write(json.dumps([i, _parse_one(dockerfile, path)]) + "\n")
        out.flush()
    return 0


def _run_worker(paths, start):
    """Parse paths[start:] in one child; returns (results by index, exit code)."""
    args = [sys.executable, os.path.abspath(__file__), "--worker", "--"]
    args += [os.fsdecode(p) for p in paths[start:]]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
    got = {}
    for line in proc.stdout:
        try:
            i, result = json.loads(line)
        except ValueError:
            continue
        got[start + i] = result
    proc.stdout.close()
    return got, proc.wait()


def main(argv):
    if argv[:1] == ["--worker"]:
        rest = argv[1:]
        if rest[:1] == ["--"]:
            rest = rest[1:]
        return _worker(rest)

    paths = argv[1:] if argv[:1] == ["--"] else argv
    if not paths or any(p in ("-h", "--help") for p in paths):
        sys.stderr.write(__doc__)
        return EXIT_USAGE
    try:
        import dockerfile  # noqa: F401
    except ImportError:
        sys.stderr.write(
            "buildkit_dump: the PyPI package 'dockerfile' is not installed "
            "(pip install dockerfile==3.4.0)\n"
        )
        return EXIT_NO_ORACLE

    results = {}
    start = 0
    while start < len(paths):
        got, code = _run_worker(paths, start)
        results.update(got)
        # Everything the child answered is done; the first file it did not
        # answer is the one it died on (if it died at all).
        while start in results:
            start += 1
        if start < len(paths):
            results[start] = {
                "error": "oracle process crashed on this file (exit status %d)" % code
            }
            start += 1

    combined = {}
    for i, path in enumerate(paths):
        combined[path] = results[i]
    try:
        text = json.dumps(combined, ensure_ascii=False, indent=1)
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # e.g. a path that is not valid UTF-8
        data = json.dumps(combined, ensure_ascii=True, indent=1).encode("ascii")
    sys.stdout.buffer.write(data + b"\n")
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
