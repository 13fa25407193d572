"""Loaded into the test suite's notebook kernels only: no network, and a log of writes.

The root ``conftest.py`` puts this folder first on the PYTHONPATH of every
kernel nbval starts (and of the kernels in tests/test_offline.py), with
USIRAQ_TEST_NET_LOG and USIRAQ_TEST_WRITE_LOG naming that kernel's logs.
Every connection to a non-loopback address and every lookup of a non-local
name raises and is logged (so a notebook that swallowed the error still
fails); an audit hook logs every file opened for writing, renamed or removed.
Its first record says that it was loaded.
"""

import ipaddress
import json
import os
import socket
import sys
import threading

_NET_LOG = os.environ.get("USIRAQ_TEST_NET_LOG")
_WRITE_LOG = os.environ.get("USIRAQ_TEST_WRITE_LOG")
_BLOCKED = "network access is blocked for this test"
_guard = threading.local()


def _log(path, record):
    if not path or getattr(_guard, "busy", False):
        return
    _guard.busy = True
    try:
        with open(path, "a", encoding="utf-8") as log:
            log.write(json.dumps(record) + "\n")
    finally:
        _guard.busy = False


def _local_name(host):
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host is None or host in ("", "localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _refuse(what):
    _log(_NET_LOG, {"blocked": str(what)})
    raise OSError(101, f"{_BLOCKED}: {what}")


_connect, _connect_ex, _getaddrinfo = (
    socket.socket.connect,
    socket.socket.connect_ex,
    socket.getaddrinfo,
)


def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _local_name(address[0]):
        _refuse(address)
    return _connect(self, address)


def connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _local_name(address[0]):
        _refuse(address)
    return _connect_ex(self, address)


def getaddrinfo(host, *args, **kwargs):
    if not _local_name(host):
        _log(_NET_LOG, {"blocked": f"name lookup {host}"})
        raise socket.gaierror(socket.EAI_NONAME, f"{_BLOCKED}: name lookup {host}")
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = (
    connect,
    connect_ex,
    getaddrinfo,
)

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


def _path(value):
    if isinstance(value, int) or value is None:
        return None
    try:
        return os.path.abspath(os.fsdecode(value))
    except (TypeError, ValueError):
        return None


def _audit(event, args):
    if getattr(_guard, "busy", False):
        return
    paths = []
    if event == "open":
        path, mode, flags = args
        if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            flags or 0
        ) & _WRITE_FLAGS:
            paths = [path]
    elif event in ("os.remove", "os.rmdir", "os.mkdir", "os.truncate", "shutil.rmtree"):
        paths = [args[0]]
    elif event in ("os.rename", "shutil.move"):
        paths = [args[0], args[1]]
    elif event in ("shutil.copyfile", "shutil.copytree"):
        paths = [args[1]]
    elif event == "sqlite3.connect" and args[0] not in (":memory:", b":memory:", ""):
        paths = [args[0]]
    for path in filter(None, map(_path, paths)):
        if path != _WRITE_LOG and path != _NET_LOG:
            _log(_WRITE_LOG, {"event": event, "path": path})


if _WRITE_LOG:
    sys.addaudithook(_audit)
    _log(_WRITE_LOG, {"event": "loaded", "pid": os.getpid()})
