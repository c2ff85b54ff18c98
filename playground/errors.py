"""The engine's error types; every message names the cause so the UI can show it as is."""

from __future__ import annotations


class SpecError(ValueError):
    """An invalid network spec.

    The message names the layer (index and type), the field and the value, e.g.
    ``layer 3 (conv2d): kernel_size 7 does not fit input 4x4 (padding 0)``.
    ``layer_index`` is None for errors in the spec as a whole (input shape, loss).
    """

    def __init__(
        self,
        detail: str,
        *,
        layer_index: int | None = None,
        layer_type: str | None = None,
        field: str | None = None,
        value: object = None,
    ) -> None:
        self.detail = detail
        self.layer_index = layer_index
        self.layer_type = layer_type
        self.field = field
        self.value = value
        super().__init__(self._message())

    def _message(self) -> str:
        if self.layer_index is None:
            return f"spec: {self.detail}"
        kind = f" ({self.layer_type})" if self.layer_type else ""
        return f"layer {self.layer_index}{kind}: {self.detail}"

    def at(self, layer_index: int, layer_type: str | None) -> SpecError:
        """The same error, located at a layer of a spec."""
        return SpecError(
            self.detail,
            layer_index=layer_index,
            layer_type=layer_type,
            field=self.field,
            value=self.value,
        )


class DataError(ValueError):
    """A dataset or data file that cannot be used; the message says what and where."""


class ProjectError(ValueError):
    """A project file that cannot be read or written; the message says why."""


class TrainingError(RuntimeError):
    """Training cannot go on (e.g. a non-finite loss); the message names the layer.

    ``layer_index`` is the layer whose output or gradient went bad (None when it was
    the loss itself, or for errors that are not about one layer); ``step`` the step
    that failed (counted from 1).
    """

    def __init__(
        self, message: str, *, layer_index: int | None = None, step: int | None = None
    ) -> None:
        super().__init__(message)
        self.layer_index = layer_index
        self.step = step


class GraphError(ValueError):
    """A scalar function that cannot be read or run (``playground.graph``).

    ``position`` is the offset into the text where the problem is (None when it is not
    in the text, e.g. a missing value); the message starts with its line and column,
    e.g. ``line 1, column 5: expected a number, a name, a function or '(', found '*'``.
    """

    def __init__(self, detail: str, text: str = "", position: int | None = None) -> None:
        self.detail = detail
        self.position = position
        if position is None:
            self.line = self.column = None
            super().__init__(detail)
            return
        self.line = text.count("\n", 0, position) + 1
        self.column = position - (text.rfind("\n", 0, position) + 1) + 1
        super().__init__(f"line {self.line}, column {self.column}: {detail}")


class ExportError(ValueError):
    """A network that cannot be exported as asked (format, output path, a missing package)."""
