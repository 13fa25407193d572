"""Integrity flags: what in a handed-in notebook a teacher should look at, without changing a score.

The grader judges every answer with the teacher's own checks, so none of
these can raise a grade; they say what a student tried, for a conversation:

- ``check`` or ``check_chart`` redefined or taken from elsewhere (a ``def``,
  an assignment, an import under that name from outside the module);
- an import of the module's answers (its declarations, or the frozen checks of
  the student edition), or a look at the file that holds them;
- the helper package edited (an attribute of a ``usiraq`` module set, or a
  file of the package written);
- a saved output that claims a verdict the grader did not give (the notebook
  shows "Correct" for an answer the teacher's check finds wrong).
"""

from __future__ import annotations

import ast
import re

from .gradebook import Row

CHECKS = {"check", "check_chart"}
ANSWERS = ("usiraq.checking.declarations", "usiraq.answers", "usiraq.checking.frozen")
CLAIM = re.compile(r"\b(\d\d\.\d+)(?: chart)?: Correct\b")


def code_flags(sources: list[str]) -> list[str]:
    """The flags a notebook's code raises (each once, in a fixed order)."""
    found = set()
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        aliases = _package_aliases(tree)
        for node in ast.walk(tree):
            found |= _node_flags(node, aliases)
        if "frozen.pickle" in source or re.search(r"checking[/\\.]declarations", source):
            found.add("answers")
    order = {
        "check": "check or check_chart is redefined or taken from outside the module",
        "answers": "the code reads the module's answers (its declarations or frozen checks)",
        "package": "the code changes the helper package (sets an attribute of a usiraq module or writes a file of it)",
    }
    return [text for key, text in order.items() if key in found]


def _package_aliases(tree: ast.AST) -> set[str]:
    """The names that stand for a usiraq module in this code (``import usiraq.x as f`` gives f)."""
    names = {"usiraq"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "usiraq":
                    names.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("usiraq"):
            names |= {alias.asname or alias.name for alias in node.names} - CHECKS
    return names


def _node_flags(node: ast.AST, aliases: set[str]) -> set[str]:
    found = set()
    if (
        isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        and getattr(node, "name", None) in CHECKS
    ):
        found.add("check")
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name) and name.id in CHECKS:
                    found.add("check")
            if isinstance(target, ast.Attribute) and _root(target) in aliases:
                found.add("package")
            if isinstance(target, ast.Subscript) and _root(target) in aliases:
                found.add("package")
    if isinstance(node, ast.ImportFrom):
        module = node.module or ""
        if module.startswith(ANSWERS):
            found.add("answers")
        if not module.startswith("usiraq") and any(
            (a.asname or a.name) in CHECKS for a in node.names
        ):
            found.add("check")
    if isinstance(node, ast.Import):
        if any(a.name.startswith(ANSWERS) for a in node.names):
            found.add("answers")
        if any(a.asname in CHECKS for a in node.names):
            found.add("check")
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "setattr" and node.args:
        if _root(node.args[0]) in aliases:
            found.add("package")
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "open" and node.args:
        path, mode = node.args[0], node.args[1] if len(node.args) > 1 else None
        mode = mode or next((k.value for k in node.keywords if k.arg == "mode"), None)
        writes = isinstance(mode, ast.Constant) and any(m in str(mode.value) for m in "wax+")
        if writes and isinstance(path, ast.Constant) and "usiraq" in str(path.value):
            found.add("package")
    return found


def _root(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def claimed(outputs_text: str) -> set[str]:
    """The exercise ids a notebook's saved outputs show as correct."""
    return set(CLAIM.findall(outputs_text))


def claim_flags(claims: set[str], rows: list[Row]) -> list[str]:
    """A flag for each exercise the notebook shows as correct where the grader found it not."""
    wrong = sorted(
        r.exercise_id
        for r in rows
        if r.exercise_id in claims and r.part in ("check", "chart") and r.status != "correct"
    )
    return [
        f"the saved notebook shows {exercise_id} as correct, but the teacher's check does not find it so"
        for exercise_id in dict.fromkeys(wrong)
    ]
