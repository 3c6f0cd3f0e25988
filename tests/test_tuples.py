"""``closeapp_lint.core.records.NamedTuple`` behaves as ``typing.NamedTuple`` (compared side by side
with the real one) and defines a record without compiling anything."""

from __future__ import annotations

import builtins
import copy
import pickle
import typing
from typing import Any

import pytest

from closeapp_lint.core.records import NamedTuple


class Point(NamedTuple):
    """A point."""

    x: int
    y: int
    label: str = ""
    tags: tuple[str, ...] = ()

    @property
    def norm(self) -> int:
        return abs(self.x) + abs(self.y)


class RealPoint(typing.NamedTuple):
    x: int
    y: int
    label: str = ""
    tags: tuple[str, ...] = ()


class Wide(NamedTuple):  # more fields than the templates: the checked generic constructor
    f0: int
    f1: int
    f2: int
    f3: int
    f4: int
    f5: int
    f6: int
    f7: int
    f8: int
    f9: int
    f10: int
    f11: int
    f12: int
    f13: int = 13
    f14: int = 14
    f15: int = 15
    f16: int = 16


CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    ((1, 2), {}),
    ((1, 2, "a"), {}),
    ((1, 2, "a", ("t",)), {}),
    ((1,), {"y": 2}),
    ((), {"y": 2, "x": 1, "tags": ("t",)}),
]
BAD_CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    ((1,), {}),
    ((1, 2, "a", (), 5), {}),
    ((1, 2), {"x": 1}),
    ((1, 2), {"z": 1}),
    ((), {}),
]


@pytest.mark.parametrize(("args", "kwargs"), CALLS)
def test_a_record_is_made_and_shown_as_the_real_named_tuple(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    ours, real = Point(*args, **kwargs), RealPoint(*args, **kwargs)
    assert tuple(ours) == tuple(real) and ours == real and hash(ours) == hash(real)  # type: ignore[comparison-overlap]
    assert repr(ours) == repr(real).replace("RealPoint", "Point")
    assert (ours.x, ours.y, ours.label, ours.tags) == (real.x, real.y, real.label, real.tags)
    assert ours._asdict() == real._asdict()


@pytest.mark.parametrize(("args", "kwargs"), BAD_CALLS)
def test_a_wrong_call_raises_the_same_type_error(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    with pytest.raises(TypeError) as ours:
        Point(*args, **kwargs)
    with pytest.raises(TypeError) as real:
        RealPoint(*args, **kwargs)
    assert str(ours.value) == str(real.value).replace("RealPoint", "Point")


def test_the_class_attributes_are_those_of_a_named_tuple() -> None:
    assert Point._fields == RealPoint._fields == Point.__match_args__
    assert Point._field_defaults == RealPoint._field_defaults == {"label": "", "tags": ()}
    assert Point.__doc__ == "A point."
    assert type(Point) is type and Point.__mro__[-2:] == (tuple, object)
    assert Point(3, -4).norm == 7


def test_replace_make_and_their_errors() -> None:
    p = Point(1, 2)
    assert p._replace(label="b") == Point(1, 2, "b")
    assert Point._make([5, 6, "c", ()]) == Point(5, 6, "c")
    with pytest.raises(ValueError, match="unexpected field names: \\['z'\\]"):
        p._replace(z=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="Expected 4 arguments, got 2"):
        Point._make([1, 2])


def test_immutable_without_instance_dict() -> None:
    p = Point(1, 2)
    with pytest.raises(AttributeError):
        p.x = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        p.other = 3  # type: ignore[attr-defined]


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickled_and_copied_as_itself(protocol: int) -> None:
    """Worker processes send records through pickle."""
    p = Point(1, 2, "a", ("t",))
    for again in (pickle.loads(pickle.dumps(p, protocol)), copy.copy(p), copy.deepcopy(p)):
        assert again == p and type(again) is Point


def test_pattern_matching_by_position_and_name() -> None:
    match Point(1, 2, "a"):
        case Point(1, y, label="a"):
            assert y == 2
        case _:
            pytest.fail("no match")


def test_more_fields_than_the_templates() -> None:
    w = Wide(*range(13))
    assert tuple(w) == tuple(range(17)) and w.f14 == 14
    assert Wide(*range(13), f14=0).f14 == 0  # type: ignore[misc]
    assert Wide(**{f"f{i}": i for i in range(13)}) == w
    with pytest.raises(TypeError, match="missing required argument: 'f12'"):
        Wide(*range(12))
    with pytest.raises(TypeError, match="takes 18 positional arguments but 19 were given"):
        Wide(*range(18))
    with pytest.raises(TypeError, match="multiple values for argument 'f0'"):
        Wide(*range(13), f0=1)  # type: ignore[misc]
    with pytest.raises(TypeError, match="unexpected keyword argument 'g'"):
        Wide(*range(13), g=1)  # type: ignore[call-arg]


def test_a_field_without_default_after_one_with_a_default_is_refused() -> None:
    with pytest.raises(TypeError, match="without a default follows"):

        class Bad(NamedTuple):
            a: int = 0
            b: int  # type: ignore[misc]


def test_a_subclass_of_a_record_is_a_plain_subclass() -> None:
    class Labelled(Point):
        def shown(self) -> str:
            return f"{self.label}@{self.x},{self.y}"

    assert Labelled(1, 2, "p").shown() == "p@1,2" and Labelled._fields == Point._fields


def test_defining_a_record_compiles_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of the module: typing.NamedTuple compiles its __new__ and each field's
    annotation at import; ours must not."""

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled while defining a record")

    monkeypatch.setattr(builtins, "compile", refused)
    monkeypatch.setattr(builtins, "eval", refused)
    monkeypatch.setattr(builtins, "exec", refused)

    class Fresh(NamedTuple):
        a: int
        b: str = "b"
        c: list[int] | None = None

    assert Fresh(1) == (1, "b", None) and repr(Fresh(1, c=[2])) == "Fresh(a=1, b='b', c=[2])"
    with pytest.raises(AssertionError, match="compiled"):  # the check itself bites on the real one

        class Real(typing.NamedTuple):
            a: int
