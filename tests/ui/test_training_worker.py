"""The training worker on its own: how often its reports cross to the GUI thread."""

from __future__ import annotations

import types

import pytest

import ui.training.worker as worker_module
from playground.project import Project
from ui.training.worker import EMITS_PER_SECOND, TrainingWorker


@pytest.mark.parametrize("step_ms", [0.5, 25.0, 40.0])
def test_reports_cross_about_30_times_a_second_however_long_a_step_takes(monkeypatch, step_ms):
    # A clock that moves ``step_ms`` with each step: one second of training, measured.
    clock = [0.0]
    monkeypatch.setattr(worker_module, "time", types.SimpleNamespace(perf_counter=lambda: clock[0]))
    project = Project.from_preset("toy_spiral")
    project.config = project.config.replace(epochs=1000)  # not done within the second
    trainer = project.trainer()
    steps_of = trainer.run

    def timed_steps():
        for report in steps_of():
            clock[0] += step_ms / 1000
            yield report

    trainer.run = timed_steps
    steps = round(1000 / step_ms)
    worker = TrainingWorker(project, trainer, max_steps=steps)
    batches = []
    worker.progress.connect(batches.append)  # same thread: called at once
    worker.run()
    # Every report once, in order; the last batch is what was left when the run ended.
    assert [r.step for batch in batches for r in batch] == list(range(1, steps + 1))
    per_second = len(batches) - 1
    # Steps of most of a period (25 ms) are not sent every other step (20 a second).
    assert per_second == pytest.approx(min(EMITS_PER_SECOND, 1000 / step_ms), abs=1.5)
