"""A chart bar is a link (issue 12 item 4): clicking the bar of a channel on the dashboard opens
the inbox listing the appeals behind it, with the same filters."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def data(transactional_db: None) -> Any:
    from tests.factories import build_ministry
    from tests.reports.scenario import build

    ministry = build_ministry()
    build(ministry)
    return ministry


def test_clicking_a_channel_bar_opens_the_inbox_with_that_channel(
    session_for: Any, data: Any
) -> None:
    page = session_for(data.wg_member, next_url="/appeals/inbox/").page
    page.goto("/reports/?date_from=2026-11-01")
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-channels')")
    point = page.evaluate(
        """() => {
            const chart = Chart.getChart('chart-channels');
            const bar = chart.getDatasetMeta(0).data[0];
            const label = chart.data.labels[0];
            return {x: bar.x, y: (bar.y + chart.chartArea.bottom) / 2, label: label};
        }"""
    )
    canvas = page.locator("#chart-channels")
    with page.expect_navigation():
        canvas.click(position={"x": point["x"], "y": point["y"]})
    assert "/appeals/inbox/" in page.url and "tab=all" in page.url
    assert "channel=" in page.url and "date_from=2026-11-01" in page.url
