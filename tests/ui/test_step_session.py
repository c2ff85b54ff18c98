"""The step-through session (no Qt): a cursor over a traced pass, the check and the update."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from playground import DataError, default_project, load_dataset
from ui.stepthrough.session import MAX_BATCH, StepInput, StepSession, labelled_input


@pytest.fixture(scope="module")
def digits():
    return load_dataset("digits")


def session_on(digits, count=1, project=None):
    project = project or default_project()
    step_input = StepInput(digits.x[:count], digits.y[:count], "digits")
    return StepSession(project, step_input)


def test_the_cursor_stays_inside_the_pass(digits):
    session = session_on(digits)
    assert session.at_start and session.active_layer == 0
    session.step_back()
    assert session.position == 0
    session.run_to_end()
    assert session.at_end and session.current.title == "backward · layer 0 (conv2d)"
    session.step_forward()
    assert session.position == len(session.steps) - 1
    session.go(7)
    assert session.active_layer is None  # the loss
    session.step_forward()
    session.step_back()
    assert session.position == 7


def test_the_session_reads_its_project_and_never_changes_it(digits):
    project = default_project()
    before = {k: v.copy() for k, v in project.weights.items()}
    session = session_on(digits, 3, project)
    session.apply_update()
    session.check(session.steps[-1])
    for key, value in project.network.params.items():
        np.testing.assert_array_equal(value, before[key])


def test_the_update_starts_from_the_traced_loss_and_lowers_it(digits):
    session = session_on(digits, 4)
    result = session.apply_update()
    assert result.loss_before == pytest.approx(session.loss_step.value, rel=1e-6)
    assert result.loss_after < result.loss_before
    assert result.optimizer == "adam" and result.learning_rate > 0  # a finished run: base rate
    assert {m.key for m in result.moves} == set(session.network.params)


def test_inputs_that_do_not_fit_are_refused_with_the_reason(digits):
    project = default_project()
    with pytest.raises(DataError, match=f"step through 1 to {MAX_BATCH} examples, not 9"):
        StepSession(project, StepInput(digits.x[:9], digits.y[:9], "digits"))
    with pytest.raises(DataError, match="the input has shape 3x28x28"):
        labelled_input(project, np.zeros((3, 28, 28)), None, "the draw pad")
    untrained = dataclasses.replace(project, normalization=None)
    drawn = labelled_input(untrained, digits.x[0], 5, "the draw pad")
    assert drawn.labels.tolist() == [5] and drawn.x.shape == (1, 1, 28, 28)
