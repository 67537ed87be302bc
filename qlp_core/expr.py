"""Our parser of Qlib's expression language: the only gate between factor text and Qlib's eval() of it."""

from __future__ import annotations

import difflib
import math
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

# Qlib rewrites the text with regexes (qlib.utils.parse_field: $x -> Feature("x"), $$x -> PFeature("x"),
# Name( -> Operators.Name() and eval()s the result as Python. The grammar below is a strict subset of what that
# Python accepts, parsed with Python's precedence, so the meaning we check is the meaning Qlib's eval() gives it.

MAX_LENGTH = 4000  # characters of expression text
MAX_DEPTH = 64  # levels of the AST, and of parentheses/calls/unary signs while parsing
MAX_WINDOW = 10_000  # trading days, for windows and shifts
MAX_PERIOD = 99_999_999  # PRef's period code (e.g. 201904)
MAX_STRING = 32  # characters of a string argument


# ------------------------------------------------------------------------------------------------ AST


@dataclass(frozen=True)
class Node:
    """An AST node; ``start``/``end`` are its 0-based character span in the text (not compared by ``==``)."""

    start: int = field(default=0, compare=False, kw_only=True)
    end: int = field(default=0, compare=False, kw_only=True)


@dataclass(frozen=True)
class Field(Node):
    """``$name`` (a daily feature) or, with ``pit``, ``$$name`` (a point-in-time field)."""

    name: str
    pit: bool = False


@dataclass(frozen=True)
class Number(Node):
    """A non-negative numeric literal; ints and floats differ for Qlib (``EMA($x, 0.5)`` is an alpha), and here."""

    value: int | float
    is_float: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "is_float", isinstance(self.value, float))


@dataclass(frozen=True)
class Str(Node):
    """A quoted string: only where an operator takes one (an instrument, a frequency, an aggregation)."""

    value: str


@dataclass(frozen=True)
class Call(Node):
    """``Op(arg, ...)`` of a Qlib operator."""

    op: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class BinOp(Node):
    """``left op right``; ``op`` is one of :data:`BINARY_OPERATORS`."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class UnaryOp(Node):
    """``-operand``: Qlib's expressions have no negation, so the operand is a constant (``Ref($close, -2)``)."""

    op: str
    operand: Node


# The Qlib operator each Python operator becomes (qlib.data.base.Expression's overloads).
BINARY_OPERATORS: dict[str, str] = {
    "+": "Add", "-": "Sub", "*": "Mul", "/": "Div",
    ">": "Gt", ">=": "Ge", "<": "Lt", "<=": "Le", "==": "Eq", "!=": "Ne",
    "&": "And", "|": "Or",
}  # fmt: skip
_COMPARISONS = frozenset({">", ">=", "<", "<=", "==", "!="})
# Python's binding strength (higher binds tighter): comparisons < | < & < + - < * / < unary minus < atoms.
_PREC: dict[str, int] = {
    **dict.fromkeys(_COMPARISONS, 1), "|": 2, "&": 3, "+": 4, "-": 4, "*": 5, "/": 5,
}  # fmt: skip
_UNARY_PREC = 6


# -------------------------------------------------------------------------------------------- operators


@dataclass(frozen=True)
class Arg:
    """One parameter of a Qlib operator: its name in Qlib's constructor and what may be passed there."""

    name: str
    kind: str  # one of ARG_KINDS
    low: int = 1  # for a "window": the smallest length other than 0 that Qlib takes (Skew 3, Kurt 4)

    def expected(self) -> str:
        if self.kind == "window" and self.low > 1:
            return f"a window length (0 for all history, or a whole number from {self.low} to {MAX_WINDOW})"
        return ARG_KINDS[self.kind]


RESAMPLE_FUNCS: frozenset[str] = frozenset({"sum", "mean", "median", "max", "min", "first", "last", "std", "var",
                                            "count"})
