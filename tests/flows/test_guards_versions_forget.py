"""A published version after someone asked to be forgotten, as /versions shows it: their
entry of the frozen map says the neutral label and nothing else about them, the "new
owner" lines of the touchpoints they owned then say the label (a touchpoint with "|" or
"=" in its name too), the workshop no longer names its creator, and everyone else's
entries and lines stay as they were."""

from __future__ import annotations

from flows.workshop.versions import OWNER_CHANGE, decode_change, forget_in_version

LABEL = "Former member (Sales)"


def owner_line(touchpoint: str, owner: str) -> str:
    return f"{OWNER_CHANGE}|touchpoint={touchpoint.replace('|', '/')}|owner={owner}"


def version() -> dict:  # type: ignore[type-arg]
    return {
        "number": 2,
        "snapshot": {
            "workshop": {"title": "Shop", "created_by": "tg:1"},
            "members": [
                {"id": "m-1", "name": "Anna", "person_id": "tg:1", "position": "Head"},
                {"id": "m-2", "name": "Bob", "person_id": "tg:2", "position": "Clerk"},
            ],
            "touchpoints": [
                {"name": "Web|shop", "owner_id": "m-1"},
                {"name": "a=b", "owner_id": "m-1"},
                {"name": "Hotline", "owner_id": "m-2"},
            ],
        },
        "changes": [
            owner_line("Web|shop", "Anna"),
            owner_line("a=b", "Anna"),
            owner_line("Hotline", "Bob"),
            "version.change.added|kind=pain|name=Web/shop",
        ],
    }


def test_a_version_forgets_only_the_member_asked_for() -> None:
    out = forget_in_version(version(), "m-1", LABEL, "tg:1")
    anna, bob = out["snapshot"]["members"]
    assert anna == {"id": "m-1", "name": LABEL, "person_id": None, "position": ""}
    assert bob == version()["snapshot"]["members"][1]
    assert out["snapshot"]["workshop"] == {"title": "Shop", "created_by": ""}
    owners = [decode_change(c).params.get("owner") for c in out["changes"]]
    assert owners == [LABEL, LABEL, "Bob", None]
    assert out["changes"][3] == version()["changes"][3]
    assert decode_change(out["changes"][1]).params["touchpoint"] == "a=b"
    assert out["number"] == 2


def test_a_version_of_someone_else_or_without_a_map_stays_as_it_was() -> None:
    other = forget_in_version(version(), "m-9", LABEL, "tg:9")
    assert other["snapshot"]["workshop"]["created_by"] == "tg:1"
    assert other["changes"] == version()["changes"]
    assert [m["name"] for m in other["snapshot"]["members"]] == ["Anna", "Bob"]
    audit = {"number": 2, "snapshot": {}}
    assert forget_in_version(audit, "m-1", LABEL, "tg:1") is audit
    no_changes = {"snapshot": version()["snapshot"]}
    assert "changes" not in forget_in_version(no_changes, "m-1", LABEL, "tg:1")
