"""Who is calling: the user, the role in effect (a token's scope can lower it), and how they authenticated."""

from __future__ import annotations

from dataclasses import dataclass, field

from platform_api.auth.models import User

SCOPE_ROLE = {"read": "viewer", "write": "researcher", "admin": "admin"}
ROLE_RANK: dict[str, int] = {"viewer": 0, "researcher": 1, "admin": 2}


def lower_role(a: str, b: str) -> str:
    return a if ROLE_RANK[a] <= ROLE_RANK[b] else b


@dataclass(frozen=True)
class Principal:
    user: User
    role: str
    via: str  # "jwt" | "token" | "session"
    areas: frozenset[str] = field(default_factory=lambda: frozenset({"api", "mlflow"}))
    token_id: int | None = None

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def username(self) -> str:
        return self.user.username

    def at_least(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]