# What each kind of parameter accepts (the words go into error messages as "expected ...").
ARG_KINDS: dict[str, str] = {
    "series": "an expression that reads a $field",
    "operand": "an expression or a number",
    "window": f"a window length (a whole number from 0 to {MAX_WINDOW}; 0 = all history)",
    "window1": f"a window length (a whole number from 1 to {MAX_WINDOW})",
    "shift": f"a shift in days (a whole number from -{MAX_WINDOW} to {MAX_WINDOW})",
    "span": f"a span (a whole number from 0 to {MAX_WINDOW}) or an alpha between 0 and 1",
    "fraction": "a number from 0 to 1",
    "period": "a period (a whole number, e.g. 201904)",
    "instrument": "an instrument code in quotes, e.g. 'SH000300'",
    "freq": "a frequency in quotes, e.g. '5min' or '1D'",
    "agg": "an aggregation in quotes: " + ", ".join(f"'{a}'" for a in sorted(RESAMPLE_FUNCS)),
}
_LITERAL_KINDS = frozenset({"window", "window1", "shift", "span", "fraction", "period"})
_STRING_KINDS = frozenset({"instrument", "freq", "agg"})
_INSTRUMENT = re.compile(r"[A-Za-z0-9_^][A-Za-z0-9_\-.^]*", re.ASCII)
_FREQ = re.compile(r"[0-9]{0,4}[A-Za-z]{1,8}", re.ASCII)


@dataclass(frozen=True)
class OpSpec:
    """A Qlib operator users may write: its parameters; ``pair``: at least one operand must read data;
    ``pit``: its argument is point-in-time data ($$fields), collapsed to a daily value."""

    name: str
    args: tuple[Arg, ...]
    pair: bool = False
    pit: bool = False

    def signature(self) -> str:
        return f"{self.name}({', '.join(a.name for a in self.args)})"


def _spec(name: str, *args: tuple[str, str] | Arg, pair: bool = False, pit: bool = False) -> OpSpec:
    return OpSpec(name, tuple(a if isinstance(a, Arg) else Arg(*a) for a in args), pair=pair, pit=pit)


_F = ("feature", "series")
_N = ("N", "window")
_PAIR = (("feature_left", "operand"), ("feature_right", "operand"))
# Every operator of qlib.data.ops.OpsList that a user writes, plus the PIT ones (qlib.data.pit.P, PRef); Qlib
# registers exactly these (register_all_ops). Window lengths follow Qlib: 0 means an expanding window.
OPERATORS: dict[str, OpSpec] = {
    s.name: s
    for s in [
        _spec("ChangeInstrument", ("instrument", "instrument"), _F),
        _spec("Ref", _F, ("N", "shift")),
        # Qlib's Skew and Kurt refuse shorter windows than 3 and 4 (but take 0)
        _spec("Skew", _F, Arg("N", "window", 3)),
        _spec("Kurt", _F, Arg("N", "window", 4)),
        *(_spec(n, _F, _N) for n in ("Max", "Min", "Sum", "Mean", "Std", "Var", "Med", "Mad",
                                     "Slope", "Rsquare", "Resi", "Rank", "Count", "Delta", "IdxMax", "IdxMin",
                                     "WMA")),
        _spec("Quantile", _F, _N, ("qscore", "fraction")),
        _spec("EMA", _F, ("N", "span")),
        # Corr's own clean-up rolls with N itself, which pandas refuses for 0
        _spec("Corr", ("feature_left", "series"), ("feature_right", "series"), ("N", "window1")),
        _spec("Cov", ("feature_left", "series"), ("feature_right", "series"), _N),
        *(_spec(n, _F) for n in ("Abs", "Sign", "Log", "Not")),
        *(_spec(n, *_PAIR, pair=True) for n in ("Power", "Add", "Sub", "Mul", "Div", "Greater", "Less", "And", "Or",
                                                "Gt", "Ge", "Lt", "Le", "Eq", "Ne")),
        _spec("Mask", _F, ("instrument", "instrument")),
        _spec("If", ("condition", "series"), ("feature_left", "operand"), ("feature_right", "operand")),
        _spec("TResample", _F, ("freq", "freq"), ("func", "agg")),
        _spec("P", _F, pit=True),
        _spec("PRef", _F, ("period", "period"), pit=True),
    ]
}
# In OpsList too, but not for writing: what to write instead.
INTERNAL_OPERATORS: dict[str, str] = {
    "Feature": "write $name for a field",
    "PFeature": "write $$name for a point-in-time field",
    "Rolling": "use a named rolling operator such as Mean or Sum",
}
_NEEDS_HISTORY_N = frozenset({"Delta"})  # x - Ref(x, N): N days back, not N - 1
_KEYWORD_HINTS = {"and": "use & for 'and'", "or": "use | for 'or'", "not": "use Not(x) for 'not'"}


