from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipeline.types import Analysis, Place, RawAd
from storage.errors import StorageError, UnknownAd
from storage.repository import Store
from storage.reviews import labelled_ads, latest_decisions, record_decision, reviews_of
from storage.users import OtherZone


def _ad(store: Store, ad_id: str, flags: tuple[str, ...]) -> None:
    raw = RawAd(site="s", ad_id=ad_id, url=f"http://127.0.0.1/{ad_id}", title=ad_id, text="t")
    score = 0.9 if flags else 0.1
    store.save(raw, Analysis(site="s", ad_id=ad_id, flags=flags, minor_score=score))


@pytest.fixture
def store(store: Store) -> Store:
    """The conftest's store (both databases), with three ads."""
    _ad(store, "both", ("minor", "trafficking"))
    _ad(store, "minor", ("minor",))
    _ad(store, "none", ())
    return store


def test_decisions_are_kept_per_user_newest_first(store: Store) -> None:
    t = datetime(2026, 11, 5, 10, tzinfo=UTC)
    record_decision(
        store.engine,
        site="s",
        ad_id="minor",
        actor="ana",
        zone="5339",
        decision="escalate",
        note="to the unit",
        at=t,
    )
    record_decision(
        store.engine, site="s", ad_id="minor", actor="bob", zone="5340", decision="dismiss"
    )
    reviews = reviews_of(store.engine, site="s", ad_id="minor")
    assert [(r.actor, r.decision) for r in reviews] == [("bob", "dismiss"), ("ana", "escalate")]
    assert reviews[1].at == t
    assert reviews[1].note == "to the unit"
    assert latest_decisions(store.engine) == {("s", "minor"): "dismiss"}


def test_bad_decisions_are_refused(store: Store) -> None:
    with pytest.raises(StorageError, match="unknown decision"):
        record_decision(store.engine, site="s", ad_id="minor", actor="a", zone=None, decision="x")
    with pytest.raises(UnknownAd):
        record_decision(
            store.engine, site="s", ad_id="gone", actor="a", zone=None, decision="confirm"
        )


def test_labelled_ads_follow_the_latest_confirm_or_dismiss(store: Store) -> None:
    def decide(ad_id: str, decision: str) -> None:
        record_decision(
            store.engine, site="s", ad_id=ad_id, actor="a", zone=None, decision=decision
        )

    decide("both", "dismiss")
    decide("both", "confirm")
    decide("both", "escalate")  # says nothing: the confirm stands
    decide("minor", "dismiss")
    decide("none", "confirm")  # nothing was flagged: no label
    labels = {raw.ad_id: value for raw, value in labelled_ads(store.engine)}
    assert labels == {
        "both": {"minor": True, "trafficking": True},
        "minor": {"minor": False, "trafficking": None},
    }
    raws = [raw for raw, _ in labelled_ads(store.engine)]
    assert all(isinstance(r, RawAd) and r.url.startswith("http://127.0.0.1/") for r in raws)


def test_an_ad_is_decided_by_its_own_zone(store: Store) -> None:
    raw = RawAd(site="s", ad_id="z", url="http://127.0.0.1/z", title="z", text="t")
    place = Place("Anderlecht", "5340", None, True, ())
    store.save(raw, Analysis(site="s", ad_id="z", place=place, flags=("minor",)))
    with pytest.raises(OtherZone, match="zone 5340"):
        record_decision(store.engine, site="s", ad_id="z", actor="a", zone="5339",
                        decision="dismiss", for_zone="5339")
    assert reviews_of(store.engine, site="s", ad_id="z") == []
    own = record_decision(store.engine, site="s", ad_id="z", actor="b", zone="5340",
                          decision="confirm", for_zone="5340")
    assert own.ad_zone == "5340"
    record_decision(store.engine, site="s", ad_id="z", actor="admin", zone="5339",
                    decision="escalate", for_zone=None)  # an administrator
    # an ad of no zone (its place unknown) is anyone's to decide
    record_decision(store.engine, site="s", ad_id="minor", actor="a", zone="5339",
                    decision="confirm", for_zone="5339")
    assert len(reviews_of(store.engine, site="s", ad_id="z")) == 2


def test_a_decision_on_one_flag_labels_that_flag_even_on_an_unflagged_ad(store: Store) -> None:
    record_decision(store.engine, site="s", ad_id="none", actor="a", zone=None,
                    decision="confirm", target="trafficking")  # fmt: skip
    record_decision(store.engine, site="s", ad_id="both", actor="a", zone=None,
                    decision="dismiss", target="minor")  # fmt: skip
    labels = {raw.ad_id: lab for raw, lab in labelled_ads(store.engine)}
    assert labels["none"] == {"minor": None, "trafficking": True}
    assert labels["both"] == {"minor": False, "trafficking": None}
    review = reviews_of(store.engine, site="s", ad_id="none")[0]
    assert review.target == "trafficking"


def test_per_flag_decisions_combine_and_the_latest_per_flag_wins(store: Store) -> None:
    record_decision(store.engine, site="s", ad_id="both", actor="a", zone=None,
                    decision="confirm")  # fmt: skip  (both flags confirmed)
    record_decision(store.engine, site="s", ad_id="both", actor="b", zone=None,
                    decision="dismiss", target="trafficking")  # fmt: skip
    labels = {raw.ad_id: lab for raw, lab in labelled_ads(store.engine)}
    assert labels["both"] == {"minor": True, "trafficking": False}


def test_an_unknown_flag_is_refused(store: Store) -> None:
    with pytest.raises(StorageError, match="unknown flag"):
        record_decision(store.engine, site="s", ad_id="none", actor="a", zone=None,
                        decision="confirm", target="vibes")  # fmt: skip
