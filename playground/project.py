"""``Project``: one file holding a network spec, how to train it, and what training made.

A project file (``.nnp``) is a zip: ``project.json`` (format id and version, spec,
training config, dataset choice, normalisation, step counters, generator state)
and ``.npy`` members for the arrays (``weights/0.W.npy``, ``optimizer/m/0.W.npy``,
``history/loss.npy``). It is read with ``allow_pickle=False`` and written
atomically: a temporary file beside the target, fsync, then ``os.replace``.
"""

from __future__ import annotations

import inspect
import json
import math
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from playground.atomic_write import write_atomically
from playground.datasets import Dataset, load_dataset
from playground.errors import DataError, ProjectError, SpecError
from playground.history import History
from playground.layers import shape_text
from playground.metrics import Evaluation, evaluate
from playground.network import Network
from playground.normalization import Normalization
from playground.npy_member import DAMAGED_ZIP_ERRORS, read_npy_member
from playground.paths import preset_names, preset_path, resources_dir
from playground.spec import NetworkSpec
from playground.trainer import TrainConfig, Trainer

SUFFIX = ".nnp"
FORMAT = "nn-playground-project"
FORMAT_VERSION = 1
DEFAULT_MODEL = "default_model.nnp"
PRESET_TRAINING = "preset_training.json"

Arrays = dict[str, np.ndarray]


