"""What the grader writes for people: the class report and a page per student.

Every page is one self-contained HTML file (the chart is inline SVG, the style
inline), so it opens from a USB stick or an e-mail attachment and fetches
nothing.  The report answers the teacher's questions after class: the scores;
how each item went; which mistakes the class made, grouped by the
misunderstanding each shows (the mistakes the exercises declare); a grid of
every student and item; who did not finish, what most of the class skipped,
what is left to mark; the integrity flags and late submissions; and how long
each exercise took against its estimate.
"""

from __future__ import annotations

import html
import re
import statistics
from collections import Counter, defaultdict
from pathlib import Path

from ..checking import registry
from ..checking.verdict import COLOURS as VERDICT_COLOURS
from ..checking.words import plural
from . import gradebook
from .times import estimated_minutes
from .timing import BREAK_MINUTES

COLOURS = {
    "correct": "#1b7837",
    "marked": "#4d9221",
    "wrong": "#c51b7d",
    "invalid": "#e08214",
    "to mark": "#2166ac",
    "unanswered": "#767676",
    "error": "#542788",
    "not-run": "#333333",
}
ORDER = list(COLOURS)
# Status words in the tables take the verdict box's text colours (4.5:1 or more on white).
TEXT_COLOURS = {status: text for status, (text, _background) in VERDICT_COLOURS.items()} | {
    "marked": VERDICT_COLOURS["correct"][0],
    "to mark": "#1F4E79",
    "not-run": "#333333",
}
LEFT_UNDONE = ("unanswered", "not-run")
STYLE = """body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f2f2f2}.status{font-weight:bold}h2{margin-top:1.8em}small{color:#555}"""


def _title(key: str) -> str:
    """An item's title: its exercise's, or its chart task's, or its written task's."""
    exercise_id = key.split(" ")[0]
    for look in (registry.exercise, registry.written_task, registry.chart_task):
        try:
            found = look(exercise_id)
        except KeyError:
            continue
        return getattr(found, "title", "") or f"chart of {exercise_id}"
    return ""


def _diagnosis_text(key: str, name: str) -> str:
    """What a diagnosis says: the declared mistake's words, or the chart flaw's name."""
    exercise_id, part = key.split(" ")
    if part == "chart":
        return f"the chart's {name}"
    try:
        found = next(m for m in registry.exercise(exercise_id).mistakes if m.name == name)
    except (KeyError, StopIteration):
        return name
    return found.says


def file_names(students: list[str]) -> dict[str, str]:
    """A safe and distinct file name for each student's page."""
    names, used = {}, set()
    for student in students:
        base = re.sub(r"[^A-Za-z0-9._-]+", "_", student).strip("._") or "student"
        name, n = base, 1
        while name.lower() in used:
            n += 1
            name = f"{base}_{n}"
        used.add(name.lower())
        names[student] = f"{name}.html"
    return names


def page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{STYLE}</style></head><body>\n<h1>{html.escape(title)}</h1>\n{body}\n</body></html>\n"
    )


