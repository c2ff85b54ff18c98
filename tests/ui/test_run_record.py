"""``RunRecord`` grows the plots' arrays from batches of reports (no Qt needed)."""

import numpy as np

from playground import Project
from playground.history import History
from ui.training.record import RunRecord, Series


def test_series_grows_past_its_capacity():
    series = Series([1.0, 2.0])
    series.extend(np.arange(5000.0))
    assert len(series) == 5002 and series.values[-1] == 4999 and series.values[1] == 2


def test_reports_in_batches_give_one_point_per_step_and_details_where_they_were():
    project = Project.from_preset("toy_spiral")
    project.config = project.config.replace(epochs=2)
    trainer = project.trainer(detail_every=4)
    reports = list(trainer.run())
    record = RunRecord()
    for start in range(0, len(reports), 7):
        record.add(reports[start : start + 7])
    assert record.steps == len(reports) and list(record.step.values[:3]) == [1, 2, 3]
    np.testing.assert_allclose(record.loss.values, [r.loss for r in reports])
    detailed = [r for r in reports if r.has_details]
    assert list(record.detail_step.values) == [r.step for r in detailed]
    assert list(record.val_step.values) == trainer.history.val_step
    key = "0.W"
    assert len(record.histograms[key]) == len(detailed)
    assert record.histograms[key][0] is record.initial_histograms[key]
    assert record.latest is reports[-1] and record.latest_details is detailed[-1]


def test_a_record_starts_from_a_saved_history_and_a_resume_from_an_older_step_truncates():
    history = History(
        loss=[3.0, 2.0, 1.0],
        accuracy=[0.1, 0.2, 0.3],
        val_step=[2],
        val_loss=[2.5],
        val_accuracy=[0.2],
    )
    record = RunRecord(history)
    assert record.steps == 3 and list(record.val_step.values) == [2]
    project = Project.from_preset("toy_spiral")
    reports = list(project.trainer().run())[:3]
    record.add(reports[1:])  # resumed at step 2: step 3 of the old curve is replaced
    assert record.steps == 3 and list(record.loss.values[:1]) == [3.0]
    assert record.loss.values[2] == reports[2].loss