@dataclass(eq=False)
class Project:
    """A spec with its training setup and, once trained, its weights and history.

    ``Project(spec)`` is a new, untrained project. ``weights`` holds parameters and
    running statistics keyed ``"<layer index>.<name>"`` (None until trained);
    ``optimizer_state`` is ``{"name", "steps", "arrays"}``; ``rng_state`` is the
    network generator's state (dropout masks); ``step`` counts updates done.
    """

    spec: NetworkSpec
    config: TrainConfig = field(default_factory=TrainConfig)
    dataset: str | None = None
    dataset_options: dict[str, Any] = field(default_factory=dict)
    normalization: Normalization | None = None
    weights: Arrays | None = None
    optimizer_state: dict[str, Any] | None = None
    rng_state: dict[str, Any] | None = None
    step: int = 0
    steps_per_epoch: int = 0
    history: History = field(default_factory=History)
    train_seconds: float = 0.0
    _built: tuple[Any, ...] = field(default=(), init=False, repr=False)

    # -- the network -------------------------------------------------------------------
    @property
    def network(self) -> Network:
        """The network from ``spec`` and ``weights`` (seeded init without weights).

        Built once and kept until ``spec``, ``weights`` or ``rng_state`` is replaced;
        train a copy (``trainer()`` does), not this one.
        """
        source = (self.spec, self.weights, self.rng_state)
        if self._built and all(a is b for a, b in zip(self._built[:3], source, strict=True)):
            return self._built[3]
        if self.weights is not None and self.rng_state is not None:
            net = Network.with_arrays(self.spec, self.weights, self.rng_state)
        else:  # seeded init; a weights-only file keeps the generator where init left it
            net = Network.from_spec(self.spec, seed=self.config.seed)
            if self.weights is not None:
                net.load_arrays(self.weights)
        self._built = (*source, net)
        return net

    @property
    def epochs_done(self) -> float:
        return self.step / self.steps_per_epoch if self.steps_per_epoch else 0.0

    def predict(self, x: np.ndarray) -> np.ndarray:
        """x ``(N, *input_shape)`` as ``load_dataset`` gives it -> probabilities ``(N, C)``."""
        return self.network.predict(self._normalized(x, "input samples"))

    def evaluate(self, dataset: Dataset) -> Evaluation:
        """Loss, accuracy and confusion matrix on all of ``dataset``."""
        x = self._normalized(dataset.x, f"the samples of dataset {dataset.name!r}")
        return evaluate(self.network, x, dataset.y)

    def _normalized(self, x: np.ndarray, what: str) -> np.ndarray:
        """``x`` with the saved normalisation, once it is known to fit the network
        (``what`` names the samples in the message if they do not)."""
        x = np.asarray(x, np.float32)
        if x.shape[1:] != self.spec.input_shape:
            raise DataError(
                f"{what} have shape {shape_text(x.shape[1:])}, "
                f"the network expects {shape_text(self.spec.input_shape)}"
            )
        return self.normalization.apply(x) if self.normalization is not None else x

    # -- training ----------------------------------------------------------------------
    def load_data(self) -> Dataset:
        """The project's dataset (``dataset`` with ``dataset_options``)."""
        if self.dataset is None:
            raise DataError("this project has no dataset chosen")
        options = [*inspect.signature(load_dataset).parameters][1:]
        unknown = sorted(set(self.dataset_options) - set(options))
        if unknown:
            raise DataError(
                f"unknown dataset option {unknown[0]!r} (the options are {', '.join(options)})"
            )
        return load_dataset(self.dataset, **self.dataset_options)

    def trainer(
        self,
        dataset: Dataset | None = None,
        detail_every: int = 50,
        min_detail_seconds: float = 0.0,
    ) -> Trainer:
        """A trainer on a copy of the network that resumes this project's run.

        ``dataset`` defaults to ``load_data()``. The saved normalisation is reused
        (trained weights depend on it); the optimizer state only if the config still
        names the same optimizer. Call ``update(trainer)`` to take the results back.
        """
        saved = self.optimizer_state
        same_optimizer = saved is not None and saved.get("name") == self.config.optimizer
        trainer = Trainer(
            self.network.copy(),
            dataset if dataset is not None else self.load_data(),
            self.config,
            normalization=self.normalization,
            step=self.step,
            optimizer_state=saved if same_optimizer else None,
            history=self.history.copy(),
            detail_every=detail_every,
            min_detail_seconds=min_detail_seconds,
        )
        trainer.seconds = self.train_seconds
        return trainer

    def update(self, trainer: Trainer) -> None:
        """Take a copy of the trainer's weights, optimizer and generator state and history."""
        net = trainer.net
        self.spec = net.spec
        self.config = trainer.config
        self.normalization = trainer.normalization
        self.weights = {k: v.copy() for k, v in {**net.params, **net.state}.items()}
        self.optimizer_state = {"name": trainer.config.optimizer, **trainer.optimizer.state_dict()}
        self.rng_state = net.rng.bit_generator.state
        self.step = trainer.step
        self.steps_per_epoch = trainer.steps_per_epoch
        self.history = trainer.history.copy()
        self.train_seconds = trainer.seconds

    # -- new projects from this one (the window's undo keeps the old ones) --------------
    def with_training(self, trainer: Trainer) -> Project:
        """A new project holding copies of what ``trainer`` has trained so far."""
        project = replace(self)
        project.update(trainer)
        return project

    def untrained(self) -> Project:
        """The same setup with freshly seeded weights: no weights, optimizer state or history."""
        return replace(
            self,
            weights=None,
            optimizer_state=None,
            rng_state=None,
            normalization=None,
            step=0,
            steps_per_epoch=0,
            history=History(),
            train_seconds=0.0,
        )

    def with_spec(self, spec: NetworkSpec, sources: Sequence[int | None] | None = None) -> Project:
        """This project for an edited ``spec``, keeping what training made wherever it fits.

        ``sources[j]`` is the index in the current spec of the layer that is layer
        ``j`` of ``spec`` (None for a new layer); by default a layer keeps its index.
        Every layer whose parameter shapes did not change keeps its weights, running
        statistics and optimizer state, at its new index; the others get fresh weights
        from the seed. While ``spec`` is invalid the arrays are only carried along (by
        layer), to be checked when it is valid again. Step, history and the training
        setup stay.
        """
        if sources is None:
            sources = [i if i < len(self.spec.layers) else None for i in range(len(spec.layers))]
        if len(sources) != len(spec.layers):
            raise ValueError(f"{len(sources)} sources for {len(spec.layers)} layers")
        normalization = self.normalization if spec.input_shape == self.spec.input_shape else None
        if self.weights is None:
            return replace(self, spec=spec, normalization=normalization)
        weights = _moved(self.weights, sources)
        optimizer = self.optimizer_state
        if optimizer is not None:
            optimizer = {**optimizer, "arrays": _moved(optimizer["arrays"], sources)}
        if spec.is_valid:
            weights, optimizer = _fitted(spec, self.config.seed, weights, optimizer)
        return replace(
            self, spec=spec, normalization=normalization, weights=weights, optimizer_state=optimizer
        )

    # -- files -------------------------------------------------------------------------
    @classmethod
    def from_preset(cls, name: str) -> Project:
        """A bundled preset with its default dataset and training config, untrained."""
        if name not in preset_names():
            raise ProjectError(f"no preset {name!r} (choose from {', '.join(preset_names())})")
        try:
            spec = NetworkSpec.load(preset_path(name))
        except SpecError as exc:
            raise ProjectError(f"preset {name}: {exc}") from exc
        defaults = _preset_training().get(name, {})
        return cls(
            spec,
            config=TrainConfig.from_dict(defaults.get("config", {})),
            dataset=defaults.get("dataset"),
            dataset_options=dict(defaults.get("dataset_options", {})),
        )

    @classmethod
    def load(cls, path: str | Path) -> Project:
        """A project file, or a spec ``.json`` (an untrained project; a bundled preset
        comes with its default training). Raises ProjectError naming the file and cause."""
        path = Path(path)
        try:
            with path.open("rb") as f:
                magic = f.read(4)
        except OSError as exc:
            raise ProjectError(f"cannot open {path}: {exc.strerror or exc}") from exc
        if magic.startswith(b"PK"):
            return _read_project(path)
        if _is_preset_file(path):
            return cls.from_preset(path.stem)
        try:
            return cls(NetworkSpec.load(path))
        except SpecError as exc:
            if exc.layer_index is None and exc.field is None:  # not a spec at all
                raise ProjectError(
                    f"{exc}: it is neither an NN Playground project nor a network spec"
                ) from exc
            raise ProjectError(f"{path}: {exc}") from exc

    def save(self, path: str | Path) -> None:
        """Write atomically: the old file stays whole until the new one is complete.
        Raises ProjectError naming ``path`` and the cause."""
        write_atomically(path, self._write)

    def _write(self, f) -> None:
        meta = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "spec": self.spec.to_dict(),
            "config": self.config.to_dict(),
            "dataset": self.dataset,
            "dataset_options": self.dataset_options,
            "normalization": self.normalization.to_dict() if self.normalization else None,
            "rng_state": self.rng_state,
            "step": self.step,
            "steps_per_epoch": self.steps_per_epoch,
            "train_seconds": self.train_seconds,
            "optimizer": None,
        }
        arrays = {f"history/{k}": v for k, v in self.history.to_arrays().items()}
        if self.weights is not None:
            arrays.update({f"weights/{k}": v for k, v in self.weights.items()})
        if self.optimizer_state is not None:
            state = self.optimizer_state
            meta["optimizer"] = {"name": state["name"], "steps": state["steps"]}
            arrays.update({f"optimizer/{k}": v for k, v in state["arrays"].items()})
        with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as zf:
            # A fixed date, like the array members get, so equal projects give equal files.
            info = zipfile.ZipInfo("project.json", date_time=(1980, 1, 1, 0, 0, 0))
            zf.writestr(info, json.dumps(meta, indent=1), zipfile.ZIP_DEFLATED)
            for name, value in arrays.items():
                with zf.open(f"{name}.npy", "w") as member:
                    array = np.ascontiguousarray(value)
                    np.lib.format.write_array(member, array, allow_pickle=False)


