"""What the grader writes: the gradebook, the class report and a page per student.

Every page is one self-contained HTML file (the chart is inline SVG, the style
inline), so it opens from a USB stick or an e-mail attachment and fetches
nothing.  The report answers the teacher's questions after class: how did each
exercise go, which wrong answers were common and which misunderstanding each
suggests (the hint the teacher's check gives for it), who did not finish, and
what most of the class skipped, and how long each exercise took against the
minutes it declares.
"""

from __future__ import annotations

import csv
import html
import re
import statistics
from collections import Counter, defaultdict
from pathlib import Path

from ..checking.registry import exercise
from ..checking.verdict import COLOURS as VERDICT_COLOURS
from .times import estimated_minutes
from .timing import BREAK_MINUTES

COLUMNS = [
    "student",
    "notebook",
    "exercise_id",
    "status",
    "answer",
    "hint_seen",
    "minutes",
    "message",
]
COLOURS = {
    "correct": "#1b7837",
    "wrong": "#c51b7d",
    "invalid": "#e08214",
    "unanswered": "#767676",
    "error": "#542788",
    "not-run": "#333333",
}
ORDER = list(COLOURS)
# Status words in the tables take the verdict box's text colours (4.5:1 or more on white).
TEXT_COLOURS = {status: text for status, (text, _background) in VERDICT_COLOURS.items()}
LEFT_UNDONE = ("unanswered", "not-run")
STYLE = """body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f2f2f2}.status{font-weight:bold}h2{margin-top:1.8em}small{color:#555}"""


def _title(exercise_id: str) -> str:
    try:
        return exercise(exercise_id).title
    except KeyError:
        return ""


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
    bar, left, width, top = 22, 70, 520, 30
    height = top + bar * len(counts) + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 60}" height="{height}" role="img" '
        'aria-label="Share of the class per status, for each exercise" font-family="sans-serif" font-size="12">'
    ]
    for i, status in enumerate(ORDER):
        parts.append(
            f'<rect x="{left + i * 90}" y="4" width="12" height="12" fill="{COLOURS[status]}"/>'
            f'<text x="{left + i * 90 + 16}" y="14">{status}</text>'
        )
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


def time_table(rows: list, ids: list[str]) -> str:
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