# ----------------------------------------------------------------------------------------------- errors


class ExprError(ValueError):
    """Text that is not a Qlib expression we let through: ``position`` is the 0-based character offset where the
    problem is, ``expected`` a short list of what would have been accepted there, ``found`` what was there."""

    def __init__(self, message: str, position: int, expected: list[str] | None = None, found: str = "") -> None:
        super().__init__(message)
        self.message, self.position, self.expected, self.found = message, position, list(expected or []), found


def _alternatives(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


# ------------------------------------------------------------------------------------------------ lexer


class _Tok(NamedTuple):
    kind: str  # field pfield number name string op ( ) , end bad
    text: str
    start: int
    end: int
    what: str = ""  # for "bad": what it is, for messages


_SPACE = " \t"
_BREAKS = "\n\r"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)
_NUMBER = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_NUMBER_START = frozenset("0123456789.")
_FIELD_NAME = re.compile(r"[A-Za-z0-9_]+", re.ASCII)
_STRING = re.compile(r"""'[^'"\\\n\r]*'|"[^'"\\\n\r]*\"""")
_OPS = (">=", "<=", "==", "!=", "+", "-", "*", "/", ">", "<", "&", "|", "~")
_BAD_HINTS = {
    "=": "'=' (keyword arguments and assignments are not allowed; '==' compares)",
    "**": "'**' (write Power(x, y))",
    "//": "'//' (there is no floor division; write x / y)",
    "!": "'!' (write Not(x))",
    ".": "'.' (attribute access is not allowed)",
    "[": "'[' (subscripts are not allowed)",
    "\\": "'\\' (line continuations and escapes are not allowed)",
}


def _char(c: str) -> str:
    if c.isascii() and c.isprintable():
        return repr(c)
    return f"character U+{ord(c):04X} {c!r}"


def _tokens(text: str) -> Iterator[_Tok]:
    pos, depth, n = 0, 0, len(text)
    while pos < n:
        c = text[pos]
        if c in _SPACE or (c in _BREAKS and depth > 0):
            pos += 1
            continue
        if c in _BREAKS:
            yield _Tok("bad", c, pos, pos + 1, "a line break (allowed only inside parentheses)")
            return
        if c == "$":
            pit = text.startswith("$$", pos)
            m = _FIELD_NAME.match(text, pos + (2 if pit else 1))
            if m is None:
                yield _Tok("bad", "$", pos, pos + 1, "'$' without a field name")
                return
            yield _Tok("pfield" if pit else "field", m.group(), pos, m.end())
            pos = m.end()
            continue
        m = _NUMBER.match(text, pos) if c in _NUMBER_START else None
        if m is not None:
            digits = m.group()
            if re.fullmatch(r"0[0-9]+", digits):
                yield _Tok("bad", digits, pos, m.end(), f"{digits!r} (whole numbers cannot start with 0)")
                return
            yield _Tok("number", digits, pos, m.end())
            pos = m.end()
            continue
        m = _NAME.match(text, pos)
        if m is not None:
            yield _Tok("name", m.group(), pos, m.end())
            pos = m.end()
            continue
        if c in "'\"":
            m = _STRING.match(text, pos)
            if m is None:
                yield _Tok("bad", c, pos, pos + 1, "a string that is not closed, or holds quotes or backslashes")
                return
            yield _Tok("string", m.group(), pos, m.end())
            pos = m.end()
            continue
        if c in "()":
            depth += 1 if c == "(" else -1
            yield _Tok(c, c, pos, pos + 1)
            pos += 1
            continue
        if c == ",":
            yield _Tok(",", c, pos, pos + 1)
            pos += 1
            continue
        for bad in ("**", "//"):
            if text.startswith(bad, pos):
                yield _Tok("bad", bad, pos, pos + 2, _BAD_HINTS[bad])
                return
        op = next((o for o in _OPS if text.startswith(o, pos)), None)
        if op is not None:
            yield _Tok("op", op, pos, pos + len(op))
            pos += len(op)
            continue
        yield _Tok("bad", c, pos, pos + 1, _BAD_HINTS.get(c, _char(c)))
        return
    yield _Tok("end", "", n, n)


# ----------------------------------------------------------------------------------------------- parser


class _R(NamedTuple):
    """A parsed sub-expression: its node, AST depth, and its value when it is a constant (None: it reads data)."""

    node: Node
    depth: int
    value: int | float | bool | None


