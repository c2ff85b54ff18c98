"""Latency of the draw pad: from a pen movement to updated bars, in the real widgets.

``python -m ui.drawpad.bench`` replays real pen-drawn digits (unseen writers) on the pad as
mouse events, one movement every ``--interval`` ms (a mouse reports at 60-125 Hz), and times
each movement from the moment it is posted to the event queue to the moment the prediction
view paints the new bars: the throttle's wait, the preparation, the network and the paint.
It prints the median and the 95th percentile. Offscreen by default; ``--show`` uses the
platform's own windows (a real display, or Xvfb).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--digits", type=int, default=20, help="pen digits to replay")
    parser.add_argument("--interval", type=float, default=10.0, help="ms between movements")
    parser.add_argument("--show", action="store_true", help="a real window, not offscreen")
    args = parser.parse_args(argv)
    if not args.show:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    latencies = measure(args.digits, args.interval)
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(
        f"{len(latencies)} pen movements over {args.digits} digits: movement -> bars painted "
        f"median {statistics.median(latencies):.1f} ms, 95th percentile {p95:.1f} ms, "
        f"max {ordered[-1]:.1f} ms"
    )
    return 0


def measure(digits: int, interval_ms: float) -> list[float]:
    """Milliseconds from each posted movement to the prediction view's next paint."""
    import numpy as np
    from PySide6.QtCore import QEvent, QObject, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    from playground.datasets.pen_digits import load_pen_digits
    from playground.project import default_project
    from ui.document import Document
    from ui.drawpad.view import DrawPadView

    app = QApplication.instance() or QApplication(sys.argv[:1])
    project = default_project()
    view = DrawPadView(Document(project), default=project)
    view.resize(1100, 620)
    view.show()
    app.processEvents()
    pad, bars = view.pad, view.prediction

    painted: list[float] = []

    class PaintClock(QObject):
        def eventFilter(self, watched, event) -> bool:
            if event.type() == QEvent.Type.Paint:
                painted.append(time.perf_counter())
            return False

    clock = PaintClock()
    bars.installEventFilter(clock)

    def send(kind: QEvent.Type, point: QPointF, buttons) -> None:
        button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else buttons
        event = QMouseEvent(
            kind, point, pad.mapToGlobal(point), button, buttons, Qt.KeyboardModifier.NoModifier
        )
        app.postEvent(pad, event)

    def wait_until(deadline: float) -> None:
        while time.perf_counter() < deadline:
            app.processEvents()

    pen = load_pen_digits().select(held_out=True)
    side = min(pad.width(), pad.height())
    latencies: list[float] = []
    left = Qt.MouseButton.LeftButton
    for strokes in pen.strokes[:digits]:
        points = np.concatenate(strokes)
        low, high = points.min(axis=0), points.max(axis=0)
        scale = 0.6 * side / (high - low).max()
        offset = np.array([pad.width(), pad.height()]) / 2 - (low + high) / 2 * scale
        pad.clear()
        for stroke in strokes:
            placed = [QPointF(*(p * scale + offset)) for p in stroke]
            send(QEvent.Type.MouseButtonPress, placed[0], left)
            wait_until(time.perf_counter() + interval_ms / 1000)
            for point in placed[1:]:
                start = time.perf_counter()
                painted.clear()
                send(QEvent.Type.MouseMove, point, left)
                # Wait for the bars, then keep the mouse's pace.
                limit = start + 0.5
                while not painted and time.perf_counter() < limit:
                    app.processEvents()
                if painted:
                    latencies.append((painted[0] - start) * 1000)
                wait_until(start + interval_ms / 1000)
            send(QEvent.Type.MouseButtonRelease, placed[-1], left)
            app.processEvents()
    view.close()
    return latencies


if __name__ == "__main__":
    raise SystemExit(main())
