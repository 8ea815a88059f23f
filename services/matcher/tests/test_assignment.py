"""The one-to-one edge choosers."""

import polars as pl

from matcher.assignment import assign, mutual_best, unique_pairs


def edges(*rows):
    return pl.DataFrame(
        rows, schema={"sloid": pl.String, "target_id": pl.Int64, "dist": pl.Float64}, orient="row"
    )


def chosen(frame):
    return set(frame.select("sloid", "target_id").iter_rows())


def test_cardinality_comes_before_distance():
    e = edges(("a", 1, 1.0), ("a", 2, 2.0), ("b", 1, 3.0))
    assert chosen(assign(e)) == {("a", 2), ("b", 1)}


def test_minimum_total_distance_among_maximum_matchings():
    e = edges(("a", 1, 1.0), ("a", 2, 5.0), ("b", 1, 2.0), ("b", 2, 3.0))
    assert chosen(assign(e)) == {("a", 1), ("b", 2)}


def test_equal_alternatives_are_left_out():
    e = edges(("a", 1, 4.0), ("a", 2, 4.0), ("b", 3, 1.0), ("c", 3, 1.0), ("d", 9, 7.0))
    assert chosen(assign(e)) == {("d", 9)}
    square = edges(("a", 1, 1.0), ("a", 2, 2.0), ("b", 1, 2.0), ("b", 2, 1.0), ("b", 3, 1.5))
    assert chosen(assign(square)) == {("a", 1), ("b", 2)}
    tied = edges(("a", 1, 1.0), ("a", 2, 2.0), ("b", 1, 2.0), ("b", 2, 1.0), ("c", 1, 1.0), ("c", 2, 2.0))
    # b-2 is in every optimum; target 1 could go to a or c equally, so it stays open.
    assert chosen(assign(tied)) == {("b", 2)}


def test_unique_pairs_with_tiebreak_and_mutual_best():
    e = edges(("a", 1, 1.0), ("a", 2, 2.0), ("b", 3, 1.0))
    assert chosen(unique_pairs(e)) == {("b", 3)}
    assert chosen(unique_pairs(e, tiebreak=pl.col("dist") > 1.5)) == {("a", 2), ("b", 3)}
    assert chosen(mutual_best(e, "dist", higher_is_better=False)) == {("a", 1), ("b", 3)}
    assert chosen(mutual_best(edges(("a", 1, 1.0), ("a", 2, 1.0)), "dist", False)) == set()
