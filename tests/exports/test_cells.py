"""Spreadsheet cells that never run as formulas, and come back exactly as they were."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.exports.cells import quote_formula, unquote_formula


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+49 611 123", "'+49 611 123"),
        ("-Stille-", "'-Stille-"),
        ("@everyone", "'@everyone"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("'=1+1", "''=1+1"),  # already an apostrophe: one more, so reading back removes only ours
        ("'Round Midnight", "'Round Midnight"),  # an apostrophe before plain text is left alone
        ("Dear Comrades!", "Dear Comrades!"),
        ("", ""),
    ],
    ids=[
        "equals",
        "plus",
        "minus",
        "at",
        "tab",
        "carriage_return",
        "quoted_formula",
        "apostrophe_title",
        "plain",
        "empty",
    ],
)
def test_text_starting_like_a_formula_gets_an_apostrophe(text, written):
    assert quote_formula(text) == written
    assert unquote_formula(written) == text


@given(st.text())
def test_quoting_then_unquoting_gives_back_any_text(text):
    assert unquote_formula(quote_formula(text)) == text


@given(st.text())
def test_quoted_text_never_starts_like_a_formula(text):
    assert not quote_formula(text).startswith(("=", "+", "-", "@", "\t", "\r"))
