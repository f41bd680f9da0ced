"""Runs per day, stacked by outcome, as plain SVG geometry for a template.

No front-end framework: the template draws the rectangles this returns.
"""
HEIGHT = 100
BAR = 14
GAP = 4
COLORS = {'ok': '#5cb85c', 'partial': '#f0ad4e', 'failed': '#d9534f',
          'other': '#999999'}
ORDER = ('ok', 'partial', 'failed', 'other')


def stacked_bars(days):
    """days: [(date, {outcome: count})] -> geometry and totals."""
    tallest = max([sum(c.values()) for _, c in days] + [1])
    bars = []
    totals = dict.fromkeys(ORDER, 0)
    for index, (day, counts) in enumerate(days):
        x = index * (BAR + GAP)
        y = HEIGHT
        rects = []
        for outcome in ORDER:
            count = counts.get(outcome, 0)
            totals[outcome] += count
            if not count:
                continue
            height = max(1, round(count * HEIGHT / tallest))
            y -= height
            rects.append({'x': x, 'y': y, 'height': height,
                          'color': COLORS[outcome], 'outcome': outcome,
                          'count': count})
        bars.append({'day': day.isoformat(), 'x': x, 'rects': rects,
                     'total': sum(counts.values())})
    return {'bars': bars, 'width': len(days) * (BAR + GAP), 'height': HEIGHT,
            'bar': BAR, 'totals': totals, 'colors': COLORS,
            'tallest': tallest}
