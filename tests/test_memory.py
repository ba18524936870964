"""The collector helpers around large builds."""

from __future__ import annotations

import gc

import pytest

from feedtool.memory import frozen_heap, paused_gc


def test_frozen_heap_nests_and_thaws_at_the_outermost_block() -> None:
    assert gc.get_freeze_count() == 0
    outer = [object()]
    with frozen_heap():
        assert gc.get_freeze_count() > 0
        frozen = gc.get_freeze_count()
        inner = [[object()] for _ in range(100)]
        with frozen_heap():
            assert gc.get_freeze_count() >= frozen + len(inner)
        # The inner block ending does not thaw what the outer one froze.
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
    assert outer and inner


def test_paused_gc_restores_the_collector() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_paused_gc_freezes_what_it_made_inside_a_frozen_heap() -> None:
    with frozen_heap():
        before = gc.get_freeze_count()
        with paused_gc():
            made = [[object()] for _ in range(1000)]
        # Frozen as the collector resumes: its collections do not scan them.
        assert gc.get_freeze_count() >= before + len(made)
    assert gc.get_freeze_count() == 0


def test_paused_gc_outside_a_frozen_heap_freezes_nothing() -> None:
    with paused_gc():
        made = [[object()] for _ in range(1000)]
    assert gc.get_freeze_count() == 0
    assert made


def test_keep_holds_objects_only_once_asked_to(monkeypatch: pytest.MonkeyPatch) -> None:
    import weakref

    from feedtool import memory

    class Thing:
        pass

    monkeypatch.setattr(memory, "_KEPT", [])
    first = Thing()
    gone = weakref.ref(first)
    memory.keep(first)
    del first
    assert gone() is None  # not asked to: nothing is held
    memory.keep_until_exit()
    second = Thing()
    held = weakref.ref(second)
    memory.keep(second)
    del second
    assert held() is not None
