"""Domain errors: what services raise (never HTTPException); ``platform_api.errors`` maps them to problem details."""

from __future__ import annotations

from qlp_core.problems import ProblemCode


class DomainError(Exception):
    """A refusal with a status, a machine-readable code and a human detail (safe to show)."""

    status: int = 400
    code: ProblemCode = ProblemCode.BAD_REQUEST

    def __init__(self, detail: str, *, code: ProblemCode | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        self.headers = headers


class NotFound(DomainError):
    status, code = 404, ProblemCode.NOT_FOUND


class Conflict(DomainError):
    status, code = 409, ProblemCode.CONFLICT


class Refused(DomainError):
    """Well-formed input that the platform will not take (a config outside the allowlist, a weak password)."""

    status, code = 422, ProblemCode.REFUSED


class Forbidden(DomainError):
    status, code = 403, ProblemCode.FORBIDDEN


class Unauthenticated(DomainError):
    status, code = 401, ProblemCode.UNAUTHENTICATED

    def __init__(self, detail: str, *, code: ProblemCode | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail, code=code, headers=headers or {"WWW-Authenticate": "Bearer"})


class Gone(DomainError):
    status, code = 410, ProblemCode.GONE


class TooLarge(DomainError):
    status, code = 413, ProblemCode.TOO_LARGE


class Throttled(DomainError):
    status, code = 429, ProblemCode.THROTTLED


class Unavailable(DomainError):
    """A service the platform depends on (the MLflow server) did not answer, or answered with an error."""

    status, code = 502, ProblemCode.UNAVAILABLE
