"""Cells run together without separators (`行政许可3960181`): the splits a table's own identities allow."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from pipelines.parse.templates.common import APPLICANT_KEYS

MAX_SPLIT_NODES = 200_000  # enumeration budget for one digit run
MAX_SPLITS = 64  # more readings than this: ambiguous whatever else is known


def split_digits(
    digits: str,
    parts: int,
    valid: Callable[[list[int]], bool],
    boundaries: frozenset[int] = frozenset(),
) -> list[list[int]]:
    """Every way to cut a digit run into `parts` numbers without leading zeros that
    satisfies `valid` (checked on every prefix: it must accept partial lists).

    When more than one split is found, only those that cut at every index in
    `boundaries` (where the text had a space) are kept. More than MAX_SPLITS readings
    are all returned (callers treat them as ambiguous); an exhausted budget returns none.
    """
    found: list[list[int]] = []
    n = len(digits)
    if not digits.isdigit() or n < parts or n > parts * 12:
        return found
    nodes = 0

    def cuts(start: int, acc: list[int], cut_at: tuple[int, ...]) -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > MAX_SPLIT_NODES:
            return False
        if len(acc) == parts:
            if start == n:
                found.append(acc)
                found_cuts.append(cut_at)
            return len(found) <= MAX_SPLITS
        left = parts - len(acc)
        for length in range(1, min(12, n - start - (left - 1)) + 1):
            piece = digits[start : start + length]
            if length > 1 and piece[0] == "0":
                break
            candidate = acc + [int(piece)]
            if valid(candidate) and not cuts(start + length, candidate, cut_at + (start + length,)):
                return False
        return True

    found_cuts: list[tuple[int, ...]] = []
    if not cuts(0, [], ()):
        return [] if nodes > MAX_SPLIT_NODES else found  # out of budget: no split; too many: all of them
    if len(found) > 1 and boundaries:
        found = [f for f, c in zip(found, found_cuts) if boundaries <= set(c)]
    return found


def total_is_sum(values: list[int]) -> bool:
    """Table 三 row identity on a (partial) split: 总计 = the six applicant columns."""
    return len(values) < len(APPLICANT_KEYS) or values[-1] == sum(values[:-1])


@dataclass(frozen=True)
class DigitRun:
    key: str
    anchor: str
    text: str  # the run as printed (digits, spaces, signs, points)

    @property
    def digits(self) -> str:
        return re.sub(r"\s", "", self.text)

    @property
    def boundaries(self) -> frozenset[int]:
        """Digit indices where the text had a space: cells end there."""
        cuts, count = set(), 0
        for char in self.text.strip():
            if char.isspace():
                cuts.add(count)
            elif char.isdigit():
                count += 1
        return frozenset(cuts)


def unique_split(run: DigitRun, parts: int, valid: Callable[[list[int]], bool]) -> list[int] | None:
    """The run's only reading: one digit per cell, or the one split that satisfies `valid`."""
    splits = digit_splits(run, parts, valid)
    return splits[0] if len(splits) == 1 else None


def digit_splits(run: DigitRun, parts: int, valid: Callable[[list[int]], bool]) -> list[list[int]]:
    if len(run.digits) == parts and run.digits.isdigit():
        return [[int(d) for d in run.digits]]  # one digit per cell: the only reading there is
    return split_digits(run.digits, parts, valid, run.boundaries)


MAX_COMBINATIONS = 20_000  # joint readings of the ambiguous rows tried against the column identities


def resolve_by_columns(candidates: dict[str, list[list[int]]], components: list[str]) -> dict[str, list[int]]:
    """Choose among rows' splits with the column identities of table 三 (（七）总计 = the
    outcome rows; 新收 + 上年结转 = （七）总计 + 结转下年度), jointly over the ambiguous rows.

    A row is decided when every joint reading that passes all identities that can be
    checked agrees on it, and some identity involving the row could be checked.
    """
    known = {key: splits[0] for key, splits in candidates.items() if len(splits) == 1}
    open_rows = [key for key, splits in candidates.items() if len(splits) > 1]
    if not open_rows or math.prod(len(candidates[k]) for k in open_rows) > MAX_COMBINATIONS:
        return known
    identities = [
        (["total_processed"], components),
        (["new_received", "carried_over"], ["total_processed", "carried_forward"]),
    ]
    checkable = [(left, right) for left, right in identities if all(k in candidates for k in left + right)]
    decidable = {k for k in open_rows if any(k in left + right for left, right in checkable)}
    passing = []
    for combination in itertools.product(*(candidates[k] for k in open_rows)):
        trial = {**known, **dict(zip(open_rows, combination))}
        if all(
            sum(trial[k][c] for k in left) == sum(trial[k][c] for k in right)
            for left, right in checkable
            for c in range(len(APPLICANT_KEYS))
        ):
            passing.append(trial)
    for key in decidable:
        readings = {tuple(trial[key]) for trial in passing}
        if len(readings) == 1:
            known[key] = list(readings.pop())
    return known


def group_totals_are_sums(values: list[int]) -> bool:
    """Table 四 identities on a (partial) split: each complete group of five has 总计 = sum."""
    return all(values[i + 4] == sum(values[i : i + 4]) for i in range(0, len(values) - len(values) % 5, 5))


_SIGNED = re.compile(r"(\d+)([+\-−])(\d+)")


def signed_split(digits: str, cells: int) -> list[int | None] | None:
    """A 2019 table 二 row of 上一年项目数量, a signed 本年增/减 and (for three cells) 处理决定数量
    run together (`20+1737`): the sign ends the first cell. The digits after it are split
    where they allow one reading; of several, the one where 上一年 + 增/减 gives the third
    cell (the pages that print the year's count there) when exactly one does
    (`20+1737` → 20, +17, 37); else the cells after the first stay None. None: no sign."""
    match = _SIGNED.fullmatch(digits)
    if match is None or cells not in (2, 3):
        return None
    prior, sign, rest = int(match[1]), (-1 if match[2] in "-−" else 1), match[3]
    if cells == 2:
        return [prior, sign * int(rest)]
    readings = [
        (int(rest[:i]), int(rest[i:]))
        for i in range(1, len(rest))
        if (i == 1 or rest[0] != "0") and (len(rest) - i == 1 or rest[i] != "0")
    ]
    fitting = [r for r in readings if prior + sign * r[0] == r[1]]
    chosen = readings[0] if len(readings) == 1 else fitting[0] if len(fitting) == 1 else None
    return [prior, sign * chosen[0], chosen[1]] if chosen else [prior, None, None]
