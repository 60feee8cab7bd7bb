"""pydantic models of the content model's declarations, for what only they do well:
a message for every problem of a file at once (``generator.load``), the JSON Schema
(``studygen schema``), and content that ``generator.validate`` leaves to them (a date
written otherwise than YYYY-MM-DD, such as a TOML date-time).  Made on first use: most commands never import pydantic.

Each ``Rule`` becomes the pydantic constraints it stands for, in its order: what the fast
reader accepts, pydantic accepts too, with equal values (``tests/test_validate.py``).
"""

from __future__ import annotations

import typing
from functools import lru_cache
from typing import Annotated, Any, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, create_model

from generator import model
from generator.model import Entry, Key, Rule

CONFIG = ConfigDict(frozen=True, extra="forbid", strict=True)


def _constraints(rule: Rule) -> list[Any]:
    found: list[Any] = []
    if rule.pattern is not None or rule.max_length is not None or rule.min_length is not None:
        found.append(StringConstraints(pattern=rule.pattern, max_length=rule.max_length, min_length=rule.min_length))
    if rule.levels:
        found.append(AfterValidator(model._levels))
    if rule.characters:
        found.append(AfterValidator(model._text_characters))
    bounds = {name: value for name, value in (("ge", rule.ge), ("le", rule.le)) if value is not None}
    if rule.lax:
        bounds["strict"] = False
    if rule.tag is not None:
        bounds["discriminator"] = rule.tag
    if bounds:
        found.append(Field(**bounds))
    return found


def translate(annotation: Any) -> Any:
    """A declared type as pydantic reads it: entries as their models, rules as constraints."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        base, *markers = typing.get_args(annotation)
        kept = [c for m in markers if not isinstance(m, Key)
                for c in (_constraints(m) if isinstance(m, Rule) else [m])]
        return Annotated[(translate(base), *kept)] if kept else translate(base)
    if origin is list:
        return list[translate(typing.get_args(annotation)[0])]
    if origin in (Union, model._UnionType):
        return Union[tuple(translate(arg) for arg in typing.get_args(annotation))]
    if isinstance(annotation, type) and issubclass(annotation, Entry):
        return model_of(annotation)
    return annotation


@lru_cache(maxsize=None)
def model_of(cls: type[Entry]) -> type[BaseModel]:
    """The pydantic model of an entry class (same name, fields and order)."""
    fields = {}
    for name, default in cls._fields:
        hint = model.hints(cls)[name]
        key = model.key_of(hint)
        extra = {k: v for k, v in (("description", key.description), ("alias", key.alias)) if v is not None}
        if default is model._REQUIRED:
            info = Field(**extra)
        elif isinstance(default, model._Factory):
            info = Field(default_factory=default.make, **extra)
        else:
            info = Field(default, **extra)
        fields[name] = (translate(hint), info)
    return create_model(cls.__name__, __config__=CONFIG, __module__=__name__, **fields)


def to_entries(value: Any) -> Any:
    """What pydantic validated, as the content model's own objects."""
    if isinstance(value, BaseModel):
        cls = getattr(model, type(value).__name__)
        return cls(**{name: to_entries(getattr(value, name)) for name in type(value).model_fields})
    if isinstance(value, list):
        return [to_entries(v) for v in value]
    return value


@lru_cache(maxsize=None)
def adapter(annotation: Any) -> TypeAdapter:
    """A pydantic validator of a declared type (one of the content's tables, a slug)."""
    return TypeAdapter(translate(annotation))


def json_schema() -> dict[str, Any]:
    return model_of(model.Content).model_json_schema()
