#!/usr/bin/env python3
"""Times `dockwise check` against hadolint and tally on real Dockerfiles.

usage: bench/cli.py [--runs N] [--corpus DIR] [--timeout S] [--out DIR]

Two measurements, each repeated N times (default 5; the tools take turns within each
repetition, so a burst of load hits all of them) and reduced to the median:

  per file     one process per file and tool, for every corpus file and the 60-line Go
               Dockerfile of server/benches/synthetic.rs (GO_60);
  whole corpus one process per tool given every file at once (all three accept many
               paths), on the files all three tools can process.

Commands (JSON output so that the findings can be counted: a tool that printed nothing
did not do the work):

  dockwise check --format json --fail-level none --no-config FILES...
  hadolint --no-fail -f json FILES...
  tally lint --format json --fail-level none --no-config --slow-checks off FILES...

`--slow-checks off`: tally's slow checks query image registries over the network; they
are skipped on a machine without access anyway, after a wait. The tally binary is called
directly, not through the Python wrapper pip installs (bench/setup.sh).

Tools: $DOCKWISE, else target/dist/dockwise (the shipped build: scripts/release.sh,
which bench/setup.sh runs), else target/release/dockwise, else `dockwise` on PATH; hadolint and
tally from bench/.peers (bench/setup.sh), else PATH. Wall time is measured around each
process; CPU time (user + system) and peak RSS come from wait4(2), so a loaded machine
shows in the wall times more than in the CPU times.

Prints a Markdown report; the raw timings go to DIR/results.json (default
bench/out/cli-<time>/).
"""
import argparse
import glob
import json
import os
import re
import statistics
import subprocess
import sys
import signal
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.path.join(ROOT, "bench", ".peers")


def which(name):
    for d in os.environ.get("PATH", "").split(os.pathsep):
        p = os.path.join(d, name)
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return None


def find_dockwise():
    for p in (os.environ.get("DOCKWISE"), os.path.join(ROOT, "target", "dist", "dockwise"),
              os.path.join(ROOT, "target", "release", "dockwise")):
        if p and os.path.isfile(p):
            return p
    return which("dockwise")


def find_hadolint():
    p = os.path.join(PEERS, "venv", "bin", "hadolint")
    return p if os.path.isfile(p) else which("hadolint")


def find_tally():
    """The native tally binary inside the tally-cli wheel, not its Python wrapper."""
    hits = glob.glob(os.path.join(PEERS, "venv", "lib", "python*", "site-packages",
                                  "tally_cli", "bin", "tally-*", "tally"))
    if hits:
        return hits[0]
    wrapper = which("tally")
    if wrapper:
        # pip's wrapper script: look for the binary beside the tally_cli package it imports.
        try:
            out = subprocess.run([sys.executable, "-c",
                                  "import tally_cli, os; print(os.path.dirname(tally_cli.__file__))"],
                                 capture_output=True, text=True, check=True).stdout.strip()
            hits = glob.glob(os.path.join(out, "bin", "tally-*", "tally"))
            if hits:
                return hits[0]
        except (subprocess.CalledProcessError, OSError):
            pass
    return wrapper