_CONST_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
    ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le, "==": operator.eq, "!=": operator.ne,
    "&": operator.and_, "|": operator.or_,
}  # fmt: skip


def _finite(value: int | float | bool) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokens(text)
        self.tok = next(self.toks)
        self.nesting = 0
        self.pit: str | None = None  # the PIT operator we are inside

    # -- helpers

    def advance(self) -> _Tok:
        tok = self.tok
        if tok.kind not in ("end", "bad"):
            self.tok = next(self.toks)
        return tok

    def found(self, tok: _Tok) -> str:
        if tok.kind == "end":
            return "the end of the expression"
        if tok.kind == "bad":
            return tok.what
        if tok.kind == "string":
            return f"a string {_clip(tok.text)}"
        if tok.kind == "field":
            return f"'${tok.text}'"
        if tok.kind == "pfield":
            return f"'$${tok.text}'"
        return repr(_clip(tok.text))

    def fail(self, expected: list[str], tok: _Tok | None = None, hint: str = "") -> ExprError:
        tok = tok or self.tok
        found = self.found(tok)
        message = f"at {tok.start}: expected {_alternatives(expected)} but found {found}"
        return ExprError(message + (f": {hint}" if hint else ""), tok.start, expected, found)

    def error(self, position: int, message: str, expected: list[str]) -> ExprError:
        return ExprError(f"at {position}: {message}", position, expected)

    def deeper(self, tok: _Tok) -> None:
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            raise self.error(tok.start, f"the expression is nested more than {MAX_DEPTH} levels deep", [])

    def check_depth(self, depth: int, position: int) -> int:
        if depth > MAX_DEPTH:
            raise self.error(position, f"the expression is nested more than {MAX_DEPTH} levels deep", [])
        return depth

    # -- grammar

    def parse(self) -> Node:
        if len(self.text) > MAX_LENGTH:
            raise ExprError(f"at {MAX_LENGTH}: the expression is longer than {MAX_LENGTH} characters", MAX_LENGTH,
                            [], "more text")
        r = self.expression()
        if self.tok.kind != "end":
            raise self.fail(["an operator", "the end of the expression"])
        if r.value is not None:
            raise self.error(r.node.start, "the expression reads no data: it needs a $field", ["a $field"])
        return r.node

    def expression(self) -> _R:
        left = self.binary(2)
        if self.tok.kind == "op" and self.tok.text in _COMPARISONS:
            op = self.advance()
            right = self.binary(2)
            left = self.combine(op, left, right)
            if self.tok.kind == "op" and self.tok.text in _COMPARISONS:
                raise self.error(self.tok.start, f"found a second comparison {self.tok.text!r}: comparisons cannot "
                                 "be chained (Python reads 'a < b < c' as 'a < b and b < c', and '$a > 1 & $b < 2' "
                                 "as '$a > (1 & $b) < 2'); put each comparison in parentheses",
                                 ["parentheses around each comparison"])
        return left

    def binary(self, level: int) -> _R:
        if level > 5:
            return self.unary()
        left = self.binary(level + 1)
        while self.tok.kind == "op" and _PREC.get(self.tok.text) == level:
            op = self.advance()
            right = self.binary(level + 1)
            left = self.combine(op, left, right)
        return left

    def combine(self, op: _Tok, left: _R, right: _R) -> _R:
        node = BinOp(op.text, left.node, right.node, start=left.node.start, end=right.node.end)
        depth = self.check_depth(max(left.depth, right.depth) + 1, op.start)
        value: int | float | bool | None = None
        if left.value is not None and right.value is not None:
            try:
                value = _CONST_OPS[op.text](left.value, right.value)
            except (ArithmeticError, TypeError, ValueError) as e:
                raise self.error(op.start, f"{_clip(self.text[node.start:node.end])} cannot be computed ({e})",
                                 []) from None
            if not _finite(value):
                raise self.error(op.start, f"{_clip(self.text[node.start:node.end])} is not a finite number", [])
        return _R(node, depth, value)

    def unary(self) -> _R:
        tok = self.tok
        if tok.kind == "op" and tok.text == "~":
            raise self.fail(["an expression"], hint="Qlib expressions have no '~': write Not(x)")
        if tok.kind == "op" and tok.text == "-":
            self.advance()
            self.deeper(tok)
            operand = self.unary()
            self.nesting -= 1
            if operand.value is None:
                raise self.error(tok.start, "Qlib cannot negate an expression that reads data ('-' in front works "
                                 "on numbers only): write 0 - x or Mul(x, -1)", ["a number"])
            node = UnaryOp("-", operand.node, start=tok.start, end=operand.node.end)
            return _R(node, self.check_depth(operand.depth + 1, tok.start), -operand.value)
        return self.primary()

    def primary(self) -> _R:
        tok = self.tok
        if tok.kind == "number":
            self.advance()
            value: int | float = float(tok.text) if any(c in tok.text for c in ".eE") else int(tok.text)
            if not _finite(value):
                raise self.error(tok.start, f"{_clip(tok.text)} is not a finite number", ["a finite number"])
            return _R(Number(value, start=tok.start, end=tok.end), 1, value)
        if tok.kind in ("field", "pfield"):
            self.advance()
            pit = tok.kind == "pfield"
            if pit and self.pit is None:
                raise self.error(tok.start, f"$${tok.text} is a point-in-time field: read it through P() or PRef()",
                                 ["a $field"])
            if not pit and self.pit is not None:
                raise self.error(tok.start, f"inside {self.pit}() only point-in-time $$fields can be read, not "
                                 f"${tok.text}", ["a $$field"])
            return _R(Field(tok.text, pit, start=tok.start, end=tok.end), 1, None)
        if tok.kind == "(":
            self.advance()
            self.deeper(tok)
            inner = self.expression()
            self.nesting -= 1
            if self.tok.kind != ")":
                raise self.fail(["an operator", "')'"])
            self.advance()
            return inner
        if tok.kind == "name":
            return self.call()
        raise self.fail(["an expression"])

    def call(self) -> _R:
        tok = self.advance()
        name = tok.text
        spec = OPERATORS.get(name)
        if spec is None:
            raise self.error(tok.start, f"{name!r} is not a Qlib operator{_name_hint(name)}", ["a Qlib operator"])
        if self.tok.kind != "(":
            raise self.fail(["'('"], hint=f"{name} is an operator: write {spec.signature()}")
        self.advance()
        self.deeper(tok)
        if spec.pit:
            if self.pit is not None:
                raise self.error(tok.start, f"{name}() cannot be used inside {self.pit}()", ["an expression"])
            self.pit = name
        args: list[_R] = []
        for i, arg in enumerate(spec.args):
            if i > 0:
                if self.tok.kind != ",":
                    more = ["an operator"] if spec.args[i - 1].kind in ("series", "operand") else []
                    raise self.fail([*more, "','"], hint=f"{name} takes {_count(spec)}: {spec.signature()}")
                self.advance()
            args.append(self.argument(spec, arg))
        if self.tok.kind != ")":
            more = ["an operator"] if spec.args[-1].kind in ("series", "operand") else []
            raise self.fail([*more, "')'"], hint=f"{name} takes {_count(spec)}: {spec.signature()}"
                            if self.tok.kind == "," else "")
        end = self.advance()
        self.nesting -= 1
        if spec.pit:
            self.pit = None
        if spec.pair and all(a.value is not None for a in args):
            raise self.error(tok.start, f"{name}() needs at least one argument that reads a $field", ["a $field"])
        node = Call(name, tuple(a.node for a in args), start=tok.start, end=end.end)
        return _R(node, self.check_depth(max(a.depth for a in args) + 1, tok.start), None)

    def argument(self, spec: OpSpec, arg: Arg) -> _R:
        tok = self.tok
        expected = [arg.expected()]
        if arg.kind in _STRING_KINDS:
            if tok.kind != "string":
                raise self.fail(expected, hint=f"{spec.name}'s {arg.name}")
            self.advance()
            value = tok.text[1:-1]
            if not _string_ok(arg.kind, value):
                raise self.error(tok.start, f"{_clip(tok.text)} is not {expected[0]}", expected)
            return _R(Str(value, start=tok.start, end=tok.end), 1, None)
        if tok.kind == "string":
            raise self.fail(expected, hint=f"{spec.name} takes no string as its {arg.name}")
        if arg.kind in _LITERAL_KINDS and not (tok.kind == "number" or (tok.kind == "op" and tok.text == "-")
                                               or tok.kind == "("):
            raise self.fail(expected)
        r = self.expression()
        if arg.kind == "series" and r.value is not None:
            raise self.error(r.node.start, f"{spec.name}'s {arg.name} must read data, not be a constant", expected)
        if arg.kind in _LITERAL_KINDS:
            if not _literal_ok(arg, r.node, r.value):
                raise self.error(r.node.start, f"{_clip(self.text[r.node.start:r.node.end])} is not {expected[0]}",
                                 expected)
            if arg.kind == "shift" and self.pit is not None and isinstance(r.value, int) and r.value < 0:
                raise self.error(r.node.start, f"point-in-time data inside {self.pit}() cannot refer to future "
                                 "periods", ["a shift >= 0"])
        return r


