"""Pictures of a report and of the network map, drawn with matplotlib (its object API, no
pyplot: no display, no system dependency) as SVG — text kept as text, so that names can be
searched and read — or PNG. Every word is the reader's language (`projections.report_words`
and the `Wording` the API passes in): French first, English on request.

A report's chart is what a funder puts on a slide: titled with the scope and the period, one
panel per breakdown with labelled axes, withheld figures shown as such, never as zero.
The network map places the institutions on a circle grouped by sector (colour), the edges
weighted by shared beneficiaries and styled by their strongest tie; an edge with shared
beneficiaries and no tie at all is drawn in red.
"""

from __future__ import annotations

import io
import math
import threading
from typing import TYPE_CHECKING, Any, Literal

from domain.wording import Wording
from projections.report_words import TIES, LineWords, MapWords, ReportWords, decimal

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

ImageFormat = Literal["svg", "png"]
MEDIA_TYPES = {"svg": "image/svg+xml", "png": "image/png"}

SECTOR_COLOURS = {
    "social": "#1b9e77",
    "medico_social": "#7570b3",
    "health": "#d95f02",
    "education": "#e6ab02",
    "justice": "#66a61e",
    "other": "#666666",
}
# strongest tie -> (colour, line style); its label: report_words.TIES
TIE_STYLES: dict[str, tuple[str, Any]] = {
    "convention": ("#08306b", "-"),
    "charter": ("#4292c6", "-"),
    "formal_network": ("#41ab5d", "--"),
    "informal_network": ("#9e9ac8", ":"),
    "none": ("#d7191c", "-"),
}
PANELS = (
    "beneficiaries",
    "institutions_per_beneficiary",
    "interventions_by_kind",
    "actions_by_basis",
)

# pyplot is not used (it keeps global figures); the lock keeps rcParams and the font cache
# consistent when two requests draw at once.
_LOCK = threading.Lock()
_RC: Any = {"svg.fonttype": "none", "svg.hashsalt": "maillage", "font.size": 10}


def _save(figure: Figure, fmt: ImageFormat, *, tight: bool = True) -> bytes:
    out = io.BytesIO()
    figure.savefig(
        out,
        format=fmt,
        dpi=150 if fmt == "png" else 72,
        metadata=_metadata(fmt),
        bbox_inches="tight" if tight else None,
    )
    return out.getvalue()


def _metadata(fmt: ImageFormat) -> dict[str, str | None]:
    if fmt == "svg":
        return {"Date": None, "Creator": "Maillage"}
    return {"Software": "Maillage"}


def _panel(ax: Axes, line: LineWords, report: ReportWords, words: Wording) -> None:
    labels = [c.label for c in line.cells]
    values = [c.value or 0 for c in line.cells]
    positions = list(range(len(labels)))
    bars = ax.barh(positions, values, color="#3182bd")
    top = max(values, default=0) or 1
    for bar, cell in zip(bars, line.cells, strict=True):
        if cell.value is None:
            bar.set_hatch("//")
            bar.set_edgecolor("#999999")
            ax.text(
                0,
                bar.get_y() + bar.get_height() / 2,
                f" {report.withheld_label}",
                va="center",
                fontsize=8,
                color="#666666",
            )
        else:
            text = f" {cell.value}"
            if cell.share is not None and line.name == "actions_by_basis":
                text += " " + words.gettext("({percent}%)", percent=round(cell.share * 100))
            ax.text(cell.value, bar.get_y() + bar.get_height() / 2, text, va="center", fontsize=8)
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.3)
    total = line.total.value
    total_text = f"{total}" if total is not None else report.withheld_label
    ax.set_title(
        words.gettext("{title} — total: {total}", title=line.title, total=total_text),
        fontsize=10,
        loc="left",
    )
    ax.set_xlabel(line.axis_label)
    ax.xaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]


def report_chart(report: ReportWords, words: Wording, fmt: ImageFormat = "svg") -> bytes:
    import matplotlib  # here, not at import: serving and the CLI start without it
    from matplotlib.figure import Figure

    with _LOCK, matplotlib.rc_context(_RC):
        figure = Figure(figsize=(11, 8), layout="constrained")
        axes = figure.subplots(2, 2)
        for ax, name in zip(axes.flat, PANELS, strict=True):
            _panel(ax, report.line(name), report, words)
        median = report.median_days_to_first_meeting
        if median is not None:
            days = decimal(median, words)
            note = words.gettext("{what}: {days}", what=report.median_label, days=days)
        elif report.median_suppressed:
            note = words.gettext(
                "{what}: {withheld}", what=report.median_label, withheld=report.withheld_label
            )
        else:
            note = words.gettext("No coordination meeting yet")
        figure.text(0.0, -0.01, report.withheld_note, fontsize=8, color="#555555", va="top")
        title = words.gettext(
            "{scope} ({kind}) — {period}",
            scope=report.scope_name,
            kind=report.scope_kind_label,
            period=report.period_label,
        )
        figure.suptitle(f"{title}\n{note}", fontsize=13)
        return _save(figure, fmt)


