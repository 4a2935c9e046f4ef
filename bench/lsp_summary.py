#!/usr/bin/env python3
"""Summarises the runs of bench/lsp.sh: medians over the runs, ratios, targets.

usage: bench/lsp_summary.py DIR    (DIR holds run-1.md, run-2.md, ... and machine.txt)

Each run-N.md is the standard output of `cargo bench --bench latency`; its first table
has one row per server and file. Prints Markdown.
"""
import glob
import os
import re
import statistics
import sys

DW, DLS = "dockwise", "docker-langserver"
BIG, SMALL = "go_services(3000)", "GO_60"


def nums(cell):
    return [float(x) for x in re.findall(r"[0-9]+(?:\.[0-9]+)?", cell)]


def parse(path):
    """{(server, file): {...}} and the share of CPU other processes used."""
    rows, other = {}, None
    for line in open(path, encoding="utf-8"):
        m = re.search(r"CPU used by other processes during the run: ([0-9]+) %", line)
        if m:
            other = int(m.group(1))
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 7 or cells[0] not in (DW, DLS):
            continue
        server, _version, file_cell, edit, hover, completion, rss = cells
        fm = re.match(r"(.*) \(([0-9]+) lines\)$", file_cell)
        file, lines = (fm.group(1), int(fm.group(2))) if fm else (file_cell, 0)
        p50, p95, mx = nums(edit)[:3]
        rows[(server, file)] = {
            "lines": lines,
            "p50": p50, "p95": p95, "max": mx,
            "hover50": nums(hover)[0], "hover95": nums(hover)[1],
            "compl50": nums(completion)[0], "compl95": nums(completion)[1],
            "rss": nums(rss)[0],
        }
    return rows, other


def short(file):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return os.path.relpath(file, root) if file.startswith("/") else file


def main():
    d = sys.argv[1]
    paths = sorted(glob.glob(os.path.join(d, "run-*.md")),
                   key=lambda p: int(re.search(r"run-([0-9]+)", p).group(1)))
    runs = [parse(p) for p in paths]
    if not runs:
        sys.exit(f"no run-*.md in {d}")
    machine = open(os.path.join(d, "machine.txt"), encoding="utf-8").read().strip()
    files = []
    for rows, _ in runs:
        for (_, f) in rows:
            if f not in files:
                files.append(f)

    def series(server, file, key):
        return [rows[(server, file)][key] for rows, _ in runs if (server, file) in rows]

    def med(server, file, key):
        s = series(server, file, key)
        return statistics.median(s) if s else float("nan")

    def ratio(a, b):
        return a / b if b else float("nan")

    print(f"### LSP latency: {len(runs)} runs\n")
    print("```\n" + machine + "\n```\n")
    others = [o for _, o in runs if o is not None]
    if others:
        print(f"CPU used by other processes during each run: {', '.join(f'{o} %' for o in others)}.\n")
    print("Edit → publishDiagnostics (ms), peak RSS (MiB): medians over the runs; "
          "ratio = docker-langserver ÷ dockwise.\n")
    print("| file | lines | dockwise p50 / p95 | docker-langserver p50 / p95 | p95 ratio (run 1) | "
          "p95 ratio (medians) | p95 ratio per run (min–max) | RSS dockwise / docker-langserver | RSS ratio (medians) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for f in files:
        lines = (series(DW, f, "lines") or series(DLS, f, "lines") or [0])[0]
        dw50, dw95, dl50, dl95 = med(DW, f, "p50"), med(DW, f, "p95"), med(DLS, f, "p50"), med(DLS, f, "p95")
        per_run = [ratio(rows[(DLS, f)]["p95"], rows[(DW, f)]["p95"])
                   for rows, _ in runs if (DLS, f) in rows and (DW, f) in rows]
        first = f"{per_run[0]:.1f}×" if per_run else "–"
        spread = f"{min(per_run):.1f}–{max(per_run):.1f}×" if per_run else "–"
        rdw, rdl = med(DW, f, "rss"), med(DLS, f, "rss")
        print(f"| {short(f)} | {lines} | {dw50:.2f} / {dw95:.2f} | {dl50:.2f} / {dl95:.2f} | {first} | "
              f"{ratio(dl95, dw95):.1f}× | {spread} | {rdw:.1f} / {rdl:.1f} | {ratio(rdl, rdw):.1f}× |")

    print("\nHover and completion round trips (ms), medians over the runs:\n")
    print("| file | dockwise hover p50 / p95 | docker-langserver hover p50 / p95 | "
          "dockwise completion p50 / p95 | docker-langserver completion p50 / p95 |")
    print("|---|---|---|---|---|")
    for f in files:
        print(f"| {short(f)} | {med(DW, f, 'hover50'):.2f} / {med(DW, f, 'hover95'):.2f} | "
              f"{med(DLS, f, 'hover50'):.2f} / {med(DLS, f, 'hover95'):.2f} | "
              f"{med(DW, f, 'compl50'):.2f} / {med(DW, f, 'compl95'):.2f} | "
              f"{med(DLS, f, 'compl50'):.2f} / {med(DLS, f, 'compl95'):.2f} |")

    print("\nTargets (on the medians):\n")
    if (DLS, BIG) in runs[0][0] or series(DLS, BIG, "p95"):
        r_big = ratio(med(DLS, BIG, "p95"), med(DW, BIG, "p95"))
        r_small = ratio(med(DLS, SMALL, "p95"), med(DW, SMALL, "p95"))
        print(f"- edit → diagnostics p95 on the 3,000-line file ≥ 20× lower than docker-langserver: "
              f"{r_big:.1f}× — {'met' if r_big >= 20 else 'NOT met'}")
        print(f"- edit → diagnostics p95 on the 60-line file lower than docker-langserver: "
              f"{r_small:.1f}× — {'met' if r_small > 1 else 'NOT met'}")
        for f in (BIG, SMALL):
            r = ratio(med(DLS, f, "rss"), med(DW, f, "rss"))
            print(f"- peak RSS ≤ 1/4 of docker-langserver's ({f}): {med(DW, f, 'rss'):.1f} vs "
                  f"{med(DLS, f, 'rss'):.1f} MiB, 1/{r:.1f} — {'met' if r >= 4 else 'NOT met'}")
    else:
        print("- docker-langserver was not measured (run bench/setup.sh).")


if __name__ == "__main__":
    main()
