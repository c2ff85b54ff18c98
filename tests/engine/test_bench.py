"""The benchmark runs end to end in its quick mode; its report has every row. No timing checks."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from playground.bench import NETWORKS, Timing, case_count, run_benchmark, torch_network
from playground.commands.bench import format_table
from playground.network import Network
from playground.spec import NetworkSpec

ROOT = Path(__file__).resolve().parents[2]
BATCHES = {"mlp": 128, "simple_convnet": 100, "deep_cnn": 64, "toy": 32}
EXPECTED_ROWS = {
    ("mlp", "train"),
    ("mlp", "infer"),
    ("simple_convnet", "train"),
    ("simple_convnet", "infer"),
    ("deep_cnn", "train"),
    ("deep_cnn", "infer"),
    ("toy", "train"),
}


def _check_report(report: dict, with_torch: bool) -> None:
    assert report["timing"]["mode"] == "quick"
    assert set(report["versions"]) == {"python", "numpy", "torch"}
    assert set(report["threads"]) == {"OPENBLAS_NUM_THREADS", "engine", "cpu_count", "torch"}
    assert set(report["load_average_1min"]) == {"before", "after"}
    rows = report["results"]
    assert len(rows) == case_count()
    assert {(r["network"], r["measure"]) for r in rows} == EXPECTED_ROWS
    for r in rows:
        assert r["ms"] > 0 and r["steps_per_s"] == pytest.approx(1000 / r["ms"])
        assert r["batch"] == (1 if r["measure"] == "infer" else BATCHES[r["network"]])
        assert isinstance(r["target"], str)
        if with_torch:
            assert r["torch_ms"] > 0
            assert r["ratio"] == pytest.approx(r["ms"] / r["torch_ms"])
            assert isinstance(r["met"], bool)
        else:
            assert r["torch_ms"] is None and r["ratio"] is None
    toy = next(r for r in rows if r["network"] == "toy")
    assert toy["target"].startswith("steps/s") and isinstance(toy["met"], bool)


def test_quick_bench_command_prints_a_json_report():
    done = subprocess.run(
        [sys.executable, "-m", "playground", "bench", "--quick", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    _check_report(report, with_torch=report["versions"]["torch"] is not None)


def test_quick_bench_without_torch_and_its_table():
    report = run_benchmark(Timing.quick(), use_torch=False)
    _check_report(report, with_torch=False)
    table = format_table(report)
    for case in NETWORKS:
        assert case.title in table
    assert "quick run" in table


@pytest.mark.parametrize("case", NETWORKS, ids=lambda c: c.key)
def test_the_pytorch_twin_computes_the_same_scores(case):
    torch = pytest.importorskip("torch")
    spec = NetworkSpec.from_dict(case.spec)
    net = Network.from_spec(spec, seed=3)
    x = np.random.default_rng(0).random((5, *spec.input_shape), dtype=np.float32)
    with torch.no_grad():
        theirs = torch_network(torch, net).eval()(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(net.forward(x), theirs, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("seconds", ["-1", "0", "nan", "soon"])
def test_bench_refuses_seconds_that_time_nothing(seconds, capsys):
    from playground.cli import main

    with pytest.raises(SystemExit) as caught:
        main(["bench", "--seconds", seconds])
    assert caught.value.code == 2
    assert f"argument --seconds: '{seconds}' must be a number of seconds above 0" in (
        capsys.readouterr().err
    )
