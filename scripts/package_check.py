"""Check a Lambda deployment zip: small, and only what the Lambda runtime lacks.

Lambda's Python runtime ships boto3 and its dependencies; shipping them again costs cold-start
time (a bigger zip to fetch and unpack) and the package budget (DESIGN.md: under 1 MB zipped).
Chalice cannot exclude a dependency's dependency (PynamoDB requires botocore), so
scripts/deploy.sh runs Chalice with PIP_NO_DEPS=1 over a requirements.txt that lists the whole
closure, and this check refuses a zip that still carries anything the runtime provides.

    python -m scripts.package_check path/to/deployment.zip
"""
from __future__ import annotations

import re
import shutil
import sys
import zipfile
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MAX_BYTES = 1_000_000
# What the Lambda Python runtime already has: boto3 and its dependency closure (import names).
RUNTIME_PROVIDED = {"boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six",
                    "urllib3"}
RUNTIME_DISTRIBUTIONS = {"boto3", "botocore", "s3transfer", "jmespath", "python-dateutil",
                         "six", "urllib3"}
APP_ENTRIES = {"app.py", "chalicelib", "chalice"}


def top_level(names: list[str]) -> set[str]:
    out = set()
    for name in names:
        head = name.split("/", 1)[0]
        if head.endswith((".dist-info", ".data")):
            continue
        out.add(head[:-3] if head.endswith(".py") else head)
    return out


def problems(path: str | Path, max_bytes: int = MAX_BYTES) -> list[str]:
    out = []
    size = Path(path).stat().st_size
    if size >= max_bytes:
        out.append(f"{path} is {size:,} bytes; the budget is under {max_bytes:,}")
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        entries = top_level(names)
    compiled = sorted(n for n in names if n.endswith(".pyc") and not n.startswith(tuple(
        e + "/" for e in entries - APP_ENTRIES)))
    if compiled:
        out.append(f"ships this machine's bytecode ({compiled[0]}, ...): remove __pycache__ "
                   "from the app before packaging")
    shipped = sorted(entries & RUNTIME_PROVIDED)
    if shipped:
        out.append(f"ships what the Lambda runtime provides: {', '.join(shipped)} "
                   "(package with PIP_NO_DEPS=1, as scripts/deploy.sh does)")
    absent = sorted({"app", "chalicelib", "chalice"} - entries)
    if absent:
        out.append(f"the app itself is missing: {', '.join(absent)}")
    return out


def _name(requirement: str) -> str:
    return re.split(r"[\s;<>=!~\[(]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def requirement_closure_gaps(requirements: str | Path) -> list[str]:
    """Dependencies of the pinned requirements (as installed here) that are neither pinned too
    nor provided by the Lambda runtime: with PIP_NO_DEPS=1 they would be missing on Lambda."""
    pinned = {_name(line) for line in Path(requirements).read_text().splitlines()
              if line.strip() and not line.lstrip().startswith(("#", "-"))}
    gaps = []
    for dist in sorted(pinned):
        for req in metadata.requires(dist) or []:
            name, _, marker = req.partition(";")
            if "extra ==" in marker:
                continue
            if marker.strip() and not _marker_holds(marker):
                continue
            dep = _name(name)
            if dep not in pinned and dep not in RUNTIME_DISTRIBUTIONS:
                gaps.append(f"{dist} needs {dep}, which requirements.txt does not pin")
    return gaps


def _marker_holds(marker: str) -> bool:
    """Markers on Lambda's runtime (python3.11, Linux): `python_version < "3.11"` style only."""
    from packaging.markers import Marker  # the PyPA library pytest depends on
    return Marker(marker).evaluate({"python_version": "3.11", "python_full_version": "3.11.0",
                                    "sys_platform": "linux", "platform_system": "Linux",
                                    "implementation_name": "cpython", "extra": ""})


def copy_project(dest: Path, root: Path = ROOT) -> Path:
    """What Chalice packages, copied to `dest` (app.py, chalicelib/, requirements.txt,
    .chalice/*.json; no caches): tests and the benchmark package a scratch copy, so they never
    touch the working tree's .chalice/deployments."""
    dest.mkdir(parents=True)
    shutil.copy2(root / "app.py", dest)
    shutil.copy2(root / "requirements.txt", dest)
    shutil.copytree(root / "chalicelib", dest / "chalicelib",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (dest / ".chalice").mkdir()
    for path in (root / ".chalice").glob("*.json"):
        shutil.copy2(path, dest / ".chalice")
    return dest


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    found = problems(args[0])
    for line in found:
        print(f"package_check: {line}", file=sys.stderr)
    if not found:
        print(f"package ok: {Path(args[0]).stat().st_size:,} bytes, nothing the runtime provides")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
