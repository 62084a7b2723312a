"""One way to fail: an expected mistake (ShopfloorError) is shown as it is; anything else
is one line and its traceback in shopfloor.log beside the database."""

from __future__ import annotations

from tui.db.pdca.form import PlanError
from tui.errors import fault_words, use_log_folder


def test_an_expected_mistake_is_shown_as_it_is(tmp_path):
    use_log_folder(tmp_path)
    assert fault_words(PlanError("the period ends before it starts"), "Not saved") == \
        "the period ends before it starts"
    assert issubclass(PlanError, ValueError)  # its old base kept for old callers
    assert not (tmp_path / "shopfloor.log").exists()  # nothing to log


def test_a_fault_is_one_line_and_its_traceback_is_logged(tmp_path):
    use_log_folder(tmp_path)

    def deep() -> None:
        raise RuntimeError("disk I/O error")

    try:
        deep()
    except RuntimeError as exc:
        words = fault_words(exc, "Not saved")
    log = tmp_path / "shopfloor.log"
    assert words == f"Not saved: disk I/O error. Try again; details in {log}."
    text = log.read_text(encoding="utf-8")
    assert "ERROR Not saved" in text and "Traceback" in text and "in deep" in text
    assert "RuntimeError: disk I/O error" in text


def test_the_log_follows_the_database_folder(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    use_log_folder(first)
    fault_words(KeyError("x"), "Could not read the queue")
    use_log_folder(second)
    fault_words(KeyError("y"), "Could not read the queue")
    assert "KeyError: 'x'" in (first / "shopfloor.log").read_text(encoding="utf-8")
    assert "KeyError: 'y'" in (second / "shopfloor.log").read_text(encoding="utf-8")
    assert "'y'" not in (first / "shopfloor.log").read_text(encoding="utf-8")
