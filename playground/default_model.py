"""Train the bundled default model: SimpleConvNet for MNIST's digits and for drawn ones.

``python -m playground.default_model --out resources/default_model.nnp``

The training set (built in memory, deterministic for a seed): the 4,500 training digits of the
bundled MNIST subset (its 500 validation digits are never used) and distorted copies of them,
plus the pen-drawn digits of the training writers (never ``HELD_OUT_WRITERS``) drawn as the
draw pad draws, clean and distorted with random pen widths. The saved project names
``digits`` as its dataset, so ``python -m playground evaluate`` reports the 500 untouched
validation digits.
"""

from __future__ import annotations

import argparse

import numpy as np
from tqdm import tqdm

from playground.augment import Distortion, distort_images, distort_strokes
from playground.datasets import Dataset, load_dataset
from playground.datasets.pen_digits import load_pen_digits
from playground.drawing import strokes_to_digit
from playground.project import Project


def training_set(seed: int = 0, copies: int = 4, d: Distortion | None = None) -> Dataset:
    """MNIST training digits + ``copies`` distorted copies + the training writers' pen digits."""
    d = d or Distortion()
    rng = np.random.default_rng(seed)
    digits = load_dataset("digits")
    mnist, _ = digits.split(0.1, 0)  # the split evaluate reports; its validation part stays out
    pen = load_pen_digits().select(held_out=False)
    drawn = pen.render()
    # Offline data preparation: each drawing is rendered on its own (Pillow draws one at a time).
    jittered = np.stack(
        [
            strokes_to_digit(distort_strokes(s, rng, d), rng.uniform(*d.pen_width))
            for s in pen.strokes
        ]
    )
    xs = [mnist.x, *(distort_images(mnist.x, rng, d) for _ in range(copies)), drawn.x, jittered]
    ys = [mnist.y] * (copies + 1) + [drawn.y, drawn.y]
    return Dataset(
        "digits + pen digits", np.concatenate(xs), np.concatenate(ys), digits.class_names
    )


def accuracy_report(project: Project) -> str:
    """How many digits ``project`` reads right, per class: the held-out writers' pen digits
    (drawn as the pad draws them) and the bundled MNIST validation digits."""
    pen = load_pen_digits().select(held_out=True).render(name="pen digits, unseen writers")
    _, mnist = load_dataset("digits").split(0.1, 0)
    lines = []
    for data in (pen, mnist):
        right = project.predict(data.x).argmax(axis=1) == data.y
        per_class = "  ".join(
            f"{c}: {right[data.y == c].mean():.1%}" for c in range(data.num_classes)
        )
        lines.append(f"{data.name}: {right.mean():.2%} of {len(data)} ({per_class})")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="the project file to write")
    parser.add_argument(
        "--check", action="store_true", help="only measure the model in --out, do not train"
    )
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--copies", type=int, default=4, help="distorted copies of each digit")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.check:
        print(accuracy_report(Project.load(args.out)))
        return
    project = Project.from_preset("simple_convnet")
    project.config = project.config.replace(epochs=args.epochs, seed=args.seed)
    data = training_set(args.seed, args.copies)
    trainer = project.trainer(data)
    print(f"training on {len(trainer.train_set)} digits, {len(trainer.val_set)} for validation")
    with tqdm(total=trainer.total_steps, unit="step", desc="train") as bar:
        for report in trainer.run():
            bar.update()
            bar.set_postfix(loss=f"{report.loss:.4f}", refresh=False)
    project.update(trainer)
    project.optimizer_state = None
    project.save(args.out)
    print(f"trained in {trainer.seconds:.0f} s; saved {args.out}")
    print(accuracy_report(project))


if __name__ == "__main__":
    main()
