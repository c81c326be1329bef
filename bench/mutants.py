"""The mutation benchmark's mutator: small, listed, deterministic breakages of Flask.

Why a mutator of our own rather than mutmut or cosmic-ray: both are built to
mutate the project they run in and to drive *that* project's one test command.
The benchmark needs the opposite: mutate an installed third-party package
(Flask), copy it onto ``PYTHONPATH`` one mutant at a time, and run *two*
unrelated suites against each mutant (the kit's specs through
``flask-conformance check`` and Flask's own test files from its sdist), telling
apart how each noticed. Bending either tool to that takes more code than the
five operators below, and their mutant sets change between releases, so figures
would not compare across runs. This module is a few hundred lines anyone can read
to know exactly what was broken.

The operators (one mutation each, applied to the source text at the node's
position so the rest of the file, comments included, is untouched):

``cmp``
    a comparison flipped: ``==`` <-> ``!=``, ``<`` <-> ``>=``, ``>`` <-> ``<=``,
    ``is`` <-> ``is not``, ``in`` <-> ``not in`` (one mutant per operator of a
    chained comparison).
``not-``
    ``not`` removed from an ``if``/``elif``/``while`` condition.
``not+``
    ``not`` added to an ``if``/``elif``/``while`` condition that has none.
``stmt``
    a simple statement (an assignment, a call, ``raise``, ``del``...) replaced
    by ``pass``; not docstrings, ``pass`` itself or ``return`` (see ``ret``).
``ret``
    ``return x`` becomes ``return None`` (for ``x`` that is not already None).
``bool``
    ``True`` <-> ``False``.

Mutants are listed sorted by file, function, line, column and operator; each
has a stable id ``file:function:line:operator:n`` (``n`` counts mutants of the
same operator on the same line of that function, from 0).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: The functions of Flask 3.1.3 in scope, by file (relative to the ``flask``
#: package). ``*`` means every function of the file. Nested functions (a
#: decorator's inner function, ``_merge_blueprint_funcs``'s ``extend``) count as
#: part of the function that holds them.
SCOPE: dict[str, tuple[str, ...]] = {
    "sessions.py": ("*",),
    "ctx.py": ("*",),
    "app.py": (
        "Flask.handle_http_exception",
        "Flask.handle_user_exception",
        "Flask.handle_exception",
        "Flask.full_dispatch_request",
        "Flask.finalize_request",
        "Flask.preprocess_request",
        "Flask.process_response",
        "Flask.do_teardown_request",
        "Flask.do_teardown_appcontext",
        "Flask.wsgi_app",
    ),
    "sansio/app.py": (
        "App._check_setup_finished",
        "App.teardown_appcontext",
        "App._find_error_handler",
        "App.should_ignore_error",
    ),
    "sansio/scaffold.py": (
        "setupmethod",
        "Scaffold._check_setup_finished",
        "Scaffold.before_request",
        "Scaffold.after_request",
        "Scaffold.teardown_request",
        "Scaffold.url_value_preprocessor",
        "Scaffold.errorhandler",
        "Scaffold.register_error_handler",
        "Scaffold._get_exc_class_and_code",
    ),
    "sansio/blueprints.py": (
        "Blueprint._check_setup_finished",
        "Blueprint.register",
        "Blueprint._merge_blueprint_funcs",
        "Blueprint.before_app_request",
        "Blueprint.after_app_request",
        "Blueprint.teardown_app_request",
        "Blueprint.app_errorhandler",
    ),
}

_FLIPPED: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.GtE,
    ast.GtE: ast.Lt,
    ast.Gt: ast.LtE,
    ast.LtE: ast.Gt,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}

#: Statements that ``stmt`` may remove: simple ones, so a mutant breaks one thing.
_REMOVABLE = (
    ast.Expr,
    ast.Assign,
    ast.AugAssign,
    ast.AnnAssign,
    ast.Raise,
    ast.Delete,
    ast.Assert,
)

OPERATORS = ("cmp", "not-", "not+", "stmt", "ret", "bool")

#: The nodes a mutation replaces: they carry their place in the source.
Node = ast.expr | ast.stmt


@dataclass(frozen=True)
class Mutant:
    """One mutation of one file: replace ``original`` at a span with ``replacement``."""

    file: str
    function: str
    line: int
    operator: str
    n: int
    #: Span in the file's text: (start line, start col, end line, end col),
    #: lines from 1, columns in UTF-8 bytes as :mod:`ast` gives them.
    span: tuple[int, int, int, int]
    original: str
    replacement: str

    @property
    def id(self) -> str:
        return f"{self.file}:{self.function}:{self.line}:{self.operator}:{self.n}"

    def diff_line(self) -> str:
        """A one-line description: ``line N: old -> new``."""
        old = " ".join(self.original.split())
        return f"line {self.line}: {old}  ->  {self.replacement}"

    def apply(self, source: str) -> str:
        """Return ``source`` with this mutation applied."""
        return replace_span(source, self.span, self.replacement)


def replace_span(source: str, span: tuple[int, int, int, int], text: str) -> str:
    """Replace the text between two :mod:`ast` positions of ``source`` with ``text``.

    Newlines the span held are kept after ``text`` so that line numbers below
    the mutation do not move (tracebacks then point at the original lines),
    unless that would not compile (an expression continued with a backslash).
    """
    lines = source.encode("utf-8").splitlines(keepends=True)
    start_line, start_col, end_line, end_col = span
    head = b"".join(lines[: start_line - 1]) + lines[start_line - 1][:start_col]
    tail = lines[end_line - 1][end_col:] + b"".join(lines[end_line:])
    kept = (head + text.encode("utf-8") + b"\n" * (end_line - start_line) + tail).decode("utf-8")
    if end_line == start_line:
        return kept
    try:
        compile(kept, "<mutant>", "exec", dont_inherit=True)
    except SyntaxError:
        return (head + text.encode("utf-8") + tail).decode("utf-8")
    return kept


def _segment(source_lines: list[bytes], node: Node) -> str:
    start, first_col, end, last_col = _span(node)
    if start == end:
        return source_lines[start - 1][first_col:last_col].decode("utf-8")
    parts = [source_lines[start - 1][first_col:]]
    parts += source_lines[start : end - 1]
    parts.append(source_lines[end - 1][:last_col])
    return b"".join(parts).decode("utf-8")


def _span(node: Node) -> tuple[int, int, int, int]:
    """Where ``node`` starts and ends: line, column, end line, end column."""
    if node.end_lineno is None or node.end_col_offset is None:  # ast.parse always sets them
        raise ValueError(f"{ast.dump(node)} has no end position")
    return (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)


def _functions(tree: ast.Module, wanted: tuple[str, ...]) -> Iterator[tuple[str, ast.AST]]:
    """Yield ``(qualified name, node)`` of the wanted top-level functions and methods."""
    everything = wanted == ("*",)
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if everything or node.name in wanted:
                yield node.name, node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    name = f"{node.name}.{item.name}"
                    if everything or name in wanted:
                        yield name, item


def _is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _points(function: ast.AST, lines: list[bytes]) -> Iterator[tuple[Node, str, str]]:
    """Yield ``(node, operator, replacement text)`` for every mutation in ``function``."""
    for node in ast.walk(function):
        if isinstance(node, ast.Compare):
            for index, op in enumerate(node.ops):
                flipped = ast.Compare(
                    left=node.left,
                    ops=[_FLIPPED[type(o)]() if i == index else o for i, o in enumerate(node.ops)],
                    comparators=node.comparators,
                )
                yield node, "cmp", ast.unparse(flipped)
        elif isinstance(node, (ast.If, ast.While)):
            test = node.test
            if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
                yield test, "not-", f"({ast.unparse(test.operand)})"
            else:
                yield test, "not+", f"not ({ast.unparse(test)})"
        elif isinstance(node, ast.Return) and node.value is not None:
            if not (isinstance(node.value, ast.Constant) and node.value.value is None):
                yield node, "ret", "return None"
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            yield node, "bool", repr(not node.value)
        if isinstance(node, _REMOVABLE) and not _is_docstring(node):
            yield node, "stmt", "pass"


def mutants_of(file: str, source: str, functions: tuple[str, ...] | None = None) -> list[Mutant]:
    """Every mutant of ``file`` (a path relative to the ``flask`` package) in scope.

    ``functions`` overrides the file's entry in :data:`SCOPE`.
    """
    tree = ast.parse(source)
    lines = source.encode("utf-8").splitlines(keepends=True)
    found: list[tuple[tuple[int, int, str, str], Mutant]] = []
    for name, function in _functions(tree, functions or SCOPE[file]):
        points = sorted(
            _points(function, lines),
            key=lambda p: (p[0].lineno, p[0].col_offset, OPERATORS.index(p[1]), p[2]),
        )
        counters: dict[tuple[int, str], int] = {}
        for node, operator, replacement in points:
            line = node.lineno
            n = counters.get((line, operator), 0)
            counters[(line, operator)] = n + 1
            mutant = Mutant(
                file=file,
                function=name,
                line=line,
                operator=operator,
                n=n,
                span=_span(node),
                original=_segment(lines, node),
                replacement=replacement,
            )
            found.append(((line, node.col_offset, name, operator), mutant))
    return [mutant for _, mutant in sorted(found, key=lambda item: item[0])]


def all_mutants(flask_dir: Path) -> list[Mutant]:
    """Every mutant in :data:`SCOPE`, in a stable order, from the Flask package at ``flask_dir``."""
    mutants: list[Mutant] = []
    for file in sorted(SCOPE):
        source = (flask_dir / file).read_text(encoding="utf-8")
        mutants.extend(mutants_of(file, source))
    return mutants
