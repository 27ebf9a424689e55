"""Pictures of a report and of the network map, drawn with matplotlib (its object API, no
pyplot: no display, no system dependency) as SVG — text kept as text, so that names can be
searched and read — or PNG.

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

from domain.network_map import NetworkMap
from domain.reports import PublishedLine, Report

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
# strongest tie -> (colour, line style, label)
TIE_STYLES: dict[str, tuple[str, Any, str]] = {
    "convention": ("#08306b", "-", "convention"),
    "charter": ("#4292c6", "-", "charter"),
    "formal_network": ("#41ab5d", "--", "formal network"),
    "informal_network": ("#9e9ac8", ":", "informal network only"),
    "none": ("#d7191c", "-", "shared beneficiaries, no partnership"),
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


def _label(text: str) -> str:
    return text.replace("_", " ")


def _panel(ax: Axes, line: PublishedLine) -> None:
    labels = [_label(c.label) for c in line.cells]
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
                " withheld",
                va="center",
                fontsize=8,
                color="#666666",
            )
        else:
            text = f" {cell.value}"
            if cell.share is not None and line.name == "actions_by_basis":
                text += f" ({cell.share:.0%})"
            ax.text(cell.value, bar.get_y() + bar.get_height() / 2, text, va="center", fontsize=8)
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.3)
    total = line.total.value
    total_text = f"{total}" if total is not None else "withheld"
    ax.set_title(f"{line.title} — total: {total_text}", fontsize=10, loc="left")
    ax.set_xlabel(f"number of {line.unit}")
    ax.xaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]


def report_chart(report: Report, fmt: ImageFormat = "svg") -> bytes:
    import matplotlib  # here, not at import: serving and the CLI start without it
    from matplotlib.figure import Figure

    with _LOCK, matplotlib.rc_context(_RC):
        figure = Figure(figsize=(11, 8), layout="constrained")
        axes = figure.subplots(2, 2)
        for ax, name in zip(axes.flat, PANELS, strict=True):
            _panel(ax, report.line(name))
        median = report.median_days_to_first_meeting
        if median is not None:
            note = f"Median days from opening to first coordination meeting: {median:g}"
        elif report.median_suppressed:
            note = "Median days to first coordination meeting: withheld"
        else:
            note = "No coordination meeting yet"
        figure.text(
            0.0,
            -0.01,
            f"Withheld: a figure with 1 to {report.min_cell - 1} beneficiaries behind it, or one "
            "that would let such a figure be recovered. Zeros are shown: they single out nobody.",
            fontsize=8,
            color="#555555",
            va="top",
        )
        figure.suptitle(
            f"{report.scope_name} ({report.scope_kind}) — {report.period}\n{note}",
            fontsize=13,
        )
        return _save(figure, fmt)


WIDTH_CLASSES = (0.6, 1.6, 3.0, 4.5)  # line widths: fewer than k, then by thirds of the heaviest


def network_map_chart(found: NetworkMap, fmt: ImageFormat = "svg") -> bytes:
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
            colour, style, _ = TIE_STYLES[tie]
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
        sectors = sorted({node.sector for node in found.nodes})
        handles = [
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                color=SECTOR_COLOURS.get(s, "#666666"),
                label=_label(s),
            )
            for s in sectors
        ] + [
            Line2D([], [], color=colour, linestyle=style, linewidth=2, label=label)
            for colour, style, label in TIE_STYLES.values()
        ]
        figure.legend(
            handles=handles,
            loc="lower center",
            bbox_to_anchor=(0.5, 0.1 / height),
            fontsize=9,
            frameon=False,
            ncols=2,
            title=f"Sector (node) · strongest tie (edge; the wider, the more shared "
            f"beneficiaries; thinnest: fewer than {found.min_cell})",
        )
        figure.suptitle(
            f"Who works with whom — {found.period}\n{len(found.nodes)} institutions, "
            f"{len(found.edges)} links; red: shared beneficiaries with no partnership",
            fontsize=14,
            y=1 - 0.15 / height,
            va="top",
        )
        return _save(figure, fmt, tight=False)
