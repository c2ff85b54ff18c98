"""Whether a desktop session is there to show a window in, asked before Qt is.

Without a display, Qt's xcb and wayland platforms abort the process (SIGABRT) with a
hint about missing libraries. On Linux and the BSDs the app first checks that the X
server in ``DISPLAY`` or the Wayland compositor in ``WAYLAND_DISPLAY`` accepts a
connection, so that it can say plainly what is missing instead.
"""

from __future__ import annotations

import os
import re
import socket
import sys
from pathlib import Path

# Platforms that draw without a display server (chosen with QT_QPA_PLATFORM).
_HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb", "vkkhrdisplay")
_X_DISPLAY = re.compile(r"^(?P<host>[^:]*):(?P<number>\d+)(\.\d+)?$")


def display_problem() -> str | None:
    """Why no window can be shown here, or None when it can (or the platform is not X11/Wayland).

    Only connects and closes: nothing is drawn, and nothing of Qt is loaded.
    """
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None  # Windows and macOS always have their own window system
    chosen = os.environ.get("QT_QPA_PLATFORM", "")
    if chosen.startswith(_HEADLESS_PLATFORMS):
        return None
    x_display = os.environ.get("DISPLAY", "")
    wayland = os.environ.get("WAYLAND_DISPLAY", "")
    if _wayland_reachable(wayland) or _x_reachable(x_display):
        return None
    if not x_display and not wayland:
        return "no display found (neither DISPLAY nor WAYLAND_DISPLAY is set)"
    given = (("DISPLAY", x_display), ("WAYLAND_DISPLAY", wayland))
    tried = [f"{name}={value}" for name, value in given if value]
    return f"cannot connect to the display ({', '.join(tried)})"


def _x_reachable(display: str) -> bool:
    """Whether the X server of ``display`` (``:0``, ``host:10.0``, ``unix:1``) accepts a
    connection: its local socket, or TCP port 6000 + n on another host."""
    match = _X_DISPLAY.match(display)
    if match is None:
        # Not host:number, e.g. a launchd socket path on macOS' XQuartz: let Qt decide.
        return bool(display)
    number, host = int(match["number"]), match["host"]
    if host in ("", "unix"):
        path = f"/tmp/.X11-unix/X{number}"
        # Linux servers also listen on an abstract socket of the same name.
        return _connects(socket.AF_UNIX, path) or _connects(socket.AF_UNIX, "\0" + path)
    try:
        socket.create_connection((host, 6000 + number), timeout=2).close()
    except OSError:
        return False
    return True


def _wayland_reachable(name: str) -> bool:
    if not name:
        return False
    path = Path(name)
    if not path.is_absolute():
        path = Path(os.environ.get("XDG_RUNTIME_DIR", "/nonexistent")) / name
    return _connects(socket.AF_UNIX, str(path))


def _connects(family: socket.AddressFamily, address: str) -> bool:
    try:
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.settimeout(2)
            s.connect(address)
    except OSError:
        return False
    return True
