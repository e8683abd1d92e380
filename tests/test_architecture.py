"""The layout holds: what DESIGN.md's "Target layout" promises, checked on the source itself.

- the domain imports no AWS SDK, no PynamoDB and no Chalice (ports and fakes keep it testable);
- adapters raise only port exceptions (never the service's protocol errors);
- app.py only routes: each view calls one use case on `services()`;
- no runtime Python file over 400 lines, no front-end module over 450 (a file that grows past
  that is a concern that wants its own module).
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_PY = [ROOT / "app.py", *sorted((ROOT / "chalicelib").rglob("*.py"))]
FRONT_END_JS = sorted(p for p in (ROOT / "widget").rglob("*.js")
                      if not {"tests", "vendor", "node_modules"} & set(p.parts))


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def test_the_domain_imports_no_aws_sdk_pynamodb_or_chalice():
    for path in sorted((ROOT / "chalicelib" / "domain").glob("*.py")):
        bad = {m for m in imported_modules(path)
               if m.split(".")[0] in {"boto3", "botocore", "pynamodb", "chalice"}
               or ".adapters" in m or ".edge" in m or ".listeners" in m}
        assert not bad, f"{path.name} imports {sorted(bad)}"


def test_adapters_raise_only_port_exceptions():
    for path in sorted((ROOT / "chalicelib" / "adapters" / "dynamo").glob("*.py")):
        bad = {m for m in imported_modules(path) if "errors" in m.split(".")}
        assert not bad, f"{path.name} imports {sorted(bad)}: adapters raise ports exceptions"


def test_app_only_routes_to_one_use_case_each():
    tree = ast.parse((ROOT / "app.py").read_text())
    subscripts = [n for n in ast.walk(tree) if isinstance(n, ast.Subscript)]
    assert subscripts == [], "app.py indexes nothing (no tuples of services)"
    for fn in (n for n in tree.body if isinstance(n, ast.FunctionDef)):
        calls = [n for n in ast.walk(fn) if isinstance(n, ast.Attribute)
                 and isinstance(n.value, ast.Attribute)
                 and isinstance(n.value.value, ast.Call)
                 and getattr(n.value.value.func, "id", None) == "services"]
        assert len(calls) <= 1, f"{fn.name} calls {len(calls)} use cases"


def test_no_runtime_python_file_over_400_lines():
    long = {str(p.relative_to(ROOT)): n for p in RUNTIME_PY
            if (n := len(p.read_text().splitlines())) > 400}
    assert long == {}


def test_no_front_end_module_over_450_lines():
    assert FRONT_END_JS, "the widget's modules were found"
    long = {str(p.relative_to(ROOT)): n for p in FRONT_END_JS
            if (n := len(p.read_text().splitlines())) > 450}
    assert long == {}