def _count(spec: OpSpec) -> str:
    return f"{len(spec.args)} argument{'s' if len(spec.args) != 1 else ''}"


def _name_hint(name: str) -> str:
    if "__" in name:
        return " (names with '__' are never allowed)"
    if name in INTERNAL_OPERATORS:
        return f": {INTERNAL_OPERATORS[name]}"
    if name in _KEYWORD_HINTS:
        return f": {_KEYWORD_HINTS[name]}"
    close = difflib.get_close_matches(name, list(OPERATORS), n=1, cutoff=0.75) or [
        o for o in OPERATORS if o.lower() == name.lower()
    ]
    return f" (did you mean {close[0]}?)" if close else ""


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _literal_ok(arg: Arg, node: Node, value: int | float | bool | None) -> bool:
    """A literal argument: a number, optionally with one minus sign; whole where the kind says so."""
    kind = arg.kind
    literal = isinstance(node, Number) or (isinstance(node, UnaryOp) and isinstance(node.operand, Number))
    if not literal or value is None or isinstance(value, bool):
        return False
    whole = isinstance(value, int)
    if kind == "window":
        return whole and (value == 0 or arg.low <= value <= MAX_WINDOW)
    if kind == "window1":
        return whole and 1 <= value <= MAX_WINDOW
    if kind == "shift":
        return whole and -MAX_WINDOW <= value <= MAX_WINDOW
    if kind == "span":
        return (whole and 0 <= value <= MAX_WINDOW) or (not whole and 0 < value < 1)
    if kind == "fraction":
        return 0 <= value <= 1
    if kind == "period":
        return whole and 0 <= value <= MAX_PERIOD
    return False