def default_project() -> Project:
    """The bundled SimpleConvNet trained on the digits (see ``resources/README.md``)."""
    return Project.load(resources_dir() / DEFAULT_MODEL)


def _read_project(path: Path) -> Project:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "project.json" not in names:
                raise ProjectError(f"{path} is not an NN Playground project (no project.json)")
            try:
                meta = json.loads(zf.read("project.json").decode("utf-8"))
            except UnicodeDecodeError:
                raise ProjectError(
                    f"cannot read project {path}: its project.json is not text"
                ) from None
            _check_format(path, meta)
            arrays = {
                name[: -len(".npy")]: read_npy_member(zf, name)
                for name in sorted(names)
                if name.endswith(".npy")
            }
        project = _project_from(meta, arrays)
    except ProjectError:
        raise
    except MemoryError:
        raise ProjectError(f"cannot read project {path}: not enough memory") from None
    except (
        *DAMAGED_ZIP_ERRORS,
        ValueError,  # JSON, npy headers and sizes, pickled arrays, specs, configs, shapes
        KeyError,
        TypeError,
        AttributeError,
    ) as exc:
        raise ProjectError(f"cannot read project {path}: {exc}") from exc
    _check_finite_weights(path, project)
    return project


def _check_finite_weights(path: Path, project: Project) -> None:
    """Refuse weights that hold NaN or Inf, naming the layer: such a model predicts nothing."""
    bad = project.network.first_non_finite() if project.weights is not None else None
    if bad is not None:
        index, key, what = bad
        raise ProjectError(
            f"{path}: the weights of layer {index} ({project.spec.layers[index]['type']}) "
            f"are not finite ({key} holds {what}); the file holds no usable trained model"
        )


def _check_format(path: Path, meta: Any) -> None:
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ProjectError(f"{path} is not an NN Playground project (wrong format id)")
    version = meta.get("format_version")
    if version != FORMAT_VERSION:
        raise ProjectError(
            f"{path} has project format version {version!r}; this version reads {FORMAT_VERSION}"
        )


