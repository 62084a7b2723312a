"""Fen to ¥ text, worked by hand: the one formatter every sheet, card and panel uses."""

from fractions import Fraction

import pytest

from tui.money import Fen, half_up, yuan


@pytest.mark.parametrize("cents, always, if_any, rounded", [
    (0, "¥0.00", "¥0", "¥0"),
    (1, "¥0.01", "¥0.01", "¥0"),
    (49, "¥0.49", "¥0.49", "¥0"),
    (50, "¥0.50", "¥0.50", "¥1"),          # half a yuan rounds up
    (100, "¥1.00", "¥1", "¥1"),
    (129_950, "¥1,299.50", "¥1,299.50", "¥1,300"),
    (1_234_567_800, "¥12,345,678.00", "¥12,345,678", "¥12,345,678"),
    (-100, "-¥1.00", "-¥1", "-¥1"),        # the sign before the ¥, as on a refund line
    (-150, "-¥1.50", "-¥1.50", "-¥2"),     # half away from zero
    (-49, "-¥0.49", "-¥0.49", "¥0"),       # nothing left to be negative
])
def test_each_way_of_showing_fen(cents, always, if_any, rounded):
    assert yuan(cents, Fen.ALWAYS) == always
    assert yuan(cents, Fen.IF_ANY) == if_any
    assert yuan(cents, Fen.ROUNDED) == rounded


def test_without_symbol_or_grouping_for_a_value_to_type_over():
    assert yuan(123_456, Fen.ALWAYS, symbol=False) == "1,234.56"
    assert yuan(123_456, Fen.ALWAYS, symbol=False, grouped=False) == "1234.56"


def test_worked_out_figures_round_exactly():
    # a third of ¥100.01 is 3333.666… fen: ¥33 rounded; 2,100.5 yuan is exactly half: up
    assert yuan(Fraction(10_001, 3), Fen.ROUNDED) == "¥33"
    assert yuan(Fraction(420_101, 2), Fen.ROUNDED) == "¥2,101"
    assert half_up(Fraction(805, 10)) == 81 and half_up(Fraction(-805, 10)) == -81
    assert half_up(Fraction(12345, 1000), 2) == Fraction(1235, 100)


def test_a_fraction_of_a_fen_is_not_shown_as_if_exact():
    with pytest.raises(TypeError):
        yuan(Fraction(1, 3), Fen.ALWAYS)