def _string_ok(kind: str, value: str) -> bool:
    if not value or len(value) > MAX_STRING:
        return False
    if kind == "instrument":
        return _INSTRUMENT.fullmatch(value) is not None and ".." not in value
    if kind == "freq":
        return _FREQ.fullmatch(value) is not None
    return value in RESAMPLE_FUNCS


def parse(text: str) -> Node:
    """Parse Qlib expression text into an AST, or raise :class:`ExprError` saying where and what was expected."""
    if not isinstance(text, str):
        raise ExprError("at 0: an expression must be text", 0, ["text"], type(text).__name__)
    try:
        return _Parser(text).parse()
    except RecursionError:  # the caller's stack was already deep: nesting is capped well below Python's limit
        raise ExprError("at 0: the expression is nested too deeply", 0, [], "deep nesting") from None


# --------------------------------------------------------------------------------------------- printing


def to_qlib(node: Node) -> str:
    """Canonical text for Qlib: spaced operators, parentheses only where Python's precedence needs them;
    ``parse(to_qlib(parse(t))) == parse(t)``."""
    return _render(node, 0)


def _render(node: Node, need: int) -> str:
    """``node`` as text that binds at least as tightly as precedence ``need``."""
    if isinstance(node, Field):
        return ("$$" if node.pit else "$") + node.name
    if isinstance(node, Number):
        return repr(float(node.value)) if node.is_float else str(int(node.value))
    if isinstance(node, Str):
        return f"'{node.value}'"
    if isinstance(node, Call):
        return f"{node.op}({', '.join(_render(a, 0) for a in node.args)})"
    if isinstance(node, UnaryOp):
        text = node.op + _render(node.operand, _UNARY_PREC)
        return f"({text})" if need > _UNARY_PREC else text
    if isinstance(node, BinOp):
        prec = _PREC[node.op]
        # left-associative, except comparisons, which do not chain
        left = _render(node.left, prec + 1 if node.op in _COMPARISONS else prec)
        text = f"{left} {node.op} {_render(node.right, prec + 1)}"
        return f"({text})" if need > prec else text
    raise TypeError(f"not an expression node: {node!r}")


