"""A drawing -> the 28x28 image a digit network reads, prepared the way MNIST's were.

MNIST's creators cropped each digit to its ink, scaled the longer side to 20 pixels keeping
the aspect ratio (anti-aliased, so edges become grey levels), and placed it in a 28x28 frame
with its centre of mass at the centre. ``fit_to_frame`` does exactly that to any ink image;
``strokes_to_digit`` first renders pen strokes with a pen whose width is a fixed fraction of
the drawing's size, so that after scaling the strokes are as thick as MNIST's, whatever size
the person drew at. The draw pad and the pen-drawn digits data go through the same code.

Images are float32 in [0, 1] (0 = background, 1 = ink), shaped ``(1, 28, 28)`` like one sample
of ``load_dataset("digits")``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

FRAME = 28  # MNIST's image side
BOX = 20  # the side MNIST scaled each digit's longer side to
# Pen width as a fraction of the longer side of the strokes' bounding box. Chosen so that pen
# digits rendered this way carry as much ink per image as MNIST's digits (measured on the
# training writers of the pen-digits data; see resources/README.md): about 2.8 px of 20.
PEN_WIDTH = 0.14
# Strokes are rasterised at this many pixels along the longer side before the anti-aliased
# reduction to BOX: 6x oversampling, so edges and round caps come out smooth.
RASTER = 6 * BOX
# Ink below this grey level (of 1) counts as background when cropping and deciding emptiness.
INK_LEVEL = 0.05

Stroke = Sequence[tuple[float, float]] | np.ndarray  # points (x, y), y pointing down


def strokes_to_digit(
    strokes: Sequence[Stroke], pen_width: float = PEN_WIDTH, min_extent: float = 0.0
) -> np.ndarray | None:
    """Pen strokes -> ``(1, 28, 28)`` float32, or None when there is nothing to read.

    ``strokes`` is a list of strokes, each ``(K, 2)`` points (x, y) in any units with y pointing
    down. ``pen_width`` is the pen's width as a fraction of the drawing's longer side.
    Drawings whose longer side is at most ``min_extent`` (in the strokes' units: a click, a
    tiny scribble) count as nothing.
    """
    ink = render_strokes(strokes, pen_width, min_extent)
    return None if ink is None else fit_to_frame(ink)


def render_strokes(
    strokes: Sequence[Stroke],
    pen_width: float = PEN_WIDTH,
    min_extent: float = 0.0,
    size: int = RASTER,
) -> np.ndarray | None:
    """Strokes drawn with a round pen into ``(H, W)`` float32 in [0, 1], cropped to the ink.

    The longer side of the strokes' bounding box becomes ``size`` pixels and the pen is
    ``pen_width * size`` pixels wide. None if there are no points or the drawing's longer side
    is at most ``min_extent`` (a single click has extent 0).
    """
    # Imported here so that only drawing needs Pillow; the rest of the engine is NumPy.
    from PIL import Image, ImageDraw

    parts = [np.asarray(s, np.float64).reshape(-1, 2) for s in strokes]
    parts = [p for p in parts if len(p)]
    if not parts:
        return None
    points = np.concatenate(parts)
    low, high = points.min(axis=0), points.max(axis=0)
    extent = float((high - low).max())
    if extent <= min_extent or extent == 0:
        return None
    scale = size / extent
    width = pen_width * size
    margin = width / 2 + 1
    w, h = np.ceil((high - low) * scale + 2 * margin).astype(int)
    canvas = Image.new("L", (int(w), int(h)), 0)
    draw = ImageDraw.Draw(canvas)
    radius = width / 2
    for part in parts:
        xy = (part - low) * scale + margin
        flat = xy.ravel().tolist()
        if len(xy) > 1:
            draw.line(flat, fill=255, width=max(1, round(width)), joint="curve")
        # Round caps (and a dot for a one-point stroke): a disc at each end.
        for x, y in (xy[0], xy[-1]):
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    return np.asarray(canvas, np.float32) / np.float32(255)


def fit_to_frame(ink: np.ndarray) -> np.ndarray | None:
    """An ink image ``(H, W)`` in [0, 1] -> ``(1, 28, 28)`` float32 as MNIST prepared digits.

    Crop to the ink's bounding box, scale so the longer side is 20 px (aspect kept; Lanczos,
    anti-aliased), and place in a 28x28 frame with the centre of mass at the centre (an
    integer shift, kept inside the frame). None if no pixel reaches ``INK_LEVEL``.
    """
    from PIL import Image

    ink = np.asarray(ink, np.float32)
    rows = np.flatnonzero((ink >= INK_LEVEL).any(axis=1))
    cols = np.flatnonzero((ink >= INK_LEVEL).any(axis=0))
    if not len(rows):
        return None
    crop = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    h, w = crop.shape
    scale = BOX / max(h, w)
    new_h, new_w = max(1, round(h * scale)), max(1, round(w * scale))
    resized = Image.fromarray(np.ascontiguousarray(crop), "F").resize(
        (new_w, new_h), Image.Resampling.LANCZOS
    )
    small = np.clip(np.asarray(resized, np.float32), 0, 1)
    total = small.sum()
    if total <= 0:
        return None
    # Centre of mass of the small image, then the integer offset that puts it at the centre.
    cy = (small.sum(axis=1) @ np.arange(new_h)) / total
    cx = (small.sum(axis=0) @ np.arange(new_w)) / total
    # MNIST's centres of mass sit at pixel 14.0 (not 13.5, the frame's geometric centre):
    # measured on the bundled digits, mean 13.99 down and 14.00 across.
    centre = FRAME / 2
    top = int(np.clip(round(centre - cy), 0, FRAME - new_h))
    left = int(np.clip(round(centre - cx), 0, FRAME - new_w))
    out = np.zeros((1, FRAME, FRAME), np.float32)
    out[0, top : top + new_h, left : left + new_w] = small
    return out
