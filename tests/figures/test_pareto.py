"""The Pareto front page and plot."""

from __future__ import annotations

from html.parser import HTMLParser

from bassplan.figures.pareto import FrontRow, front_html, front_png

ROWS = [
    FrontRow("A", 1000.0, 50.0, 20.0, 0.95, 6.0, 1.0, "kardiologi: suh_koege, slagelse"),
    FrontRow("B", 1500.0, 10.0, 28.5, 0.80, 4.0, 0.5, "kardiologi: suh_koege"),
]


def test_the_page_holds_every_plan_and_an_inline_plot() -> None:
    page = front_html(ROWS, "da")
    HTMLParser().feed(page)
    assert page.count("<tr>") == 3  # head + two plans
    assert "<svg" in page and "http" not in page.split("<svg", 1)[0]
    assert "95,0 %" not in page and "95.0 %" in page
    assert "Personalets rejsetimer" in page


def test_the_png_is_an_image_and_the_page_english() -> None:
    assert front_png(ROWS, "en")[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Staff travel hours" in front_html(ROWS, "en")