WIDTH_CLASSES = (0.6, 1.6, 3.0, 4.5)  # line widths: fewer than k, then by thirds of the heaviest


def network_map_chart(found: MapWords, words: Wording, fmt: ImageFormat = "svg") -> bytes:
    """Laid out by hand rather than by a tight bounding box (which draws everything twice):
    the circle, a margin as wide as the longest name, the title above and the legend below.
    Edges of one tie and one width class are one path: a few elements, however many edges."""
    import matplotlib  # here, not at import: serving and the CLI start without it
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    n = len(found.nodes)
    font = 10 if n <= 30 else (7 if n <= 100 else 5)
    diameter = 7.0 if n <= 30 else (10.0 if n <= 100 else 13.0)  # inches
    longest = max((len(node.name) for node in found.nodes), default=10)  # names in full
    margin = 0.3 + longest * font * 0.55 / 72
    title, legend = 1.0, 1.6
    width, height = diameter + 2 * margin, diameter + 2 * margin + title + legend
    with _LOCK, matplotlib.rc_context(_RC):
        figure = Figure(figsize=(width, height))
        ax = figure.add_axes(
            (margin / width, (legend + margin) / height, diameter / width, diameter / height)
        )
        ax.set_xlim(-1.02, 1.02)
        ax.set_ylim(-1.02, 1.02)
        ax.set_aspect("equal")
        ax.axis("off")
        where = {}
        for index, node in enumerate(found.nodes):
            angle = 2 * math.pi * index / max(n, 1)
            where[node.institution_id] = (math.cos(angle), math.sin(angle), angle)
        heaviest = max((e.weight or 0 for e in found.edges), default=1) or 1
        groups: dict[tuple[str, int], list[tuple[float, float, float, float]]] = {}
        for e in found.edges:
            if e.source not in where or e.target not in where:
                continue
            weight = e.weight or 0
            size = 0 if e.few or not weight else min(1 + 3 * (weight - 1) // heaviest, 3)
            (x0, y0, _), (x1, y1, _) = where[e.source], where[e.target]
            groups.setdefault((e.tie, size), []).append((x0, y0, x1, y1))
        for (tie, size), segments in sorted(groups.items()):
            colour, style = TIE_STYLES[tie]
            vertices = [point for x0, y0, x1, y1 in segments for point in ((x0, y0), (x1, y1))]
            codes = [code for _ in segments for code in (Path.MOVETO, Path.LINETO)]
            ax.add_artist(  # not add_patch: the limits are set, no need to walk the path
                PathPatch(
                    Path(vertices, codes),
                    fill=False,
                    edgecolor=colour,
                    linewidth=WIDTH_CLASSES[size],
                    linestyle=style,
                    alpha=0.9 if tie == "none" else 0.6,
                    zorder=3 if tie == "none" else 1 + size / 10,
                )
            )
        ax.scatter(
            [where[node.institution_id][0] for node in found.nodes],
            [where[node.institution_id][1] for node in found.nodes],
            s=60 if n > 60 else 140,
            c=[SECTOR_COLOURS.get(node.sector, "#666666") for node in found.nodes],
            edgecolors="white",
            zorder=4,
        )
        for node in found.nodes:
            x, y, angle = where[node.institution_id]
            degrees = math.degrees(angle)
            flip = 90 < degrees < 270
            ax.text(
                x * 1.04,
                y * 1.04,
                node.name,
                rotation=degrees - 180 if flip else degrees,
                rotation_mode="anchor",
                ha="right" if flip else "left",
                va="center",
                fontsize=font,
                zorder=5,
            )
        sectors = sorted({(node.sector, node.sector_label) for node in found.nodes})
        handles = [
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                color=SECTOR_COLOURS.get(sector, "#666666"),
                label=label,
            )
            for sector, label in sectors
        ] + [
            Line2D(
                [], [], color=colour, linestyle=style, linewidth=2, label=words.gettext(TIES[tie])
            )
            for tie, (colour, style) in TIE_STYLES.items()
        ]
        figure.legend(
            handles=handles,
            loc="lower center",
            bbox_to_anchor=(0.5, 0.1 / height),
            fontsize=9,
            frameon=False,
            ncols=2,
            title=words.gettext(
                "Sector (node) · strongest tie (edge; the wider, the more shared beneficiaries; "
                "thinnest: fewer than {k})",
                k=found.min_cell,
            ),
        )
        counts = words.gettext(
            "{institutions}, {links}; red: shared beneficiaries with no partnership",
            institutions=words.ngettext("{n} institution", "{n} institutions", len(found.nodes)),
            links=words.ngettext("{n} link", "{n} links", len(found.edges)),
        )
        heading = words.gettext("Who works with whom — {period}", period=found.period_label)
        figure.suptitle(f"{heading}\n{counts}", fontsize=14, y=1 - 0.15 / height, va="top")
        return _save(figure, fmt, tight=False)
