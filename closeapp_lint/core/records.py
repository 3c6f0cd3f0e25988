"""``NamedTuple``: ``typing.NamedTuple``'s class syntax and behaviour at a fraction of its
start-up cost — the base of every immutable record in the package (``from .tuples import
NamedTuple`` in place of ``from typing import NamedTuple``).

Defining a ``typing.NamedTuple`` class compiles Python code at import: one ``eval`` for its
``__new__`` and, under ``from __future__ import annotations``, one ``compile`` per field (its
annotation checked as a forward reference) — about 1.2 M CPU instructions a class, some 50 M
of a one-file run over the package's forty records, more than all the linting. Ours
is built by a small metaclass without compiling anything, and behaves as the named tuple
would: a ``tuple`` subclass with ``__slots__ = ()``, a read-only property per field, defaults,
keyword arguments, ``_fields``, ``_field_defaults``, ``_make``, ``_replace``, ``_asdict``,
``__match_args__``, the same ``repr``, equality, hashing, copying and pickling.

Type checkers see ``typing.NamedTuple`` itself (the alias below), so ``class Span(NamedTuple)``
is checked field by field exactly as with ``typing.NamedTuple``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["NamedTuple"]

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from sys import intern
    from types import FunctionType

    try:
        from _collections import _tuplegetter  # what collections.namedtuple uses
    except ImportError:  # not CPython
        from operator import itemgetter

        def _tuplegetter(index: int, doc: str) -> Any:
            return property(itemgetter(index), doc=doc)

    _new_tuple = tuple.__new__

    def _filled(cls: type, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
        """The field values of a call with keywords or left-out defaults, or the
        ``TypeError`` a named tuple's ``__new__`` raises."""
        fields, defaults = cls._fields, cls._field_defaults
        if len(args) > len(fields):
            raise TypeError(f"{cls.__name__}.__new__() takes {len(fields) + 1} positional arguments but {len(args) + 1} were given")
        values = list(args)
        for name in fields[len(args) :]:
            if name in kwargs:
                values.append(kwargs.pop(name))
            elif name in defaults:
                values.append(defaults[name])
            else:
                raise TypeError(f"{cls.__name__}.__new__() missing required argument: {name!r}")
        if kwargs:
            name = next(iter(kwargs))
            given = "multiple values for argument" if name in fields else "an unexpected keyword argument"
            raise TypeError(f"{cls.__name__}.__new__() got {given} {name!r}")
        return tuple(values)

    # ``__new__`` of a record of one to sixteen fields: a template made for its number of fields,
    # its parameters renamed to the fields (``code.replace``), so a call costs what a named
    # tuple's does (keywords and defaults handled by the interpreter) without compiling anything.
    _TEMPLATES = (
        lambda _cls, a: _new_tuple(_cls, (a,)),
        lambda _cls, a, b: _new_tuple(_cls, (a, b)),
        lambda _cls, a, b, c: _new_tuple(_cls, (a, b, c)),
        lambda _cls, a, b, c, d: _new_tuple(_cls, (a, b, c, d)),
        lambda _cls, a, b, c, d, e: _new_tuple(_cls, (a, b, c, d, e)),
        lambda _cls, a, b, c, d, e, f: _new_tuple(_cls, (a, b, c, d, e, f)),
        lambda _cls, a, b, c, d, e, f, g: _new_tuple(_cls, (a, b, c, d, e, f, g)),
        lambda _cls, a, b, c, d, e, f, g, h: _new_tuple(_cls, (a, b, c, d, e, f, g, h)),
        lambda _cls, a, b, c, d, e, f, g, h, i: _new_tuple(_cls, (a, b, c, d, e, f, g, h, i)),
        lambda _cls, a, b, c, d, e, f, g, h, i, j: _new_tuple(_cls, (a, b, c, d, e, f, g, h, i, j)),
        lambda _cls, a, b, c, d, e, f, g, h, i, j, k: _new_tuple(_cls, (a, b, c, d, e, f, g, h, i, j, k)),
        lambda _cls, a, b, c, d, e, f, g, h, i, j, k, l: _new_tuple(_cls, (a, b, c, d, e, f, g, h, i, j, k, l)),
        lambda _cls, a, b, c, d, e, f, g, h, i, j, k, l, m: _new_tuple(_cls, (a, b, c, d, e, f, g, h, i, j, k, l, m)),
        lambda _cls, a, b, c, d, e, f, g, h, i, j, k, l, m, n: _new_tuple(_cls, (a, b, c, d, e, f, g, h, i, j, k, l, m, n)),
        lambda _cls, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o: _new_tuple(_cls, (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o)),
        lambda _cls, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p: _new_tuple(_cls, (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p)),
    )

    def _constructor(name: str, fields: tuple[str, ...], defaults: tuple[Any, ...]) -> Any:
        if 0 < len(fields) <= len(_TEMPLATES):
            code = _TEMPLATES[len(fields) - 1].__code__
            code = code.replace(co_varnames=("_cls", *fields), co_name="__new__", co_qualname=f"{name}.__new__")
            return FunctionType(code, globals(), "__new__", defaults or None)

        def __new__(cls: type, *args: Any, **kwargs: Any) -> Any:  # more fields: rarely made, checked here
            if kwargs or len(args) != len(fields):
                args = _filled(cls, args, kwargs)
            return _new_tuple(cls, args)

        return __new__

    class _Record(tuple):  # what every record class derives from (its metaclass is plain ``type``)
        __slots__ = ()
        _fields: tuple[str, ...] = ()
        _field_defaults: dict[str, Any] = {}  # noqa: RUF012 - each record gets its own

        @classmethod
        def _make(cls, iterable: Any) -> Any:
            result = _new_tuple(cls, iterable)
            if len(result) != len(cls._fields):
                raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(result)}")
            return result

        def _replace(self, /, **changes: Any) -> Any:
            result = self._make(map(changes.pop, self._fields, self))
            if changes:
                raise ValueError(f"Got unexpected field names: {list(changes)!r}")
            return result

        def _asdict(self) -> dict[str, Any]:
            return dict(zip(self._fields, self))

        def __repr__(self) -> str:
            return f"{type(self).__name__}({', '.join(f'{name}={value!r}' for name, value in zip(self._fields, self))})"

        def __getnewargs__(self) -> tuple[Any, ...]:
            return tuple(self)

    class _Meta(type):
        """Turns ``class Span(NamedTuple): ...`` into a plain class derived from ``_Record``, as
        ``typing.NamedTuple`` turns it into a ``collections.namedtuple`` — so the record's own
        metaclass is ``type`` and ``isinstance`` keeps its fast path."""

        def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> type:
            if not bases:  # NamedTuple itself
                return super().__new__(mcs, name, bases, namespace)
            if len(bases) != 1:
                raise TypeError(f"{name}: a record has no other base than NamedTuple")
            fields = tuple(map(intern, namespace.get("__annotations__", {})))
            defaults = {f: namespace.pop(f) for f in fields if f in namespace}
            if list(defaults) != list(fields[len(fields) - len(defaults) :]):
                raise TypeError(f"{name}: a field without a default follows one with a default")
            namespace |= {
                "__slots__": (),
                "_fields": fields,
                "_field_defaults": defaults,
                "__match_args__": fields,
                "__new__": _constructor(name, fields, tuple(defaults.values())),
            }
            namespace.setdefault("__doc__", f"{name}({', '.join(fields)})")
            for index, field in enumerate(fields):
                namespace[field] = _tuplegetter(index, f"Alias for field number {index}")
            return type(name, (_Record,), namespace)

    class NamedTuple(metaclass=_Meta):
        """Subclass it with annotated fields, as ``typing.NamedTuple``."""
