"""Pydantic twins of the schema's Structs, derived from them, for the web layer alone.

FastAPI documents request and response shapes with pydantic models, and pydantic's
validation errors are the 422 answers clients know (every problem listed, with its
place). The Structs in schema.py stay the one definition: each twin is built from a
Struct's fields, types, limits and defaults, and runs the Struct's `__post_init__`
check, so the two cannot drift apart. The linter never imports this module.
"""

from __future__ import annotations

from functools import cache
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin, get_type_hints

import msgspec
import msgspec.inspect as spec
from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from intro_coach import schema


@cache
def twin(struct: type[msgspec.Struct]) -> type[BaseModel]:
    """The pydantic model with `struct`'s name, fields, limits and checks."""
    info = spec.type_info(struct)
    assert isinstance(info, spec.StructType)
    hints = get_type_hints(struct, include_extras=True)
    fields: dict[str, Any] = {}
    for field in info.fields:
        annotation = _annotation(hints[field.name])
        if field.required:
            fields[field.name] = (annotation, ...)
            continue
        default = field.default
        if default is msgspec.NODEFAULT:
            default = field.default_factory()
        if isinstance(default, msgspec.Struct):
            # Shown on the OpenAPI page as the default, so as a twin of its own.
            default = twin(type(default)).model_validate(msgspec.to_builtins(default))
        fields[field.name] = (annotation, Field(default=default))
    validators: dict[str, Any] = {}
    check = struct.__dict__.get("__post_init__")
    if check is not None:

        def run_check(model: BaseModel) -> BaseModel:
            check(model)  # the Struct's own check reads the same attribute names
            return model

        validators["check"] = model_validator(mode="after")(run_check)
    config = ConfigDict(extra="forbid") if info.forbid_unknown_fields else None
    doc = struct.__doc__ if struct.__doc__ != msgspec.Struct.__doc__ else None
    model: type[BaseModel] = create_model(
        struct.__name__,
        __config__=config,
        __doc__=doc,
        __module__=schema.__name__,
        __validators__=validators,
        **fields,
    )
    return model


def _annotation(hint: Any) -> Any:
    """`hint` with msgspec's limits and descriptions as pydantic's, Structs as their twins."""
    if get_origin(hint) is Annotated:
        inner, *extras = get_args(hint)
        limits: dict[str, Any] = {}
        for extra in extras:
            if isinstance(extra, msgspec.Meta):
                names = (
                    "ge", "gt", "le", "lt", "min_length", "max_length", "pattern", "description"
                )  # fmt: skip
                limits.update(
                    {n: getattr(extra, n) for n in names if getattr(extra, n) is not None}
                )
        return Annotated[_annotation(inner), Field(**limits)] if limits else _annotation(inner)
    if isinstance(hint, type) and issubclass(hint, msgspec.Struct):
        return twin(hint)
    origin = get_origin(hint)
    if origin is list:
        (item,) = get_args(hint)
        return list[_annotation(item)]  # type: ignore[misc]
    if origin in (Union, UnionType):
        return Union[tuple(_annotation(a) for a in get_args(hint))]  # noqa: UP007
    return hint  # str, int, bool, None, Literal[...]


AnalyzeRequest = twin(schema.AnalyzeRequest)
AnalyzeResponse = twin(schema.AnalyzeResponse)
GrammarResponse = twin(schema.GrammarResponse)
