"""The curation request and export models: what they accept, normalize and refuse."""

from __future__ import annotations

import pytest
from api.curation import CurationDocument, ImportIn, ManualMatchIn, NoteIn, NotePatch, SolutionIn
from pydantic import ValidationError

STAMP = {"author": "ann", "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-02T00:00:00Z"}
UUID = "0b4f3a52-8c1e-4a57-9d0e-3f1a2b3c4d5e"


def errors(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    """The first element of each error's location."""
    return {str(e["loc"][0]) for e in exc.value.errors()}


def test_manual_match_keeps_ids_in_order_without_repeats_and_strips_author() -> None:
    m = ManualMatchIn(sloid="ch:1:sloid:7000:1", osm_ids=["12", " way_3 ", "12"], author="  ann ")
    assert m.osm_ids == ["12", "way_3"] and m.author == "ann" and m.action == "match"


def test_manual_match_accepts_the_ui_spelling() -> None:
    m = ManualMatchIn.model_validate(
        {"sloid": "s", "osm_id": "7", "action": "unmatch", "note": "other", "author": "a"}
    )
    assert (m.osm_ids, m.action, m.comment) == (["7"], "unmatch", "other")
    assert (
        ManualMatchIn.model_validate({"sloid": "s", "osm_id": "7", "note": None, "author": "a"}).comment == ""
    )


@pytest.mark.parametrize("ids", [[], ["node/1"], ["0"], ["-5"], ["relation_3"], ["way_"], ["1"] * 51])
def test_manual_match_refuses_what_is_not_an_osm_id(ids: list[str]) -> None:
    with pytest.raises(ValidationError) as exc:
        ManualMatchIn(sloid="s", osm_ids=ids, author="a")
    assert errors(exc) == {"osm_ids"}


@pytest.mark.parametrize(
    "body, field",
    [
        ({"sloid": "s", "osm_ids": ["1"], "author": " "}, "author"),
        ({"sloid": "s", "osm_ids": ["1"], "author": "x" * 101}, "author"),
        ({"sloid": "", "osm_ids": ["1"], "author": "a"}, "sloid"),
        ({"sloid": "s", "osm_ids": ["1"], "author": "a", "action": "pin"}, "action"),
        ({"sloid": "s", "osm_ids": ["1"], "author": "a", "colour": "red"}, "colour"),
    ],
)
def test_manual_match_refusals_name_the_field(body: dict, field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        ManualMatchIn.model_validate(body)
    assert field in errors(exc)


def test_solution_status_is_one_of_five() -> None:
    assert SolutionIn(status="false_positive", author="a").text == ""
    with pytest.raises(ValidationError) as exc:
        SolutionIn.model_validate({"status": "fixed", "author": "a"})
    assert errors(exc) == {"status"}


def test_note_by_sloid_is_a_note_on_the_official_stop() -> None:
    n = NoteIn.model_validate({"sloid": "ch:1:sloid:1", "text": "ramp", "author": "a"})
    assert (n.target_type, n.target_id) == ("atlas", "ch:1:sloid:1")
    with pytest.raises(ValidationError) as exc:
        NoteIn.model_validate({"target_type": "gtfs", "target_id": "x", "text": "t", "author": "a"})
    assert errors(exc) == {"target_type"}


@pytest.mark.parametrize("text", ["", "   ", "x" * 5001])
def test_note_text_must_say_something(text: str) -> None:
    with pytest.raises(ValidationError):
        NotePatch(text=text, author="a")


def test_document_version_and_format_are_checked() -> None:
    assert CurationDocument(format="stopsync-curation", version=1).notes == []
    for bad in ({"format": "other", "version": 1}, {"format": "stopsync-curation", "version": 2}):
        with pytest.raises(ValidationError):
            CurationDocument.model_validate(bad)


def test_document_refuses_repeated_ids_and_bad_rows() -> None:
    note = {"id": UUID, "target_type": "osm", "target_id": "1", "text": "t", **STAMP}
    doc = {"format": "stopsync-curation", "version": 1}
    assert len(CurationDocument.model_validate(doc | {"notes": [note]}).notes) == 1
    with pytest.raises(ValidationError, match="more than once"):
        CurationDocument.model_validate(doc | {"notes": [note, note]})
    match = {"id": UUID, "sloid": "s", "osm_ids": ["n1"], "action": "match", **STAMP}
    with pytest.raises(ValidationError, match="not OSM ids"):
        CurationDocument.model_validate(doc | {"manual_matches": [match]})


def test_exported_per_run_state_is_ignored_on_import() -> None:
    solution = {"problem_id": "p", "status": "open", "needs_review": True, "last_seen_run_id": "r", **STAMP}
    body = ImportIn.model_validate(
        {"author": "ops", "document": {"format": "stopsync-curation", "version": 1, "solutions": [solution]}}
    )
    dumped = body.document.model_dump(mode="json")["solutions"][0]
    assert "needs_review" not in dumped and dumped["created_at"].startswith("2026-01-01")
