"""The shapes of the Stripe objects the webhook reads: anything else is refused before it touches a row."""
from typing import Any, Annotated, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError

Id = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=255)]
Text = Annotated[str, StringConstraints(strict=True, max_length=5000)]
Count = Annotated[int, Field(strict=True, ge=0, le=10**7)]
Time = Annotated[int, Field(strict=True, ge=0, le=2**40)]
Flag = Annotated[bool, Field(strict=True)]
# Stripe metadata: up to 50 string keys with string values.
Metadata = Optional[dict[Annotated[str, StringConstraints(strict=True, max_length=40)], Annotated[
    str, StringConstraints(strict=True, max_length=500)]]]


class _Object(BaseModel):
    """A Stripe object: the fields read here must have their documented types; others are not looked at."""

    model_config = ConfigDict(extra="allow", strict=True)


class _Expanded(_Object):
    id: Id


# An expandable field: an id, the object it names, or nothing.
Expandable = Optional[Union[Id, _Expanded]]


class _Recurring(_Object):
    interval: Optional[Text] = None
    interval_count: Optional[Count] = None


class _Price(_Object):
    id: Optional[Id] = None
    nickname: Optional[Text] = None
    unit_amount: Optional[Count] = None
    currency: Optional[Annotated[str, StringConstraints(strict=True, max_length=3)]] = None
    recurring: Optional[_Recurring] = None


class _Item(_Object):
    quantity: Optional[Count] = None
    price: Optional[_Price] = None
    current_period_end: Optional[Time] = None


class _Items(_Object):
    data: list[_Item] = []


class Subscription(_Object):
    id: Id
    status: Text
    customer: Expandable = None
    metadata: Metadata = None
    items: Optional[_Items] = None
    quantity: Optional[Count] = None
    created: Optional[Time] = None
    start_date: Optional[Time] = None
    ended_at: Optional[Time] = None
    current_period_end: Optional[Time] = None
    cancel_at: Optional[Time] = None
    cancel_at_period_end: Optional[Flag] = None


class CheckoutSession(_Object):
    id: Id
    mode: Optional[Text] = None
    subscription: Expandable = None
    customer: Expandable = None
    client_reference_id: Optional[Id] = None
    metadata: Metadata = None


class _SubscriptionDetails(_Object):
    subscription: Expandable = None
    metadata: Metadata = None


class _Parent(_Object):
    subscription_details: Optional[_SubscriptionDetails] = None


class Invoice(_Object):
    id: Id
    customer: Expandable = None
    subscription: Expandable = None
    parent: Optional[_Parent] = None


_ADAPTERS: dict[type, Any] = {}


class ShapeError(ValueError):
    """A Stripe object (an event's, or Stripe's current copy) whose shape is not the expected one."""


def problem(model, obj):
    """Return what is wrong with obj as a model (a Stripe object dict), or None when it has the expected shape."""
    adapter = _ADAPTERS.get(model) or _ADAPTERS.setdefault(model, TypeAdapter(model))
    try:
        adapter.validate_python(obj)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "object"
        return f"{model.__name__} {where}: {first['msg']}"[:300]
    return None


def check(model, obj, what):
    """Return obj; raise ShapeError naming what when it does not have model's shape."""
    reason = problem(model, obj)
    if reason:
        raise ShapeError(f"{what}: {reason}")
    return obj
