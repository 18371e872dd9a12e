"""The calibration of the trees' margins into probabilities, shared by ``train_ranker.py`` (places) and
``train_actors.py`` (actors): one method, in one place."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["centered_isotonic"]


def centered_isotonic(margin: npt.NDArray[np.float64],
                      y: npt.NDArray[np.integer]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Calibration knots from margins and labels: centered isotonic regression (Oron and Flournoy 2017).

    Isotonic regression (pool-adjacent-violators) pools neighbouring margins into blocks of one rate each, so
    its curve is a staircase: every margin of a block gets the same probability (the widest step of the place
    ranker's plain isotonic fit gave every margin from -0.28 to 0.33 the probability 0.569), ties between
    candidates the trees told apart are then broken by gazetteer order, and a threshold can only fall between
    steps. Each block is instead one knot, at its mean margin with its rate, and the curve interpolates linearly
    between the knots: the same rates where the data are, strictly increasing between them, flat only beyond
    the first and last knot."""
    from sklearn.isotonic import IsotonicRegression  # type: ignore[import-untyped]  # scikit-learn ships no type stubs

    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0, increasing=True)
    fitted = iso.fit_transform(margin, y)
    order = np.argsort(margin, kind="stable")
    m, f = margin[order], fitted[order]
    # Blocks: runs of equal fitted rate along the sorted margins (PAVA's pools; neighbouring pools of one
    # rate are one block).
    starts = np.flatnonzero(np.r_[True, f[1:] != f[:-1]])
    ends = np.r_[starts[1:], len(m)]
    cx = np.asarray([m[a:b].mean() for a, b in zip(starts, ends, strict=True)], dtype=np.float64)
    cy = np.asarray(f[starts], dtype=np.float64)
    return cx, cy
