"""Bar charts drawn on the server as SVG geometry for a template: no script, no style attribute
(the Content-Security-Policy allows neither); sizes and colours are SVG presentation attributes."""

from dataclasses import dataclass

BAR_HEIGHT = 22
GAP = 6
LABEL_WIDTH = 180
BAR_AREA = 300
COUNT_WIDTH = 70


@dataclass
class ChartBar:
    label: str
    count: int
    percent: int
    y: int
    text_y: int
    width: int


@dataclass
class Chart:
    width: int
    height: int
    label_width: int
    bars: list[ChartBar]
    count_x: int


def bar_chart(bars) -> Chart:
    """Horizontal bars, one per value or choice, their lengths by share of the answers."""
    rows = []
    for index, bar in enumerate(bars):
        y = index * (BAR_HEIGHT + GAP)
        rows.append(
            ChartBar(
                label=bar.label,
                count=bar.count,
                percent=round(bar.share * 100),
                y=y,
                text_y=y + BAR_HEIGHT // 2 + 5,
                width=max(round(bar.share * BAR_AREA), 1 if bar.count else 0),
            )
        )
    return Chart(
        width=LABEL_WIDTH + BAR_AREA + COUNT_WIDTH,
        height=max(len(rows) * (BAR_HEIGHT + GAP) - GAP, BAR_HEIGHT),
        label_width=LABEL_WIDTH,
        bars=rows,
        count_x=LABEL_WIDTH + BAR_AREA + 8,
    )
