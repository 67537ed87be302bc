"""Password hashing (Argon2id) and JWT access tokens (HS256 pinned; exp, iat, nbf, iss, aud, typ checked)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # Argon2id with the library's current recommended parameters
ACCESS = "access"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_opaque_token(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenError(ValueError):
    """A token that must be refused (401)."""


def encode_access_token(
    *, subject: int, role: str, version: int, key: str, issuer: str, audience: str, minutes: float,
    typ: str = ACCESS,
) -> tuple[str, datetime]:
    now = datetime.now(UTC)
    exp = now + timedelta(minutes=minutes)
    claims = {
        "sub": str(subject),
        "role": role,
        "ver": version,
        "typ": typ,
        "iss": issuer,
        "aud": audience,
        "iat": now,
        "nbf": now,
        "exp": exp,
        "jti": secrets.token_hex(8),
    }
    return jwt.encode(claims, key, algorithm="HS256"), exp


def decode_access_token(token: str, *, key: str, issuer: str, audience: str, typ: str = ACCESS) -> dict[str, Any]:
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") != "HS256":
            raise TokenError("token algorithm not accepted")
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=["HS256"],
            issuer=issuer,
            audience=audience,
            options={"require": ["exp", "iat", "nbf", "sub", "iss", "aud"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenError("token expired") from exc
    except jwt.PyJWTError as exc:
        raise TokenError("invalid token") from exc
    if claims.get("typ") != typ:
        raise TokenError("wrong token type")
    return claims