def _project_from(meta: dict[str, Any], arrays: Arrays) -> Project:
    groups: dict[str, Arrays] = {"weights": {}, "optimizer": {}, "history": {}}
    for name, value in arrays.items():
        group, _, key = name.partition("/")
        if group not in groups or not key:
            raise ValueError(f"unexpected member {name}.npy")
        groups[group][key] = value
    optimizer = _meta(meta, "optimizer", (dict, type(None)), "an object or null")
    if optimizer is not None:
        optimizer = {
            "name": _meta(optimizer, "name", str, "a string", "optimizer.name"),
            "steps": _meta_int(optimizer, "steps", "optimizer.steps"),
            "arrays": groups["optimizer"],
        }
    norm = _meta(meta, "normalization", (dict, type(None)), "an object or null")
    project = Project(
        NetworkSpec.from_dict(_meta(meta, "spec", dict, "an object")),
        config=TrainConfig.from_dict(_meta(meta, "config", dict, "an object")),
        dataset=_meta(meta, "dataset", (str, type(None)), "a string or null"),
        dataset_options=dict(_meta(meta, "dataset_options", dict, "an object")),
        normalization=Normalization.from_dict(norm) if norm is not None else None,
        weights=groups["weights"] or None,
        optimizer_state=optimizer,
        rng_state=_meta(meta, "rng_state", (dict, type(None)), "an object or null"),
        step=_meta_int(meta, "step"),
        steps_per_epoch=_meta_int(meta, "steps_per_epoch"),
        history=History.from_arrays(groups["history"]),
        train_seconds=float(_meta(meta, "train_seconds", (int, float), "a number")),
    )
    if project.weights is None and optimizer is None:
        return project  # nothing to check against a spec that may be invalid (the editor shows it)
    net = project.network  # refuses weights or a generator state that do not fit now
    for name, value in groups["optimizer"].items():
        key = name.partition("/")[2]
        if key not in net.params or value.shape != net.params[key].shape:
            raise ValueError(f"optimizer state {name!r} does not match the network")
    return project


def _meta(
    meta: dict[str, Any], key: str, kinds: type | tuple[type, ...], what: str, name: str = ""
) -> Any:
    """``meta[key]`` if it is one of ``kinds`` (JSON true/false is no number); else a
    ValueError naming the field and the value."""
    name = name or key
    if key not in meta:
        raise ValueError(f"project.json has no {name!r}")
    value = meta[key]
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool is not kinds):
        raise ValueError(f"project.json: {name} {value!r} must be {what}")
    return value


def _meta_int(meta: dict[str, Any], key: str, name: str = "") -> int:
    value = _meta(meta, key, (int, float), "a whole number >= 0", name)
    if not (math.isfinite(value) and float(value).is_integer() and value >= 0):
        raise ValueError(f"project.json: {name or key} {value!r} must be a whole number >= 0")
    return int(value)


def _moved(arrays: Arrays, sources: Sequence[int | None]) -> Arrays:
    """``arrays`` keyed ``"[slot/]<index>.<name>"`` re-keyed to the new layer indices."""
    new_index = {old: new for new, old in enumerate(sources) if old is not None}
    moved = {}
    for key, value in arrays.items():
        slot, _, param = key.rpartition("/")
        index, _, name = param.partition(".")
        if int(index) in new_index:
            moved[f"{slot}/" * bool(slot) + f"{new_index[int(index)]}.{name}"] = value
    return moved


def _fitted(
    spec: NetworkSpec, seed: int, weights: Arrays, optimizer: dict[str, Any] | None
) -> tuple[Arrays, dict[str, Any] | None]:
    """Keep each layer's arrays only if all of them have the shapes ``spec`` needs there;
    the other layers get ``spec``'s seeded initial weights and no optimizer state."""
    fresh = Network.from_spec(spec, seed=seed)
    needed = {**fresh.params, **fresh.state}
    kept_layers = {
        index
        for index in {key.partition(".")[0] for key in needed}
        if all(
            key in weights and weights[key].shape == value.shape
            for key, value in needed.items()
            if key.partition(".")[0] == index
        )
    }
    fitted = {
        key: weights[key] if key.partition(".")[0] in kept_layers else value
        for key, value in needed.items()
    }
    if optimizer is not None:
        arrays = {
            key: value
            for key, value in optimizer["arrays"].items()
            if key.rpartition("/")[2].partition(".")[0] in kept_layers
            and key.rpartition("/")[2] in needed
            and value.shape == needed[key.rpartition("/")[2]].shape
        }
        optimizer = {**optimizer, "arrays": arrays}
    return fitted, optimizer


def _is_preset_file(path: Path) -> bool:
    return path.stem in preset_names() and path.resolve() == preset_path(path.stem).resolve()


def _preset_training() -> dict[str, Any]:
    with (resources_dir() / PRESET_TRAINING).open(encoding="utf-8") as f:
        return json.load(f)
