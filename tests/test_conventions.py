"""House rules that a reviewer would otherwise have to remember (zulip's custom lint, in tests).

The code is parsed (``ast``), not grepped: an import inside a function, an aliased call or a
method reached through a manager is seen like any other.
"""

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["config", "governance", "members", "sanctions", "triage", "reports"]
# The one-way order: an app imports only itself and the apps before it.
ORDER = ["governance", "members", "sanctions", "triage", "reports"]
UPPER = ORDER[1:]


def _sources(pattern="*.py"):
    for app in APPS:
        for path in (ROOT / app).rglob(pattern):
            if "/tests/" not in str(path) and "/migrations/" not in str(path):
                yield path


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@cache
def _tree(path: Path) -> ast.AST:
    return ast.parse(path.read_text(), filename=str(path))


def _module_name(path: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


@cache
def _modules() -> dict[str, Path]:
    return {_module_name(path)[0]: path for path in _sources()}


def _imports(path: Path):
    """(line, imported module name) for every import in the file, at any depth, relative ones
    resolved; ``from package import submodule`` names the submodule."""
    modules = _modules()
    name, is_package = _module_name(path)
    package = name.split(".") if is_package else name.split(".")[:-1]
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                full = f"{source}.{alias.name}"
                yield node.lineno, full if full in modules else source


def _own_module(name: str) -> str | None:
    """The project module ``name`` lands in (a package's ``__init__`` when it names a member)."""
    modules = _modules()
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


# ------------------------------------------------------------------------------- imports


def test_apps_import_only_apps_to_their_left():
    offenders = []
    for path in _sources():
        app = path.relative_to(ROOT).parts[0]
        if app not in ORDER:
            continue
        allowed = set(ORDER[: ORDER.index(app) + 1])
        for line, name in _imports(path):
            top = name.split(".")[0]
            if top in ORDER and top not in allowed:
                offenders.append(f"{_rel(path)}:{line} imports {name}")
    assert offenders == []


def test_apps_do_not_import_the_project_configuration():
    """Apps read settings through django.conf; ``config`` wires the apps, never the reverse."""
    offenders = [f"{_rel(path)}:{line} imports {name}" for path in _sources()
                 if path.relative_to(ROOT).parts[0] in ORDER
                 for line, name in _imports(path) if name.split(".")[0] == "config"]
    assert offenders == []


def test_no_two_files_import_each_other_even_through_others():
    """A circle of imports (a lazy one inside a function included) means two files that cannot be
    read, tested or moved apart: the shared part belongs in a third file both import."""
    modules = _modules()
    graph = {name: {target for _, imported in _imports(path)
                    if (target := _own_module(imported)) and target != name}
             for name, path in modules.items()}
    # Tarjan's strongly connected components.
    index, low, stack, on_stack, circles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert circles == []


# ------------------------------------------------------------------------------- governance names nobody above it

_UPPER_NAME = re.compile(r"(?<![\w.])(?:" + "|".join(UPPER) + r")(?:[.:/][a-z_]|\.html)")


def _strings(path: Path):
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def _docstring_nodes(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            if node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant):
                yield node.body[0].value


def test_governance_names_no_app_above_it():
    """The upper apps register their permissions, panels, menu items, seeders and cache owners with
    governance (in their ``AppConfig.ready``); governance never names them, in code or template.
    Docstrings and comments may explain."""
    offenders = []
    for path in (ROOT / "governance").rglob("*.py"):
        if "/tests/" in str(path) or "/migrations/" in str(path):
            continue
        docstrings = {id(node) for node in _docstring_nodes(_tree(path))}
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings \
                    and _UPPER_NAME.search(node.value):
                offenders.append(f"{_rel(path)}:{node.lineno} {node.value!r}")
    for path in (ROOT / "governance" / "templates").rglob("*.html"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if "{#" not in line and _UPPER_NAME.search(line):
                offenders.append(f"{_rel(path)}:{number} {line.strip()[:80]}")
    assert offenders == []


# ------------------------------------------------------------------------------- tenancy

# Raw ways to widen or leave the tenant scope; only governance/tenancy.py uses them, behind named
# functions (institution_scope, subtree_scope, platform_scope, own_records_scope, ...).
RAW_SCOPE_CALLS = {"scope", "scopes_disabled", "with_scope", "with_scopes_disabled"}
# Where a whole-platform view is the job itself (zulip-style allow-list: adding a line is a review).
PLATFORM_SCOPE_ALLOWED = {
    "governance/admin.py",  # platform operators' admin lists every institution
    "governance/audit.py",  # the chain spans institutions and anchors into parents
    "governance/tenancy.py",
    "members/tasks.py",  # the daily sweep finds which institutions have stale import files
    "reports/province.py",  # builds a whole province for benchmarks and query-budget tests
}


def _calls(path: Path):
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
            if name:
                yield node.lineno, name


def test_scoping_is_widened_only_through_the_tenancy_module():
    offenders = []
    for path in _sources():
        if _rel(path) == "governance/tenancy.py":
            continue
        text = path.read_text()
        if "django_scopes" in text and _rel(path) != "governance/scoping.py":
            offenders.append(f"{_rel(path)} imports django_scopes")
        for line, name in _calls(path):
            if name in RAW_SCOPE_CALLS:
                offenders.append(f"{_rel(path)}:{line} calls {name}()")
            elif name == "platform_scope" and _rel(path) not in PLATFORM_SCOPE_ALLOWED:
                offenders.append(f"{_rel(path)}:{line} calls platform_scope()")
    assert offenders == [], "use a named function of governance/tenancy.py that says whose data it opens"


def test_tenancy_has_no_unnamed_widening():
    """Inside tenancy.py every raw scope call sits in a function that names what it opens."""
    tree = _tree(ROOT / "governance" / "tenancy.py")
    bare = [node.lineno for node in tree.body if not isinstance(node, (ast.FunctionDef, ast.ClassDef))
            for call in ast.walk(node) if isinstance(call, ast.Call)
            and getattr(call.func, "id", getattr(call.func, "attr", "")) in RAW_SCOPE_CALLS]
    assert bare == []


# ------------------------------------------------------------------------------- templates


def test_no_template_marks_user_input_safe():
    offenders = []
    for app in [*APPS, "templates"]:
        for path in (ROOT / app).rglob("*.html"):
            text = path.read_text()
            if "|safe" in text or "autoescape off" in text:
                offenders.append(_rel(path))
    assert offenders == []


def test_templates_have_no_inline_scripts_or_styles():
    offenders = []
    for app in [*APPS, "templates"]:
        for path in (ROOT / app).rglob("*.html"):
            text = path.read_text()
            if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or " style=\"" in text or "<style" in text or re.search(r"\son[a-z]+=\"", text):
                offenders.append(_rel(path))
    assert offenders == [], "the Content-Security-Policy forbids inline scripts, styles and handlers"


def test_the_linter_passes():
    """ruff with the project's rules, complexity included (pyproject.toml): CI runs it with the suite."""
    import shutil
    import subprocess
    import sys

    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent))
    assert ruff, "ruff is installed with the test requirements"
    result = subprocess.run([ruff, "check", "--output-format", "concise", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
