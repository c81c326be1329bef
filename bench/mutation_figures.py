"""The mutation benchmark's figures: the table per file and function, survivors and crashes.

Mutants listed in ``bench/equivalent_mutants.py`` change nothing Flask does, so
they are left out of every count.
"""

from __future__ import annotations

from typing import Any

from equivalent_mutants import EQUIVALENT
from mutants import Mutant


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def tally(rows: list[tuple[Mutant, dict[str, Any], dict[str, Any]]]) -> dict[str, int]:
    return {
        "mutants": len(rows),
        "specs": sum(specs["verdict"] != "survived" for _, specs, _ in rows),
        "named": sum(specs["verdict"] == "scenario" for _, specs, _ in rows),
        "raised": sum(
            specs["verdict"] == "scenario" and specs["line"].startswith("The app raised")
            for _, specs, _ in rows
        ),
        "crash": sum(specs["verdict"] == "crash" for _, specs, _ in rows),
        "flask": sum(flask["verdict"] == "caught" for _, _, flask in rows),
        "either": sum(
            specs["verdict"] != "survived" or flask["verdict"] == "caught"
            for _, specs, flask in rows
        ),
    }


def _table_line(label: str, t: dict[str, int]) -> str:
    return (
        f"{label:<58} {t['mutants']:>4} {t['specs']:>5} {_pct(t['specs'], t['mutants'])}"
        f" {t['flask']:>5} {_pct(t['flask'], t['mutants'])} {t['named']:>5} {t['crash']:>5}"
    )


_TABLE_HEADER = (
    f"{'file / function':<58} {'mut':>4} {'specs':>5} {'':>6} {'flask':>5} {'':>6}"
    f" {'named':>5} {'crash':>5}"
)


def _share(label: str, part: int, whole: int) -> str:
    return f"{label:<44} {part} of {whole} ({_pct(part, whole).strip()})"


def summary(
    rows: list[tuple[Mutant, dict[str, Any], dict[str, Any]]], total: int, header: str
) -> str:
    """The table: per file and function, then per file and in all."""
    counted = [row for row in rows if row[0].id not in EQUIVALENT]
    lines = [
        header,
        (
            f"{len(rows)} of {total} selected mutants have results; {len(rows) - len(counted)} "
            "equivalent mutants left out (bench/equivalent_mutants.py)."
        ),
        "columns: mutants, caught by the specs, caught by Flask's tests, the specs' catches by a",
        "named failing scenario, and by a crash (refusal at start-up, INTERNALERROR, time-out).",
        "",
        _TABLE_HEADER,
    ]
    by_file: dict[str, list[Any]] = {}
    for row in counted:
        by_file.setdefault(row[0].file, []).append(row)
    for file, file_rows in sorted(by_file.items()):
        lines.append(_table_line(file, tally(file_rows)))
        by_function: dict[str, list[Any]] = {}
        for row in file_rows:
            by_function.setdefault(row[0].function, []).append(row)
        for function, function_rows in sorted(by_function.items()):
            lines.append(_table_line(f"  {function}", tally(function_rows)))
    t = tally(counted)
    lines += [
        "",
        _table_line("TOTAL", t),
        "",
        _share("caught by the specs:", t["specs"], t["mutants"]),
        _share("caught by Flask's tests:", t["flask"], t["mutants"]),
        _share("caught by either:", t["either"], t["mutants"]),
        _share("specs' catches by a named scenario:", t["named"], t["specs"]),
        _share("specs' catches by a crash:", t["crash"], t["specs"]),
        _share("named catches where Flask raised in a step:", t["raised"], t["named"]),
    ]
    return "\n".join(lines) + "\n"


def survivors_text(rows: list[tuple[Mutant, dict[str, Any], dict[str, Any]]]) -> str:
    out = []
    for mutant, specs, flask in rows:
        if specs["verdict"] != "survived" or mutant.id in EQUIVALENT:
            continue
        by_flask = (
            f"caught by Flask's tests ({flask['test']})"
            if flask["verdict"] == "caught"
            else "survives Flask's tests too"
        )
        out.append(f"{mutant.id}\n    {mutant.diff_line()}\n    {by_flask}\n")
    return "".join(out)


def crashes_text(rows: list[tuple[Mutant, dict[str, Any], dict[str, Any]]]) -> str:
    out = []
    for mutant, specs, flask in rows:
        if specs["verdict"] != "crash" or mutant.id in EQUIVALENT:
            continue
        out.append(
            f"{mutant.id}\n    {mutant.diff_line()}\n    specs: {specs['how']}: {specs['line']}\n"
        )
    return "".join(out)
