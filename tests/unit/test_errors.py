"""One converter turns validation errors into plain words for every audience."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kneecore.errors import problems


class Thing(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    name: str
    size: float = Field(ge=0)

    @field_validator("name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the name is blank")
        return value


def error_of(data: dict[str, object]) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        Thing.model_validate(data)
    return caught.value


def test_a_missing_field_and_an_unexpected_one_are_said_in_plain_words() -> None:
    found = {p.field: p.message for p in problems(error_of({"size": 1, "colour": "red"}))}
    assert found == {"name": "this is missing", "colour": "this field is not expected"}


def test_our_own_messages_lose_pydantics_value_error_prefix() -> None:
    (problem,) = problems(error_of({"name": " ", "size": 1}))
    assert problem.message == "the name is blank" and problem.kind == "value_error"


def test_not_a_number_is_named_as_such() -> None:
    (problem,) = problems(error_of({"name": "a", "size": float("nan")}))
    assert "real number" in problem.message and problem.loc == ("size",)


def test_a_caller_can_word_an_error_type_for_its_audience() -> None:
    found = problems(error_of({"size": 1}), {"missing": "please answer this question"})
    assert found[0].message == "please answer this question"
