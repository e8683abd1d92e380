"""`make bench`: the cold-start budget here, then the fan-out and cost benches (bench/fanout.py,
bench/cost.py, each in its own interpreter with its default sizes; `--only` picks some).

Cold-start budget (DESIGN.md): `import app` costs at most 1.3x a bare `import boto3` in the
same interpreter, and the Lambda package stays under 1 MB zipped.

Like a Lambda cold start: the package is built as scripts/deploy.sh builds it (`chalice
package` with PIP_NO_DEPS=1, from a scratch copy of the project), checked by
scripts/package_check.py and unpacked; each import is then timed in a fresh interpreter (this
one's Python) with the unpacked package first on sys.path and boto3 from site-packages, where
the Lambda runtime keeps it too. Nothing is written as bytecode (PYTHONDONTWRITEBYTECODE):
Lambda's /var/task is read-only, so the app's modules are compiled at every cold start, while
the runtime's boto3 comes precompiled. Each import is repeated; the median is the figure.

    make bench            # or: .venv/bin/python bench/run.py [--repeat 31] [--source]
                          #     [--only cold fanout cost]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BUDGET_RATIO = 1.3
TIMER = ("import time, sys; t = time.perf_counter(); import {module}; "
         "sys.stdout.write(repr(time.perf_counter() - t))")


def time_import(module: str, repeat: int, cwd: Path) -> list[float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=str(cwd))
    samples = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", TIMER.format(module=module)], cwd=cwd,
                             env=env, capture_output=True, text=True, check=True)
        samples.append(float(out.stdout) * 1000)
    return samples


def build_package(tmp: Path) -> Path:
    from scripts.package_check import copy_project  # the same copy the tests package
    project = copy_project(tmp / "project")
    env = {**os.environ, "PIP_NO_DEPS": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    subprocess.run([str(Path(sys.executable).with_name("chalice")), "package", "--stage", "prod",
                    str(tmp / "out")], cwd=project, env=env, check=True, capture_output=True)
    return tmp / "out" / "deployment.zip"


BENCHES = ("cold", "fanout", "cost")


def loadavg() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=31)
    parser.add_argument("--source", action="store_true",
                        help="time the working tree instead of the built package (no pip)")
    parser.add_argument("--only", nargs="+", choices=BENCHES, default=list(BENCHES),
                        help="which benches to run (default: all, in this order)")
    args = parser.parse_args()
    failed = []
    for bench in BENCHES:
        if bench not in args.only:
            continue
        print(f"\n## {bench}\n", flush=True)
        if bench == "cold":
            code = cold_start(args)
        else:  # its own interpreter: the cost bench runs the local runner in-process
            code = subprocess.run([sys.executable, str(ROOT / "bench" / f"{bench}.py")], cwd=ROOT).returncode
        if code:
            failed.append(bench)
    if failed:
        print(f"\nover budget or failed: {', '.join(failed)}")
    return 1 if failed else 0


def cold_start(args) -> int:
    from scripts import package_check
    with tempfile.TemporaryDirectory() as tmp:
        problems, size = [], None
        if args.source:
            where, label = ROOT, "working tree"
        else:
            zip_path = build_package(Path(tmp))
            size, problems = zip_path.stat().st_size, package_check.problems(zip_path)
            where, label = Path(tmp) / "task", "unpacked deployment.zip (prod)"
            with zipfile.ZipFile(zip_path) as zf:
                zf.extractall(where)
        rows = []
        for module in ("boto3", "app"):
            samples = time_import(module, args.repeat, where)
            rows.append((f"import {module}", statistics.median(samples), min(samples), max(samples)))
    ratio = rows[1][1] / rows[0][1]
    print(f"Python {sys.version.split()[0]}; app from the {label}; "
          f"{args.repeat} fresh interpreters each; milliseconds; loadavg: {loadavg()}\n")
    print(f"| {'what':<12} | {'median':>7} | {'min':>7} | {'max':>7} |")
    print(f"|{'-' * 14}|{'-' * 9}|{'-' * 9}|{'-' * 9}|")
    for name, median, low, high in rows:
        print(f"| {name:<12} | {median:7.1f} | {low:7.1f} | {high:7.1f} |")
    ok = ratio <= BUDGET_RATIO
    print(f"\nimport app / import boto3 (medians) = {ratio:.2f}, budget {BUDGET_RATIO}: "
          f"{'ok' if ok else 'OVER BUDGET'}")
    if size is not None:
        print(f"deployment.zip = {size:,} bytes ({size / 1_000_000:.2f} MB), budget under 1 MB: "
              f"{'; '.join(problems) if problems else 'ok'}")
    return 0 if ok and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