def report(rows: list, wanted: dict[str, list[str]], notes: dict[str, list[str]]) -> str:
    """The class report: success per exercise, common wrong answers with their hints, who did not finish."""
    students = list(notes)
    counts = {i: Counter() for ids in wanted.values() for i in ids}
    wrong = defaultdict(Counter)
    hints = {}
    for r in rows:
        counts[r.exercise_id][r.status] += 1
        if r.status in ("wrong", "invalid"):
            wrong[r.exercise_id][(r.status, r.answer)] += 1
            hints[(r.exercise_id, r.status, r.answer)] = r.message
    total = {i: sum(c.values()) for i, c in counts.items()}
    body = [
        f"<p>{len(students)} students, notebooks {html.escape(', '.join(wanted))}. "
        "Verdicts come from the teacher's copy of the checks, run on each student's last answer.</p>",
        "<h2>Success rate per exercise</h2>",
        chart(counts, total),
        "<table><tr><th>exercise</th><th>title</th>"
        + "".join(f"<th>{s}</th>" for s in ORDER)
        + "</tr>",
    ]
    for i, c in counts.items():
        body.append(
            f"<tr><td>{i}</td><td>{html.escape(_title(i))}</td>"
            + "".join(f"<td>{c[s]}</td>" for s in ORDER)
            + "</tr>"
        )
    body.append(
        "</table><h2>The most common wrong answers, and what each suggests</h2>"
        "<p><small>The hint is the one the check gives for this answer: it names the misunderstanding "
        "the answer most likely shows.</small></p>"
    )
    if not wrong:
        body.append("<p>No wrong answers.</p>")
    for i in counts:
        if wrong[i]:
            body.append(
                f"<h3>{i} · {html.escape(_title(i))}</h3><table><tr><th>students</th><th>answer</th>"
                "<th>verdict</th><th>hint it triggers</th></tr>"
            )
            for (status, answer), n in wrong[i].most_common(3):
                body.append(
                    f"<tr><td>{n}</td><td><code>{html.escape(answer)}</code></td><td>{status}</td>"
                    f"<td>{html.escape(hints[(i, status, answer)])}</td></tr>"
                )
            body.append("</table>")
    body.append("<h2>Students who did not finish</h2>")
    undone = defaultdict(list)
    for r in rows:
        if r.status in LEFT_UNDONE:
            undone[r.student].append(r.exercise_id)
    if undone:
        body.append("<table><tr><th>student</th><th>left undone</th><th>notes</th></tr>")
        for s in students:
            if undone[s]:
                body.append(
                    f"<tr><td>{html.escape(s)}</td><td>{len(undone[s])}: {', '.join(undone[s])}</td>"
                    f"<td>{html.escape('; '.join(notes[s]))}</td></tr>"
                )
        body.append("</table>")
    else:
        body.append("<p>Everyone answered every exercise.</p>")
    body.append(
        "<h2>Exercises most of the class skipped</h2><p><small>Skipped: not answered, or its cell never ran. "
        "Ordered by how many skipped; the ones most of the class skipped are in bold.</small></p>"
        "<table><tr><th>exercise</th><th>skipped</th></tr>"
    )
    for i in sorted(counts, key=lambda i: -sum(counts[i][s] for s in LEFT_UNDONE)):
        skipped = sum(counts[i][s] for s in LEFT_UNDONE)
        if skipped:
            cell = f"{skipped} of {total[i]}"
            body.append(
                f"<tr><td>{i}</td><td>{'<b>' + cell + '</b>' if skipped > total[i] / 2 else cell}</td></tr>"
            )
    body.append("</table>")
    body.append(time_table(rows, list(counts)))
    broken = [(s, n) for s in students for n in notes[s]]
    if broken:
        body.append(
            "<h2>Submissions with problems</h2><ul>"
            + "".join(f"<li>{html.escape(s)}: {html.escape(n)}</li>" for s, n in broken)
            + "</ul>"
        )
    return page("Class report", "\n".join(body))


def feedback_page(student: str, rows: list, notes: list[str]) -> str:
    """A page for one student: each exercise's verdict, their answer and the teacher's feedback."""
    body = []
    if notes:
        body.append("<ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in notes) + "</ul>")
    right = sum(r.status == "correct" for r in rows)
    body.append(f"<p>{right} of {len(rows)} exercises right.</p>")
    for notebook in dict.fromkeys(r.notebook for r in rows):
        body.append(
            f"<h2>{html.escape(notebook)}</h2><table><tr><th>exercise</th><th>result</th>"
            "<th>your answer</th><th>feedback</th></tr>"
        )
        for r in (r for r in rows if r.notebook == notebook):
            body.append(
                f"<tr><td>{r.exercise_id} · {html.escape(_title(r.exercise_id))}</td>"
                f'<td class="status" style="color:{TEXT_COLOURS.get(r.status, "#333333")}">{r.status}</td>'
                f"<td><code>{html.escape(r.answer)}</code></td><td>{html.escape(r.message)}</td></tr>"
            )
        body.append("</table>")
    return page(f"Feedback for {student}", "\n".join(body))


def _cell(value) -> str:
    """A gradebook cell; text a spreadsheet would run as a formula (=, +, @) is quoted with a leading '."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "@") or re.match(r"-[^0-9.]", text) else text


def write(out: Path, rows: list, wanted: dict[str, list[str]], notes: dict[str, list[str]]) -> None:
    """Write gradebook.csv, report.html and feedback/<student>.html into ``out``."""
    with (out / "gradebook.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for r in rows:
            writer.writerow([_cell(getattr(r, c)) for c in COLUMNS])
    (out / "report.html").write_text(report(rows, wanted, notes), encoding="utf-8")
    folder = out / "feedback"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.html"):
        old.unlink()
    for student, name in file_names(list(notes)).items():
        mine = [r for r in rows if r.student == student]
        (folder / name).write_text(feedback_page(student, mine, notes[student]), encoding="utf-8")
