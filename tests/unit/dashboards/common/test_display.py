"""display: how times read on every page."""
from backup_dashboard.dashboards.common import display


def test_times_carry_their_zone_and_utc_on_hover():
    assert display.local_text('2026-07-01 12:00:00', 'America/St_Johns') == \
        '2026-07-01 09:30 NDT'
    assert display.local_text(None, 'UTC') == '-'
    html = display.time_html('2026-11-22T08:21:33.000000', 'Asia/Kolkata')
    assert html == ('<time datetime="2026-11-22T08:21:33+00:00" '
                    'title="2026-11-22 08:21 UTC">2026-11-22 13:51 IST</time>')
    assert display.time_html('', 'UTC') == '-'