def version(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, subprocess.TimeoutExpired, IndexError):
        return "?"


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def run(cmd, timeout):
    """Runs cmd; returns (wall s, cpu s, peak RSS KiB, exit code, stdout, stderr);
    exit code None on timeout.

    The clock runs from just before posix_spawn to the child's exit as wait4 reports it,
    with nothing else of ours in between: output goes to temporary files (no reader
    threads), and the timeout is a SIGALRM (no timer thread). Threads started around the
    child would be counted in its wall time, which matters for a tool that is done in a
    millisecond and not for one that takes 30 ms. posix_spawn also keeps Python's own
    pre-exec work out of the child's CPU time."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                   (os.POSIX_SPAWN_DUP2, out.fileno(), 1),
                   (os.POSIX_SPAWN_DUP2, err.fileno(), 2)]
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        pid = None
        timed_out = False
        try:
            t0 = time.perf_counter()
            pid = os.posix_spawn(cmd[0], cmd, os.environ, file_actions=actions)
            _, status, ru = os.wait4(pid, 0)
            wall = time.perf_counter() - t0
        except _Timeout:
            timed_out = True
            os.kill(pid, signal.SIGKILL)
            _, status, ru = os.wait4(pid, 0)
            wall = time.perf_counter() - t0
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
        code = None if timed_out else os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, code, out.read(), err.read())


# How each tool is called and how its findings are counted: count(stdout) returns
# (findings, files the output covers) or raises on output that is not the tool's JSON.
def dockwise_cmd(exe, files):
    return [exe, "check", "--format", "json", "--fail-level", "none", "--no-config", *files]


def dockwise_count(out):
    d = json.loads(out)
    return len(d["diagnostics"]), len(d["files"])


def hadolint_cmd(exe, files):
    return [exe, "--no-fail", "-f", "json", *files]


def hadolint_count(out):
    d = json.loads(out)
    return len(d), len({x["file"] for x in d})


def tally_cmd(exe, files):
    return [exe, "lint", "--format", "json", "--fail-level", "none", "--no-config",
            "--slow-checks", "off", *files]


def tally_count(out):
    d = json.loads(out)
    return d["summary"]["total"], d["files_scanned"]


def go60(path):
    """GO_60 from server/benches/synthetic.rs, written to path."""
    src = open(os.path.join(ROOT, "server", "benches", "synthetic.rs"), encoding="utf-8").read()
    m = re.search(r'pub const GO_60: &str = r#"(.*?)"#;', src, re.S)
    if not m:
        sys.exit("cli.py: GO_60 not found in server/benches/synthetic.rs")
    with open(path, "w", encoding="utf-8") as f:
        f.write(m.group(1))
    return path


def default_corpus():
    shared = os.environ.get("DOCKWISE_SHARED") or os.path.join(os.path.dirname(ROOT), "shared")
    return os.path.join(shared, "corpus", "real")


def load():
    return " ".join(open("/proc/loadavg").read().split()[:3])


def cpu_model():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--corpus", default=default_corpus())
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per process")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "out",
                                                  time.strftime("cli-%Y%m%dT%H%M%SZ", time.gmtime())))
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    os.chdir(ROOT)  # every tool runs from the repository root (paths below are absolute)

    tools = []
    for name, exe, cmd, count, ver in (
        ("dockwise", find_dockwise(), dockwise_cmd, dockwise_count, ["--version"]),
        ("hadolint", find_hadolint(), hadolint_cmd, hadolint_count, ["--version"]),
        ("tally", find_tally(), tally_cmd, tally_count, ["version"]),
    ):
        if not exe:
            print(f"cli.py: {name} not found (run bench/setup.sh); skipped", file=sys.stderr)
            continue
        tools.append({"name": name, "exe": exe, "cmd": cmd, "count": count,
                      "version": version([exe, *ver])})
    if not tools or tools[0]["name"] != "dockwise":
        sys.exit("cli.py: dockwise not found (set DOCKWISE or run scripts/release.sh)")

    corpus = sorted(glob.glob(os.path.join(a.corpus, "*Dockerfile*")))
    corpus = [f for f in corpus if os.path.isfile(f) and not f.endswith((".md", ".tsv"))]
    if not corpus:
        sys.exit(f"cli.py: no Dockerfiles in {a.corpus}")
    g60 = go60(os.path.join(a.out, "GO_60.Dockerfile"))
    files = [g60] + corpus
    label = {f: ("GO_60 (60-line Go Dockerfile)" if f == g60 else os.path.basename(f)) for f in files}
    lines = {f: sum(1 for _ in open(f, "rb")) for f in files}

    report = [f"### `dockwise check` vs hadolint and tally: {a.runs} runs, medians\n",
              f"- machine: nproc {os.cpu_count()}, CPU {cpu_model()}; load average at start {load()}",
              f"- files: {len(corpus)} corpus files ({sum(lines[f] for f in corpus)} lines, {a.corpus}) "
              f"+ GO_60 ({lines[g60]} lines)"]
    for t in tools:
        report.append(f"- {t['name']}: `{t['exe']}` ({t['version']}): "
                      f"`{' '.join(os.path.basename(x) if i == 0 else x for i, x in enumerate(t['cmd'](t['exe'], ['FILES...'])))}`")
    print("\n".join(report), flush=True)

    # Per file.
    per = {t["name"]: {f: [] for f in files} for t in tools}
    findings = {t["name"]: {} for t in tools}
    failures = {t["name"]: {} for t in tools}
    t_start = time.time()
    for r in range(a.runs):
        for f in files:
            order = tools[r % len(tools):] + tools[:r % len(tools)]
            for t in order:
                wall, cpu, rss, code, out, err = run(t["cmd"](t["exe"], [f]), a.timeout)
                ok = code is not None and code == 0
                try:
                    n, covered = t["count"](out)
                except (ValueError, KeyError, TypeError):
                    n, covered, ok = None, 0, False
                if ok:
                    per[t["name"]][f].append((wall, cpu, rss))
                    findings[t["name"]][f] = n
                else:
                    why = "timed out" if code is None else f"exit {code}: " + err.decode(errors="replace").strip()[:160]
                    failures[t["name"]][f] = why
        print(f"cli.py: per-file run {r + 1}/{a.runs} done ({time.time() - t_start:.0f} s, load {load()})",
              file=sys.stderr, flush=True)

    def med(samples, k):
        return statistics.median(s[k] for s in samples) if samples else float("nan")

    dw = "dockwise"
    names = [t["name"] for t in tools]
    rows = []
    for f in files:
        row = {"file": label[f], "lines": lines[f]}
        for n in names:
            s = per[n][f]
            row[n] = {"wall_ms": med(s, 0) * 1e3, "cpu_ms": med(s, 1) * 1e3,
                      "rss_mib": med(s, 2) / 1024, "findings": findings[n].get(f),
                      "failed": failures[n].get(f),
                      "runs_wall_ms": [x[0] * 1e3 for x in s]}
        rows.append(row)

    def ratios(n, key="wall_ms"):
        out = []
        for row in rows:
            if row[n]["failed"] or row[dw]["failed"] or row[n]["findings"] is None:
                continue
            out.append(row[n][key] / row[dw][key])
        return out

    def geomean(xs):
        return statistics.geometric_mean(xs) if xs else float("nan")

    lines_out = ["", "#### Per file (one process per file; median of the runs)", ""]
    hdr = "| file | lines | " + " | ".join(f"{n} wall ms (findings)" for n in names)
    hdr += " | " + " | ".join(f"{n} ÷ dockwise" for n in names if n != dw) + " |"
    lines_out += [hdr, "|" + "---|" * (2 + len(names) + len(names) - 1)]
    for row in rows:
        cells = []
        for n in names:
            c = row[n]
            if c["failed"] and c["findings"] is None:
                cells.append(f"failed ({c['failed'][:60]})")
            else:
                cells.append(f"{c['wall_ms']:.1f} ({c['findings']})")
        rs = []
        for n in names:
            if n == dw:
                continue
            if row[n]["failed"] or row[n]["findings"] is None:
                rs.append("–")
            else:
                rs.append(f"{row[n]['wall_ms'] / row[dw]['wall_ms']:.0f}×")
        lines_out.append(f"| {row['file']} | {row['lines']} | " + " | ".join(cells) + " | " + " | ".join(rs) + " |")

    lines_out += ["", "#### Per file, summary", "",
                  "| tool | files processed | sum of per-file medians (s) | median wall per file (ms) | "
                  "median CPU per file (ms) | median peak RSS (MiB) | ÷ dockwise, median over files (wall) | "
                  "min–max | geometric mean | ÷ dockwise, median (CPU) | ÷ dockwise, run 1 only (wall, median over files) |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
    for n in names:
        ok = [row for row in rows if not row[n]["failed"] and row[n]["findings"] is not None]
        tot = sum(r[n]["wall_ms"] for r in ok) / 1e3
        mw = statistics.median(r[n]["wall_ms"] for r in ok) if ok else float("nan")
        mc = statistics.median(r[n]["cpu_ms"] for r in ok) if ok else float("nan")
        mr = statistics.median(r[n]["rss_mib"] for r in ok) if ok else float("nan")
        if n == dw:
            extra = "– | – | – | – | –"
        else:
            rw, rc = ratios(n), ratios(n, "cpu_ms")
            r1 = [r[n]["runs_wall_ms"][0] / r[dw]["runs_wall_ms"][0] for r in ok
                  if r[n]["runs_wall_ms"] and r[dw]["runs_wall_ms"]]
            extra = (f"{statistics.median(rw):.0f}× | {min(rw):.0f}–{max(rw):.0f}× | {geomean(rw):.0f}× | "
                     f"{statistics.median(rc):.0f}× | {statistics.median(r1):.0f}×") if rw else "– | – | – | – | –"
        lines_out.append(f"| {n} | {len(ok)}/{len(rows)} | {tot:.2f} | {mw:.1f} | {mc:.1f} | {mr:.1f} | {extra} |")
    g = rows[0]
    lines_out.append("")
    lines_out.append("GO_60 alone: " + ", ".join(
        f"{n} {g[n]['wall_ms']:.1f} ms" + (f" ({g[n]['wall_ms'] / g[dw]['wall_ms']:.0f}× dockwise)" if n != dw else "")
        for n in names if not g[n]["failed"]) + ".")
    for n in names:
        if failures[n]:
            lines_out.append(f"\n{n} failed on {len(failures[n])} file(s): " + "; ".join(
                f"{label[f]}: {why}" for f, why in failures[n].items()))
    print("\n".join(lines_out), flush=True)
    report += lines_out

    # Whole corpus, one process per tool, on the files every tool processed.
    common = [f for f in corpus if all(f not in failures[n] for n in names)]
    whole = {n: [] for n in names}
    whole_findings = {}
    for r in range(a.runs):
        order = tools[r % len(tools):] + tools[:r % len(tools)]
        for t in order:
            wall, cpu, rss, code, out, err = run(t["cmd"](t["exe"], common), a.timeout * 5)
            try:
                n, covered = t["count"](out)
            except (ValueError, KeyError, TypeError):
                n, covered = None, 0
            if code != 0 or n is None:
                sys.exit(f"cli.py: {t['name']} failed on the whole corpus (exit {code}): "
                         f"{err.decode(errors='replace')[:300]}")
            whole[t["name"]].append((wall, cpu, rss))
            whole_findings[t["name"]] = (n, covered)
    lines_out = ["", f"#### Whole corpus in one process ({len(common)} files that all tools process; "
                 f"median of {a.runs} runs)", "",
                 "| tool | wall (s) | CPU (s) | peak RSS (MiB) | findings | files in the output | "
                 "wall ÷ dockwise | CPU ÷ dockwise | wall ÷ dockwise, run 1 |", "|---|---|---|---|---|---|---|---|---|"]
    for n in names:
        w, c, m = med(whole[n], 0), med(whole[n], 1), med(whole[n], 2) / 1024
        fn, cov = whole_findings[n]
        rw = "–" if n == dw else f"{w / med(whole[dw], 0):.1f}×"
        rc = "–" if n == dw else f"{c / med(whole[dw], 1):.1f}×"
        r1 = "–" if n == dw else f"{whole[n][0][0] / whole[dw][0][0]:.1f}×"
        lines_out.append(f"| {n} | {w:.3f} | {c:.3f} | {m:.1f} | {fn} | {cov} | {rw} | {rc} | {r1} |")
    lines_out.append("")
    lines_out.append("(hadolint's JSON lists findings only, so a file without findings is not in its "
                     "output; dockwise and tally list every file they checked.)")
    lines_out.append(f"\nLoad average at the end: {load()}.")
    print("\n".join(lines_out), flush=True)
    report += lines_out

    with open(os.path.join(a.out, "report.md"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(report) + "\n")
    with open(os.path.join(a.out, "results.json"), "w", encoding="utf-8") as fh:
        json.dump({"per_file": rows, "whole_corpus": {n: whole[n] for n in names},
                   "whole_files": [os.path.basename(f) for f in common],
                   "failures": {n: {label[f]: w for f, w in failures[n].items()} for n in names}},
                  fh, indent=1)
    print(f"\n(raw timings: {os.path.relpath(a.out, ROOT)}/results.json)", file=sys.stderr)


if __name__ == "__main__":
    main()
