"""Instrument symbols in Qlib's form (``600000.SH``, ``sh600000``, ``600000.XSHG`` → ``SH600000``; US tickers upper)."""

from __future__ import annotations

import re

from qlp_core.qlib_data import SYMBOL_PATTERN
from trainers.ingest.errors import IngestError

#: Exchange suffixes and prefixes vendors use, mapped to Qlib's prefix (Wind/Tushare ``.SH``, Yahoo ``.SS``,
#: JoinQuant/RiceQuant ``.XSHG``/``.XSHE``, Beijing ``.BJ``/``.BSE``).
EXCHANGES = {"SH": "SH", "SS": "SH", "XSHG": "SH", "SSE": "SH", "SZ": "SZ", "XSHE": "SZ", "SZSE": "SZ",
             "BJ": "BJ", "BSE": "BJ", "XBEI": "BJ"}
#: Characters a spreadsheet reads as the start of a formula (OWASP's CSV injection list), refused at a symbol's start.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_SYMBOL_LENGTH = 32

_SUFFIXED = re.compile(r"^(\d{6})\.([A-Za-z]{2,4})$")  # 600000.SH, 000001.XSHE, 600000.ss
_PREFIXED = re.compile(r"^([A-Za-z]{2})[.]?(\d{6})$")  # sh600000, SH600000, SZ.000001
_BARE = re.compile(r"^\d{6}$")
_VALID = re.compile(SYMBOL_PATTERN)


class SymbolError(IngestError):
    """A symbol that cannot become an instrument name; the message says which and why."""

    def __init__(self, message: str, code: str = "bad_symbol") -> None:
        super().__init__(message, code)


def exchange_of(code: str) -> str | None:
    """The exchange a bare six-digit A-share code lists on, by its leading digits (None when they say nothing).
    Index codes overlap stock codes (000300 is an SH index and an SZ stock), so this is only used when asked."""
    if code[0] in "569":
        return "SH"
    if code[0] in "0123":
        return "SZ"
    if code[0] in "48":
        return "BJ"
    return None


def refuse_formula(raw: str, where: str = "") -> None:
    """Raise SymbolError when ``raw`` starts like a spreadsheet formula (``=cmd|' /C calc'!A0``, ``+1``, ``@SUM``)."""
    stripped = raw.lstrip(" ")
    if stripped.startswith(FORMULA_LEADS):
        raise SymbolError(f"symbol {raw[:40]!r}{where} starts with {stripped[0]!r}: a spreadsheet would run it as a "
                          "formula (CSV injection), so it is refused", "formula_injection")


def normalise_symbol(raw: str, *, infer_exchange: bool = False, where: str = "") -> str:
    """One symbol in Qlib's form: A-shares as exchange prefix + code (``SH600000``, ``SZ000001``, ``BJ830799``), every
    other symbol upper-cased (``aapl`` → ``AAPL``, ``brk-b`` → ``BRK-B``, ``^gspc`` → ``^GSPC``). A bare six-digit code
    stays as it is unless ``infer_exchange`` (then its leading digits pick the exchange). Raises SymbolError for a
    formula, a path or any name outside ``SYMBOL_PATTERN``."""
    if not isinstance(raw, str):
        raise SymbolError(f"symbol {raw!r}{where} is not text")
    refuse_formula(raw, where)
    text = raw.strip()
    if not text:
        raise SymbolError(f"an empty symbol{where}")
    if len(text) > MAX_SYMBOL_LENGTH:
        raise SymbolError(f"symbol {text[:40]!r}…{where} is longer than {MAX_SYMBOL_LENGTH} characters")
    if ".." in text or "/" in text or "\\" in text or "\0" in text:
        raise SymbolError(f"symbol {text[:40]!r}{where} holds a path ('..', '/' or '\\'), so it is refused")
    m = _SUFFIXED.fullmatch(text)
    if m and m.group(2).upper() in EXCHANGES:
        out = EXCHANGES[m.group(2).upper()] + m.group(1)
    elif (m := _PREFIXED.fullmatch(text)) and m.group(1).upper() in ("SH", "SZ", "BJ"):
        out = m.group(1).upper() + m.group(2)
    elif infer_exchange and _BARE.fullmatch(text) and (ex := exchange_of(text)):
        out = ex + text
    else:
        out = text.upper()
    if not _VALID.fullmatch(out):
        raise SymbolError(f"symbol {text[:40]!r}{where} is not an instrument name: letters, digits, '_' and '^' in "
                          "parts joined by single '.' or '-'")
    return out


def normalise_symbols(raws: list[str], *, infer_exchange: bool = False, where: str = "") -> list[str]:
    """:func:`normalise_symbol` over a list (of distinct names: the callers normalise each name once, not each row)."""
    return [normalise_symbol(r, infer_exchange=infer_exchange, where=where) for r in raws]
