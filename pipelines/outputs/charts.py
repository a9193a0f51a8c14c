"""Small, dependency-free SVG charts for the static report (no scripts, no fonts, no network)."""

from __future__ import annotations

from html import escape

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2"]


def fmt(value: float | None, decimals: int = 1) -> str:
    """Thousands separated by a thin space, as the documents print them; negatives with a minus sign."""
    if value is None:
        return "—"
    text = f"{abs(value):,.{decimals}f}".replace(",", "\u2009")
    return ("−" if value < 0 else "") + text


def hbar(
    rows: list[tuple[str, list[float | None]]], series: list[str], unit: str, decimals: int = 1, width: int = 900
) -> str:
    """Horizontal grouped bars: one group per row label, one bar per series (diverging when negative)."""
    label_w, value_w, bar_h, gap = 330, 110, 14, 10
    plot_w = width - label_w - value_w
    values = [v for _, vs in rows for v in vs if v is not None]
    lo, hi = min([0.0, *values]), max([0.0, *values]) or 1.0
    span = (hi - lo) or 1.0
    zero = label_w + plot_w * (-lo / span)
    group_h = bar_h * len(series) + gap
    height = 30 + group_h * len(rows)
    out = [
        f'<svg class="chart" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="12">'
    ]
    for i, name in enumerate(series):
        out.append(
            f'<rect x="{label_w + i * 170}" y="4" width="10" height="10" fill="{PALETTE[i % 6]}"/>'
            f'<text x="{label_w + i * 170 + 14}" y="13">{escape(name)}</text>'
        )
    out.append(f'<text x="4" y="13" fill="#555">{escape(unit)}</text>')
    for r, (label, vs) in enumerate(rows):
        y0 = 24 + r * group_h
        out.append(f'<text x="{label_w - 6}" y="{y0 + group_h / 2}" text-anchor="end">{escape(label)}</text>')
        for i, v in enumerate(vs):
            y = y0 + i * bar_h
            if v is None:
                continue
            x1 = label_w + plot_w * ((min(v, 0) - lo) / span)
            w = max(1.0, plot_w * abs(v) / span)
            out.append(
                f'<rect x="{x1:.1f}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" fill="{PALETTE[i % 6]}">'
                f"<title>{escape(label)} · {escape(series[i])}: {fmt(v, decimals)}</title></rect>"
            )
            out.append(f'<text x="{label_w + plot_w + 4}" y="{y + bar_h - 4}" fill="#333">{fmt(v, decimals)}</text>')
    out.append(f'<line x1="{zero:.1f}" y1="20" x2="{zero:.1f}" y2="{height}" stroke="#999"/>')
    out.append("</svg>")
    return "".join(out)


def table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