def chart(counts: dict[str, Counter], total: dict[str, int]) -> str:
    """Stacked horizontal bars, one per exercise, of the share of each status (inline SVG)."""
    bar, left, width, per_row = 22, 70, 520, 4
    top = 8 + 18 * -(-len(ORDER) // per_row) + 12  # below the legend's rows
    height = top + bar * len(counts) + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 60}" height="{height}" role="img" '
        'aria-label="Share of the class per status, for each exercise" font-family="sans-serif" font-size="12">'
    ]
    for i, status in enumerate(ORDER):
        x, y = left + (i % per_row) * (width // per_row), 4 + (i // per_row) * 18
        parts.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" fill="{COLOURS[status]}"/>'
            f'<text x="{x + 16}" y="{y + 10}">{status}</text>'
        )
    parts.append(f'<text x="{left + width + 6}" y="{top - 4}">correct</text>')
    for row, (exercise_id, counter) in enumerate(counts.items()):
        y, x, n = top + row * bar, float(left), total[exercise_id]
        parts.append(
            f'<text x="{left - 6}" y="{y + 15}" text-anchor="end">{html.escape(exercise_id)}</text>'
        )
        for status in ORDER:
            w = width * counter[status] / n if n else 0
            if w:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar - 4}" fill="{COLOURS[status]}">'
                    f"<title>{html.escape(exercise_id)}: {counter[status]} {status}</title></rect>"
                )
                x += w
        share = counter["correct"] / n if n else 0
        parts.append(f'<text x="{left + width + 6}" y="{y + 15}">{share:.0%}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _estimated(exercise_id: str) -> str:
    try:
        return str(estimated_minutes(exercise_id))
    except (KeyError, StopIteration, ValueError):
        return ""


def time_table(rows: list, ids: list[str]) -> str:  # ids of exercises
    """Per exercise: the estimated minutes, the median of the measured ones, and how many students were measured."""
    measured = defaultdict(list)
    for r in rows:
        if r.minutes is not None:
            measured[r.exercise_id].append(r.minutes)
    lines = [
        "<h2>Time per exercise</h2><p><small>Estimated: the minutes the exercise states, from the guide's "
        "model. Measured: from the "
        "times JupyterLab kept of each cell's last run in the handed-in notebook (usiraq.teacher.timing); a notebook "
        "without them is not counted. Each gap between two runs counts for the exercise of the later run, "
        f"at most {BREAK_MINUTES:g} minutes.</small></p>",
        "<table><tr><th>exercise</th><th>estimated min</th><th>measured median min</th>"
        "<th>students measured</th></tr>",
    ]
    for i in ids:
        values = measured[i]
        median = f"{statistics.median(values):.1f}" if values else ""
        lines.append(
            f"<tr><td>{i}</td><td>{_estimated(i)}</td><td>{median}</td><td>{len(values)}</td></tr>"
        )
    lines.append("</table>")
    return "".join(lines)


def report(rows: list, wanted: dict[str, list[str]], state: dict) -> str:
    """The class report (see the module's docstring)."""
    notes, flags, late = state["notes"], state["flags"], state["late"]
    students = sorted({r.student for r in rows})
    keys = [key for keys in wanted.values() for key in keys]
    counts = {key: Counter() for key in keys}
    by_diagnosis, other = defaultdict(Counter), defaultdict(Counter)
    for r in rows:
        counts.setdefault(r.item, Counter())[r.status] += 1
        if r.status in ("wrong", "invalid"):
            if r.diagnosis:
                by_diagnosis[r.item][r.diagnosis] += 1
            else:
                other[r.item][(r.status, r.answer)] += 1
    total = {key: sum(c.values()) for key, c in counts.items()}
    body = [
        f"<p>{plural(len(students), 'student')}, notebooks {html.escape(', '.join(wanted))}. "
        "Verdicts come from the teacher's copy of the checks, run on each student's last answer; "
        "written answers from <code>marks.csv</code>.</p>",
        scores_table(rows, students, wanted),
        "<h2>How each item went</h2>",
        chart(counts, total),
        "<table><tr><th>item</th><th>title</th>"
        + "".join(f"<th>{s}</th>" for s in ORDER)
        + "</tr>",
    ]
    for key, c in counts.items():
        body.append(
            f"<tr><td>{key}</td><td>{html.escape(_title(key))}</td>"
            + "".join(f"<td>{c[s]}</td>" for s in ORDER)
            + "</tr>"
        )
    body.append(
        "</table><h2>The mistakes of the class, by what each shows</h2>"
        "<p><small>Each wrong answer the check recognises as a declared mistake is counted under "
        "its diagnosis; every diagnosis met is listed. The other wrong answers follow, each "
        "answer with how many gave it.</small></p>"
    )
    if not by_diagnosis and not other:
        body.append("<p>No wrong answers.</p>")
    for key in counts:
        if not (by_diagnosis[key] or other[key]):
            continue
        body.append(
            f"<h3>{key} · {html.escape(_title(key))}</h3><table><tr><th>students</th>"
            "<th>what the answer shows</th></tr>"
        )
        for name, n in by_diagnosis[key].most_common():
            body.append(f"<tr><td>{n}</td><td>{html.escape(_diagnosis_text(key, name))}</td></tr>")
        for (status, answer), n in sorted(other[key].items(), key=lambda kv: (-kv[1], kv[0])):
            body.append(
                f"<tr><td>{n}</td><td>no diagnosis: <code>{html.escape(answer)}</code> ({status})</td></tr>"
            )
        body.append("</table>")
    body.append(grid(rows, students, keys))
    body.append("<h2>Students who did not finish</h2>")
    undone = defaultdict(list)
    for r in rows:
        if r.status in LEFT_UNDONE:
            undone[r.student].append(r.item)
    if undone:
        body.append("<table><tr><th>student</th><th>left undone</th><th>notes</th></tr>")
        for s in students:
            if undone[s]:
                body.append(
                    f"<tr><td>{html.escape(s)}</td><td>{len(undone[s])}: {', '.join(undone[s])}</td>"
                    f"<td>{html.escape('; '.join(notes.get(s, [])))}</td></tr>"
                )
        body.append("</table>")
    else:
        body.append("<p>Everyone answered every item.</p>")
    skipped = {key: sum(counts[key][s] for s in LEFT_UNDONE) for key in counts}
    most = [key for key in counts if skipped[key] > total[key] / 2]
    body.append(
        "<h2>Items most of the class skipped</h2><p><small>Skipped: not answered, or its cell never "
        "ran, by more than half of the class.</small></p>"
    )
    body.append(
        "<ul>"
        + "".join(f"<li>{key}: {skipped[key]} of {total[key]}</li>" for key in most)
        + "</ul>"
        if most
        else "<p>None.</p>"
    )
    to_mark = sum(r.status == "to mark" for r in rows)
    body.append(
        f"<h2>Written answers to mark</h2><p>{plural(to_mark, 'answer')} "
        f"{'waits' if to_mark == 1 else 'wait'} for a mark in "
        "<code>marks.csv</code>; grade again into this folder to bring the marks in.</p>"
    )
    body.append(listing("Integrity flags", flags, "No flags. (Flags never change a score.)"))
    body.append(listing("Late submissions", late, "None late (or no due date given)."))
    body.append(
        time_table(rows, list(dict.fromkeys(k.split(" ")[0] for k in keys if k.endswith(" check"))))
    )
    broken = {s: n for s, n in notes.items() if n}
    if broken:
        body.append(listing("Submissions with problems", broken, ""))
    return page("Class report", "\n".join(body))


def listing(title: str, per_student: dict[str, list[str]], none: str) -> str:
    entries = [(s, n) for s in sorted(per_student) for n in per_student[s]]
    if not entries:
        return f"<h2>{title}</h2><p>{none}</p>"
    return (
        f"<h2>{title}</h2><ul>"
        + "".join(f"<li>{html.escape(s)}: {html.escape(n)}</li>" for s, n in entries)
        + "</ul>"
    )


def scores_table(rows: list, students: list[str], wanted: dict[str, list[str]]) -> str:
    """Each student's score per notebook and in all, out of what the items are worth."""
    per, worth = gradebook.totals(rows), gradebook.possible(rows)
    lines = [
        "<h2>Scores</h2><p><small>Points earned. Possible: "
        + ", ".join(f"{html.escape(Path(n).stem)} {worth.get(n, 0):g}" for n in wanted)
        + f"; {sum(worth.values()):g} in all. Written answers count once marked.</small></p>",
        "<table><tr><th>student</th>"
        + "".join(f"<th>{html.escape(Path(n).stem)}</th>" for n in wanted)
        + "<th>total</th></tr>",
    ]
    for s in students:
        lines.append(
            f"<tr><td>{html.escape(s)}</td>"
            + "".join(f"<td>{per.get(s, {}).get(n, 0):g}</td>" for n in wanted)
            + f"<td>{sum(per.get(s, {}).values()):g}</td></tr>"
        )
    return "".join(lines) + "</table>"


SHORT = {"correct": "right", "marked": "marked", "wrong": "wrong", "invalid": "form", "to mark": "to mark",
         "unanswered": "–", "error": "error", "not-run": "not run"}  # fmt: skip


def grid(rows: list, students: list[str], keys: list[str]) -> str:
    """Every student against every item: the score, and the status where it is not right."""
    cell = {(r.student, r.item): r for r in rows}
    lines = [
        '<h2>Every student, every item</h2><div style="overflow-x:auto"><table><tr><th>student</th>'
        + "".join(f"<th>{html.escape(k)}</th>" for k in keys)
        + "</tr>"
    ]
    for s in students:
        tds = []
        for key in keys:
            r = cell.get((s, key))
            if r is None:
                tds.append("<td></td>")
                continue
            value = "" if r.score is None else f"{r.score:g}"
            word = "" if r.status in ("correct", "marked") else f" {SHORT.get(r.status, r.status)}"
            colour = TEXT_COLOURS.get(r.status, "#333333")
            tds.append(f'<td style="color:{colour}">{value}{html.escape(word)}</td>')
        lines.append(f"<tr><td>{html.escape(s)}</td>{''.join(tds)}</tr>")
    return "".join(lines) + "</table></div>"


def feedback_page(student: str, rows: list, state: dict) -> str:
    """A page for one student: each item's verdict, score, answer and feedback; flags and lateness."""
    body = []
    for title, entries in (
        ("Notes", state["notes"].get(student, [])),
        ("Late", state["late"].get(student, [])),
        ("For a conversation with your teacher", state["flags"].get(student, [])),
    ):
        if entries:
            body.append(
                f"<p><b>{title}:</b></p><ul>"
                + "".join(f"<li>{html.escape(n)}</li>" for n in entries)
                + "</ul>"
            )
    earned = sum(r.score or 0.0 for r in rows)
    worth = sum(r.points for r in rows)
    right = sum(r.status in ("correct", "marked") for r in rows)
    body.append(
        f"<p>{earned:g} of {worth:g} {'point' if worth == 1 else 'points'}; "
        f"{right} of {plural(len(rows), 'item')} right or marked.</p>"
    )
    for notebook in dict.fromkeys(r.notebook for r in rows):
        body.append(
            f"<h2>{html.escape(notebook)}</h2><table><tr><th>item</th><th>result</th><th>points</th>"
            "<th>your answer</th><th>feedback</th></tr>"
        )
        for r in (r for r in rows if r.notebook == notebook):
            value = "to mark" if r.score is None else f"{r.score:g} of {r.points:g}"
            reason = f" ({html.escape(r.note)})" if r.note else ""
            body.append(
                f"<tr><td>{r.item} · {html.escape(_title(r.item))}</td>"
                f'<td class="status" style="color:{TEXT_COLOURS.get(r.status, "#333333")}">{r.status}</td>'
                f"<td>{value}{reason}</td>"
                f"<td><code>{html.escape(r.answer)}</code></td><td>{html.escape(r.message)}</td></tr>"
            )
        body.append("</table>")
    return page(f"Feedback for {student}", "\n".join(body))


def write(out: Path, rows: list, wanted: dict[str, list[str]], state: dict) -> None:
    """Write report.html and feedback/<student>.html into ``out`` (the gradebook is ``gradebook``'s)."""
    (out / "report.html").write_text(report(rows, wanted, state), encoding="utf-8")
    folder = out / "feedback"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.html"):
        old.unlink()
    students = sorted({r.student for r in rows})
    for student, name in file_names(students).items():
        mine = [r for r in rows if r.student == student]
        (folder / name).write_text(feedback_page(student, mine, state), encoding="utf-8")
