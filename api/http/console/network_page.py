"""The console's network map: who works with whom, drawn as an inline SVG a supervisor can read
with a mouse, a keyboard or a screen reader, and printed as a table.

The map is the API's (`api.http.report_reading.read_map`: the same admission, the same period
grid, small counts withheld). The picture the API draws is matplotlib's; here the same data is
laid out in Python (institutions on a circle, grouped by sector) and drawn by the template, so
that each tie can be focused and its details shown. A tie with shared beneficiaries and no
partnership is red AND dashed, and the legend says so in words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from api.http.console.pages import Console
from api.http.console.reports_page import PeriodQuery, period_bounds, period_choices, terms
from api.http.console.routing import ConsoleDep, ConsoleRoute
from api.http.guard import admits
from api.http.report_reading import read_map
from domain.access import READING_THE_NETWORK_MAP
from domain.labels import label
from projections.charts import SECTOR_COLOURS
from projections.report_words import TIES, EdgeWords, MapWords, NodeWords

router = APIRouter(route_class=ConsoleRoute)
WIDTH, HEIGHT = 900, 670
CENTRE_X, CENTRE_Y, RADIUS = 450, 290, 210
NODE_RADIUS = 12
# strongest tie -> (colour, dash pattern, width); the words are report_words.TIES
TIE_DRAWING = {
    "convention": ("#08306b", "", 4),
    "charter": ("#2166ac", "", 3),
    "formal_network": ("#1b7837", "10 4 2 4", 3),
    "informal_network": ("#5e3c99", "2 4", 3),
    "none": ("#c0161a", "8 5", 4),
}
SectorQuery = Annotated[str | None, Query(max_length=40)]  # one of the map's, or ignored


@dataclass(frozen=True)
class PlacedNode:
    node: NodeWords
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str
    colour: str


@dataclass(frozen=True)
class PlacedTie:
    edge: EdgeWords
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str
    dash: str
    width: int
    details: str  # the sentence: its title and accessible name
    who: str  # the box shown on focus: two lines
    what: str

    @property
    def box(self) -> tuple[float, float, float]:
        """Where the box of details goes (x, y of its top left corner) and its width: at the
        tie's middle, inside the picture."""
        width = 7.2 * max(len(self.who), len(self.what)) + 16
        x = min(max((self.x1 + self.x2) / 2 - width / 2, 4), WIDTH - width - 4)
        y = min(max((self.y1 + self.y2) / 2 - 22, 4), HEIGHT - 48)
        return x, y, width


def place(nodes: list[NodeWords]) -> list[PlacedNode]:
    """Institutions on a circle in the map's order (sector, then name), labels outside it."""
    placed = []
    for index, node in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * index / max(len(nodes), 1)
        x, y = CENTRE_X + RADIUS * math.cos(angle), CENTRE_Y + RADIUS * math.sin(angle)
        cos = math.cos(angle)
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        label_x = CENTRE_X + (RADIUS + 16) * cos
        label_y = CENTRE_Y + (RADIUS + 16) * math.sin(angle) + 4
        colour = SECTOR_COLOURS.get(node.sector, SECTOR_COLOURS["other"])
        placed.append(PlacedNode(node, x, y, label_x, label_y, anchor, colour))
    return placed


def details_of(edge: EdgeWords, console: Console, min_cell: int) -> tuple[str, str]:
    """What a tie is: who, then how many shared beneficiaries and under which tie."""
    words = console.words
    if edge.few:
        shared = words.gettext("fewer than {k} shared beneficiaries (figure withheld)", k=min_cell)
    elif edge.weight:
        shared = words.ngettext("{n} shared beneficiary", "{n} shared beneficiaries", edge.weight)
    else:
        shared = words.gettext("no shared beneficiary")
    if edge.unbound:
        tie = words.gettext("no partnership")
    else:
        tie = edge.tie_label + (f" ({', '.join(edge.ties)})" if edge.ties else "")
    return f"{edge.source_name} — {edge.target_name}", words.gettext(
        "{shared}; {tie}", shared=shared, tie=tie
    )


def draw(
    found: MapWords, sector: str | None, console: Console
) -> tuple[list[PlacedNode], list[PlacedTie]]:
    """The map's institutions (those of `sector` only, when one is chosen) and the ties
    between those shown."""
    nodes = [n for n in found.nodes if not sector or n.sector == sector]
    placed = place(nodes)
    at = {p.node.institution_id: p for p in placed}
    ties = []
    for edge in found.edges:
        a, b = at.get(edge.source), at.get(edge.target)
        if a is None or b is None:
            continue
        colour, dash, width = TIE_DRAWING[edge.tie]
        who, what = details_of(edge, console, found.min_cell)
        sentence = console.words.gettext("{who}: {what}", who=who, what=what)
        x1, y1, x2, y2 = _between(a, b)
        ties.append(PlacedTie(edge, x1, y1, x2, y2, colour, dash, width, sentence, who, what))
    return placed, ties


def _between(a: PlacedNode, b: PlacedNode) -> tuple[float, float, float, float]:
    """The line from `a`'s circle to `b`'s, not across them: ties are drawn above the circles,
    so that a focused tie's details are not hidden by them."""
    length = math.hypot(b.x - a.x, b.y - a.y) or 1.0
    dx, dy = (b.x - a.x) / length * NODE_RADIUS, (b.y - a.y) / length * NODE_RADIUS
    return a.x + dx, a.y + dy, b.x - dx, b.y - dy


@router.get("/console/network")
@admits(READING_THE_NETWORK_MAP)
def network_page(
    console: ConsoleDep, sector: SectorQuery = None, period: PeriodQuery = None
) -> Response:
    session = console.session
    assert session is not None
    found_terms = terms(console)
    first, last = period_bounds(period)
    with console.services.engine.connect() as conn:
        found = read_map(found_terms, session.principal, conn, console.words, first, last)
    sectors = sorted({n.sector for n in found.nodes})
    chosen = sector if sector in sectors else None
    nodes, ties = draw(found, chosen, console)
    legend_sectors = sorted({p.node.sector for p in nodes})
    return console.render(
        "network.html",
        found=found,
        nodes=nodes,
        ties=ties,
        sectors=[(s, label(console.words, "sector", s)) for s in sectors],
        legend_sectors=[
            (label(console.words, "sector", s), SECTOR_COLOURS.get(s, SECTOR_COLOURS["other"]))
            for s in legend_sectors
        ],
        legend_ties=[
            (code, console.words.gettext(TIES[code]), *TIE_DRAWING[code]) for code in TIE_DRAWING
        ],
        chosen_sector=chosen,
        chosen_sector_label=label(console.words, "sector", chosen) if chosen else None,
        periods=period_choices(console, found_terms),
        chosen=f"{found.first_month}/{found.last_month}",
        width=WIDTH,
        height=HEIGHT,
    )
