"""MLflow search strings built from validated values only: keys checked and back-quoted, values quoted so that
MLflow's parser reads them back exactly (or refused), dates as epoch milliseconds."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from platform_api.domain_errors import Refused
from platform_api.experiments.schemas import KEY, RunQuery

_KEY = re.compile(KEY)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: Where the platform's trainers record what a run was made from (trainers.tracking.job_tags, flatten_params).
DATASET_TAG, USER_TAG, JOB_TAG = "qlp.dataset_id", "qlp.user", "qlp.job_id"
MODEL_PARAM = "task.model.class"


def key(name: str, what: str = "key") -> str:
    """A metric, param or tag key, back-quoted for MLflow (letters, digits, ``_ . - /`` and spaces only)."""
    if not _KEY.fullmatch(name):
        raise Refused(f"{what} {name[:80]!r} is not a valid key: 1 to 250 letters, digits, '_', '.', '-', '/' or "
                      "spaces")
    return f"`{name}`"


def value(text: str, what: str = "value") -> str:
    """A string value quoted for MLflow's filter parser, which strips the quotes and unescapes nothing: single
    quotes, or double quotes for a value with a single quote in it; a value that no quoting reads back exactly
    (both kinds of quotes, a trailing backslash, control characters) is refused."""
    if _CONTROL.search(text):
        raise Refused(f"{what} must not contain control characters")
    if text.endswith("\\"):
        raise Refused(f"{what} must not end with a backslash")
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    raise Refused(f"{what} must not contain both single and double quotes")


def epoch_ms(day: date, end_of_day: bool = False) -> int:
    moment = datetime.combine(day, time.max if end_of_day else time.min, tzinfo=UTC)
    return max(0, int(moment.timestamp() * 1000))


def parse_tag(item: str) -> tuple[str, str]:
    name, sep, text = item.partition("=")
    if not sep:
        raise Refused(f"tag filter {item[:80]!r} must be key=value")
    return name, text


def filter_string(q: RunQuery) -> str:
    """The ``filter`` of MLflow's runs/search for these query values (clauses joined by AND)."""
    clauses: list[str] = []
    if q.dataset_id is not None:
        clauses.append(f"tags.{key(DATASET_TAG)} = {value(str(q.dataset_id))}")
    if q.model_class is not None:
        clauses.append(f"params.{key(MODEL_PARAM)} = {value(q.model_class, 'model_class')}")
    if q.user is not None:
        clauses.append(f"tags.{key(USER_TAG)} = {value(q.user, 'user')}")
    for item in q.tag:
        name, text = parse_tag(item)
        clauses.append(f"tags.{key(name, 'tag')} = {value(text, f'the value of tag {name!r}')}")
    if q.since is not None and q.until is not None and q.since > q.until:
        raise Refused("since is after until")
    if q.since is not None:
        clauses.append(f"attributes.start_time >= {epoch_ms(q.since)}")
    if q.until is not None:
        clauses.append(f"attributes.start_time <= {epoch_ms(q.until, end_of_day=True)}")
    if q.status is not None:
        clauses.append(f"attributes.status = {value(q.status)}")
    return " AND ".join(clauses)


def order_by(sort: str, order: str) -> list[str]:
    """MLflow's ``order_by`` for ``start_time``, ``run_name``, ``metrics.<name>`` or ``params.<name>``."""
    direction = "ASC" if order == "asc" else "DESC"
    if sort in ("start_time", "run_name"):
        return [f"attributes.{sort} {direction}"]
    kind, sep, name = sort.partition(".")
    if not sep or kind not in ("metrics", "params"):
        raise Refused(f"sort {sort[:80]!r} must be start_time, run_name, metrics.<name> or params.<name>")
    return [f"{kind}.{key(name, 'sort key')} {direction}"]
