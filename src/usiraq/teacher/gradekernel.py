"""The part of the grader that runs inside each student's kernel, before any student cell.

``usiraq.teacher.grade`` puts one cell of its own at the top of every notebook it runs;
that cell imports this module (a copy of this file, beside the student edition
of the package the kernel sees) and calls :func:`install`, which

- blocks the network: a connection to a non-loopback address, or a name lookup
  of a non-local name, raises ``OSError``;
- rewrites every later cell before it runs (an IPython AST transformer), so
  that each call ``check(ID, ANSWER)`` or ``check_chart(ID, FIG)`` (or
  ``anything.check(...)``) goes through a recorder first.  The recorder writes
  the id and the pickled answer, or the chart as plain data
  (``usiraq.checking.chartview.snapshot``), to a file in the student's scratch
  folder, then calls the student's ``check`` as written: the notebook behaves
  exactly as before.

Whatever ``check`` a student defines, the answer they pass reaches the record;
the grade itself is decided later, in the grader's own process, by the
teacher's checks (see ``usiraq.teacher.grade``).
"""

from __future__ import annotations

import ast
import ipaddress
import pickle
import socket

RECORDER = "__usiraq_grade_record__"
CHARTS = "__usiraq_grade_chart__"
BLOCKED = "the network is blocked while notebooks are graded"


class _Recorder:
    """Called instead of ``check``: record (id, answer), then call the student's ``check``."""

    def __init__(self, path: str):
        self.path = path

    def __call__(self, check, *args, **kwargs):
        self.record(args, kwargs)
        return check(*args, **kwargs)

    def write(self, entry: dict) -> None:
        with open(self.path, "ab") as out:
            pickle.dump(entry, out, protocol=4)

    def record(self, args, kwargs) -> None:
        try:
            exercise_id = args[0] if args else kwargs.get("exercise_id")
            answer = args[1] if len(args) > 1 else kwargs.get("answer")
            # The rest of the call (e.g. rows=..., the rows an answer was computed from) is judged too.
            extra = {k: v for k, v in kwargs.items() if k not in ("exercise_id", "answer")}
            try:
                blob = pickle.dumps(answer, protocol=4)
                extra_blob = pickle.dumps(extra, protocol=4)
            except Exception:  # an answer that cannot be pickled is graded as unreadable
                blob = extra_blob = None
            self.write(
                {
                    "id": str(exercise_id),
                    "kind": "check",
                    "answer": blob,
                    "extra": extra_blob,
                    "type": type(answer).__name__,
                }
            )
        except Exception:  # recording must never change what the student's cell does
            pass


class _ChartRecorder(_Recorder):
    """Called instead of ``check_chart``: record the chart as plain data, then call the student's."""

    def __init__(self, path: str, snapshot, not_a_chart):
        super().__init__(path)
        self.snapshot, self.not_a_chart = snapshot, not_a_chart

    def record(self, args, kwargs) -> None:
        try:
            exercise_id = args[0] if args else kwargs.get("exercise_id")
            fig = args[1] if len(args) > 1 else kwargs.get("fig_or_ax")
            entry = {"id": str(exercise_id), "kind": "chart", "view": None, "problem": ""}
            if fig is not None:
                try:
                    entry["view"] = pickle.dumps(self.snapshot(fig), protocol=4)
                except self.not_a_chart as err:
                    entry["problem"] = str(err)
            self.write(entry)
        except Exception:  # recording must never change what the student's cell does
            pass


class _CheckCalls(ast.NodeTransformer):
    """Route every call of a function named ``check`` or ``check_chart`` through its recorder."""

    RECORDERS = {"check": RECORDER, "check_chart": CHARTS}

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name in self.RECORDERS:
            wrapped = ast.Call(
                func=ast.Name(id=self.RECORDERS[name], ctx=ast.Load()),
                args=[func, *node.args],
                keywords=node.keywords,
            )
            return ast.copy_location(wrapped, node)
        return node


def _local(host) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host in (None, "", "localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _block_network() -> None:
    connect, connect_ex, getaddrinfo = (
        socket.socket.connect,
        socket.socket.connect_ex,
        socket.getaddrinfo,
    )

    def guarded(original):
        def call(self, address):
            if self.family in (socket.AF_INET, socket.AF_INET6) and not _local(address[0]):
                raise OSError(101, f"{BLOCKED}: {address}")
            return original(self, address)

        return call

    def lookup(host, *args, **kwargs):
        if not _local(host):
            raise socket.gaierror(socket.EAI_NONAME, f"{BLOCKED}: {host}")
        return getaddrinfo(host, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex = guarded(connect), guarded(connect_ex)
    socket.getaddrinfo = lookup


def install(record_path: str) -> None:
    """Block the network and start recording every ``check`` and ``check_chart`` call to come."""
    from IPython import get_ipython

    from usiraq.checking.chartview import NotAChart, snapshot  # taken now, before any student cell

    _block_network()
    shell = get_ipython()
    shell.user_ns[RECORDER] = _Recorder(record_path)
    shell.user_ns[CHARTS] = _ChartRecorder(record_path, snapshot, NotAChart)
    shell.ast_transformers.append(_CheckCalls())
