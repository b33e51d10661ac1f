"""The network timeline places ads at their posting date only, and counts those without one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from vigie.web.charts import timeline

T0 = datetime(2026, 10, 1, tzinfo=UTC)


def _ad(ad_id: str, zone: str, posted: datetime | None) -> Any:
    raw = SimpleNamespace(posted_at=posted)
    return SimpleNamespace(raw=raw, first_seen=T0, zone=zone, title=ad_id, site="s", ad_id=ad_id)


def test_undated_ads_are_counted_and_left_off_the_timeline() -> None:
    ads = [_ad("a", "5339", T0 + timedelta(days=2)), _ad("b", "5340", None), _ad("c", "5340", None)]
    chart = timeline(ads)
    assert chart.undated == 2
    assert [p.label for p in chart.points] == ["a"]
    assert [zone for zone, _ in chart.rows] == ["5339"]
    assert chart.start == chart.end == T0 + timedelta(days=2)
    assert timeline([_ad("a", "5339", T0)]).undated == 0