# -------------------------------------------------------------------------------------------- analysing


@dataclass(frozen=True)
class ExprInfo:
    """What an expression reads and how far it reaches.

    ``lookback``: trading days of history needed before the first day computed (None: unbounded, for windows of 0
    and ``Ref(x, 0)``); ``lookahead``: why it reads future data (a negative ``Ref``, as labels are written);
    ``lookahead_days``: how many days ahead; ``depth``/``size``: AST levels and nodes.
    """

    fields: list[str]
    pit_fields: list[str]
    operators: list[str]
    lookback: int | None
    lookahead: list[str]
    lookahead_days: int
    depth: int
    size: int

    @property
    def unbounded(self) -> bool:
        return self.lookback is None


class _Reach(NamedTuple):
    back: int | None
    ahead: int


def analyse(node: Node) -> ExprInfo:
    """Fields, operators, look-back and look-ahead of a parsed expression."""
    fields: set[str] = set()
    pit_fields: set[str] = set()
    operators: set[str] = set()
    lookahead: list[str] = []
    size = 0

    def walk(n: Node) -> tuple[_Reach, int]:
        nonlocal size
        size += 1
        if isinstance(n, Field):
            (pit_fields if n.pit else fields).add(n.name)
            return _Reach(0, 0), 1
        if isinstance(n, (Number, Str)):
            return _Reach(0, 0), 1
        if isinstance(n, UnaryOp):
            reach, depth = walk(n.operand)
            return reach, depth + 1
        if isinstance(n, BinOp):
            operators.add(BINARY_OPERATORS[n.op])
            (lr, ld), (rr, rd) = walk(n.left), walk(n.right)
            return _Reach(_max(lr.back, rr.back), max(lr.ahead, rr.ahead)), max(ld, rd) + 1
        if isinstance(n, Call):
            operators.add(n.op)
            walked = [walk(a) for a in n.args]
            depth = max(d for _, d in walked) + 1
            inner = _Reach(_max(*(r.back for r, _ in walked)), max(r.ahead for r, _ in walked))
            return _call_reach(n, inner, lookahead), depth
        raise TypeError(f"not an expression node: {n!r}")

    reach, depth = walk(node)
    return ExprInfo(sorted(fields), sorted(pit_fields), sorted(operators), reach.back, lookahead, reach.ahead, depth,
                    size)


def _max(*values: int | None) -> int | None:
    return None if any(v is None for v in values) else max(v for v in values if v is not None)


def _number(node: Node) -> int | float:
    if isinstance(node, Number):
        return node.value
    if isinstance(node, UnaryOp) and node.op == "-":
        return -_number(node.operand)
    raise TypeError(f"not a number literal: {node!r}")


def _call_reach(n: Call, inner: _Reach, lookahead: list[str]) -> _Reach:
    spec = OPERATORS.get(n.op)
    if spec is None:
        raise ValueError(f"{n.op!r} is not a Qlib operator")
    if spec.pit:  # period data collapses to one daily value (qlib.data.pit.P.get_extended_window_size)
        return _Reach(0, 0)
    windows = [(a, _number(v)) for a, v in zip(spec.args, n.args, strict=True) if a.kind in ("window", "window1",
                                                                                               "shift", "span")]
    if not windows:
        return inner
    arg, N = windows[0]
    if arg.kind == "shift":
        if N == 0:  # Ref(x, 0) is the first day's value
            return _Reach(None, inner.ahead)
        if N < 0:
            lookahead.append(f"{_clip(to_qlib(n), 60)} reads {-N} day{'s' if N != -1 else ''} ahead")
            return _Reach(inner.back, inner.ahead - int(N))
        return _Reach(None if inner.back is None else inner.back + int(N), inner.ahead)
    if N == 0:  # expanding window: all history
        return _Reach(None, inner.ahead)
    if isinstance(N, float):  # EMA's alpha: Qlib's own cut-off, where the weights fall under 1e-6
        extra = int(math.log(1e-6) / math.log(1 - N)) - 1
    else:
        extra = int(N) if n.op in _NEEDS_HISTORY_N else int(N) - 1
    return _Reach(None if inner.back is None else inner.back + max(extra, 0), inner.ahead)


def check(text: str) -> ExprInfo:
    """``analyse(parse(text))``."""
    return analyse(parse(text))

