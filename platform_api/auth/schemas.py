"""Request and response models of the auth domain."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from qlp_core.json_body import JsonBody

Role = Literal["admin", "researcher", "viewer"]
Scope = Literal["read", "write", "admin"]
Area = Literal["api", "mlflow"]
ALL_AREAS: tuple[Area, ...] = ("api", "mlflow")


class LoginRequest(JsonBody):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class RefreshRequest(JsonBody):
    refresh_token: str = Field(min_length=10, max_length=256)


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    username: str
    role: Role
    is_active: bool
    created_at: datetime


class TokenPair(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime
    refresh_token: str
    user: UserRead


#: The shortest password the platform accepts (the rest of the policy: not common, not the username, at least 4
#: distinct characters — answered 422 ``refused``).
MIN_PASSWORD = 10
PASSWORD_RULES = (f"At least {MIN_PASSWORD} characters, not a common password, not the username, at least 4 "
                  "distinct characters.")


class UserCreate(JsonBody):
    username: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    password: str = Field(min_length=MIN_PASSWORD, max_length=1024, description=PASSWORD_RULES)
    role: Role = "researcher"


class UserUpdate(JsonBody):
    """Only the fields given change. Refused (409 ``last_admin``) when no active admin would be left."""

    role: Role | None = None
    is_active: bool | None = None
    password: str | None = Field(None, min_length=MIN_PASSWORD, max_length=1024, description=PASSWORD_RULES)


class TokenCreate(JsonBody):
    name: str = Field(min_length=1, max_length=128)
    scope: Scope = Field("write", description="read = viewer, write = researcher, admin; never above your role")
    areas: list[Area] = Field(default_factory=lambda: list(ALL_AREAS), min_length=1, max_length=2)
    expires_in_days: int | None = Field(90, ge=1, le=3650, description="None: until revoked")


class TokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    user_id: int = Field(description="The token's owner (admins listing every user's tokens see whose it is).")
    name: str
    prefix: str
    scope: Scope
    areas: list[Area]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked: bool


class TokenCreated(TokenRead):
    token: str = Field(description="Shown once; only its hash is stored.")
