"""The mutation benchmark's mutator lists the same mutants every time, and each one breaks something.

No mutant is run here (that is ``bench/mutation.py``'s job and takes minutes):
these tests check the listing the benchmark's figures rest on.
"""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import flask
import pytest

from flask_conformance import layout

from .running import loaded_script, run_command

MUTATOR = layout.KIT_ROOT / "bench" / "mutants.py"
FLASK_DIR = Path(flask.__file__).resolve().parent

pytestmark = pytest.mark.skipif(
    not MUTATOR.is_file(), reason="bench/ ships with the repository, not the wheel"
)

#: One function that gives every operator something to mutate.
SAMPLE = '''\
def check(session, key, items):
    """A docstring is never removed."""
    if not session:
        return None
    if key in items and session.get(key) == 1:
        session.modified = True
    while session is not None:
        break
    count = len(items)  # a comment the mutation leaves alone
    return count < 3
'''


@pytest.fixture(scope="module")
def mutants() -> Iterator[ModuleType]:
    with loaded_script(MUTATOR, "flask_conformance_bench_mutants") as module:
        yield module


def test_every_operator_makes_a_different_program_that_compiles(mutants: ModuleType) -> None:
    listed = mutants.mutants_of("sample.py", SAMPLE, functions=("check",))
    assert {m.operator for m in listed} == set(mutants.OPERATORS)
    original = ast.dump(ast.parse(SAMPLE))
    for mutant in listed:
        mutated = mutant.apply(SAMPLE)
        compile(mutated, mutant.id, "exec")
        assert ast.dump(ast.parse(mutated)) != original, mutant.id
        assert "a comment the mutation leaves alone" in mutated
        assert mutated.count("\n") == SAMPLE.count("\n"), "lines below a mutation must not move"


def test_the_operators_do_what_they_say(mutants: ModuleType) -> None:
    listed = {m.id: m for m in mutants.mutants_of("sample.py", SAMPLE, functions=("check",))}
    assert listed["sample.py:check:3:not-:0"].replacement == "(session)"
    assert listed["sample.py:check:5:cmp:0"].replacement == "key not in items"
    assert listed["sample.py:check:5:cmp:1"].replacement == "session.get(key) != 1"
    assert listed["sample.py:check:5:not+:0"].replacement.startswith("not (")
    assert listed["sample.py:check:6:stmt:0"].replacement == "pass"
    assert listed["sample.py:check:6:bool:0"].replacement == "False"
    assert listed["sample.py:check:7:cmp:0"].replacement == "session is None"
    assert listed["sample.py:check:10:ret:0"].replacement == "return None"
    assert listed["sample.py:check:10:cmp:0"].replacement == "count >= 3"
    assert "sample.py:check:4:ret:0" not in listed, "return None has nothing to drop"
    assert not any(":2:stmt:" in mutant_id for mutant_id in listed), "docstrings stay"


@pytest.mark.skipif(
    importlib.metadata.version("flask") != "3.1.3",
    reason="the benchmark's scope names functions of Flask 3.1.3",
)
def test_the_listing_of_flask_is_deterministic_and_every_mutant_compiles(
    mutants: ModuleType,
) -> None:
    first = mutants.all_mutants(FLASK_DIR)
    second = mutants.all_mutants(FLASK_DIR)
    assert [m.id for m in first] == [m.id for m in second]
    assert len({m.id for m in first}) == len(first), "ids are unique"
    assert {m.file for m in first} == set(mutants.SCOPE)
    sources = {file: (FLASK_DIR / file).read_text(encoding="utf-8") for file in mutants.SCOPE}
    originals = {file: ast.dump(ast.parse(source)) for file, source in sources.items()}
    for mutant in first:
        mutated = mutant.apply(sources[mutant.file])
        assert ast.dump(ast.parse(mutated)) != originals[mutant.file], mutant.id


@pytest.mark.skipif(
    importlib.metadata.version("flask") != "3.1.3",
    reason="the benchmark's scope names functions of Flask 3.1.3",
)
def test_list_and_sample_print_the_same_ids_every_time() -> None:
    script = layout.KIT_ROOT / "bench" / "mutation.py"
    runs = [
        run_command([sys.executable, script, "--list", "--sample", "40", "--only", "ctx.py"])
        for _ in range(2)
    ]
    assert [run.returncode for run in runs] == [0, 0], runs[0].stderr
    assert runs[0].stdout == runs[1].stdout
    ids = [line.split("\t")[0] for line in runs[0].stdout.splitlines()]
    assert len(ids) == 40 and len(set(ids)) == 40
    assert all(mutant_id.startswith("ctx.py:") for mutant_id in ids)
    assert ids == sorted(ids, key=lambda i: int(i.split(":")[2])), "listed in file order"
