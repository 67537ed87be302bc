"""Machine-readable problem codes: what the API puts in every error response's ``code`` and what clients (the CLI,
the worker) branch on, never the human text."""

from __future__ import annotations

from enum import StrEnum


class ProblemCode(StrEnum):
    BAD_REQUEST = "bad_request"
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    GONE = "gone"
    TOO_LARGE = "too_large"
    VALIDATION_FAILED = "validation_failed"  # the request does not match its schema
    REFUSED = "refused"  # well-formed, but refused (a config outside the allowlist, a weak password)
    THROTTLED = "throttled"
    UNAVAILABLE = "unavailable"
    INTERNAL = "internal"
    # specific conflicts clients act on
    JOB_NOT_CLAIMABLE = "job_not_claimable"  # another worker won the claim, or the job is over
    JOB_NOT_YOURS = "job_not_yours"  # the job runs on another worker (or no longer runs)
    LOG_RACE = "log_race"  # a concurrent retry stored the same lines; resend
    LAST_ADMIN = "last_admin"  # the change would leave the platform without an active admin
    GATE_FAILED = "gate_failed"  # the version failed the promotion policy guarding the alias (decision recorded)


BY_STATUS: dict[int, ProblemCode] = {
    400: ProblemCode.BAD_REQUEST,
    401: ProblemCode.UNAUTHENTICATED,
    403: ProblemCode.FORBIDDEN,
    404: ProblemCode.NOT_FOUND,
    405: ProblemCode.BAD_REQUEST,
    409: ProblemCode.CONFLICT,
    410: ProblemCode.GONE,
    413: ProblemCode.TOO_LARGE,
    422: ProblemCode.REFUSED,
    429: ProblemCode.THROTTLED,
    502: ProblemCode.UNAVAILABLE,
    503: ProblemCode.UNAVAILABLE,
    500: ProblemCode.INTERNAL,
}


def code_for_status(status: int) -> ProblemCode:
    return BY_STATUS.get(status, ProblemCode.BAD_REQUEST if status < 500 else ProblemCode.INTERNAL)
