"""Our parser of Qlib's expression language (qlp_core.expr), checked against Qlib's own engine and Python's parser."""

from __future__ import annotations

import ast
import random
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qlp_core.expr import (
    BINARY_OPERATORS,
    INTERNAL_OPERATORS,
    MAX_DEPTH,
    MAX_LENGTH,
    OPERATORS,
    RESAMPLE_FUNCS,
    Arg,
    BinOp,
    Call,
    ExprError,
    Field,
    Node,
    Number,
    Str,
    UnaryOp,
    analyse,
    check,
    parse,
    to_qlib,
)
from qlp_core.workflow_config import ConfigError, error_position, load_config, validate_config, vet
from tests.helpers import service_missing

#: the shared list of bad inputs, in the shared/ folder beside the checkout (as CI lays it too)
SECURITY_INPUTS = Path(__file__).resolve().parents[2] / "shared" / "security-inputs.md"

# ----------------------------------------------------------------------------------- Qlib (in tests only)


@pytest.fixture(scope="module")
def qlib_eval() -> Any:
    """Qlib's own path from text to an Expression: parse_field, then eval() with Qlib's registered operators."""
    from qlib.data.ops import Operators, OpsList
    from qlib.data.pit import P, PRef
    from qlib.utils import parse_field

    Operators.register([*OpsList, P, PRef])  # what qlib.data.ops.register_all_ops does at qlib.init()

    def run(text: str) -> Any:
        return eval(parse_field(text), {"Operators": Operators, "__builtins__": {}})

    return run


def _qlib_expressions() -> dict[str, list[str]]:
    from qlib.contrib.data.handler import Alpha158, Alpha158vwap, Alpha360, Alpha360vwap
    from qlib.contrib.data.loader import Alpha158DL, Alpha360DL

    # Alpha158's handler calls Alpha158DL.get_feature_config with its own conf; neither method uses the instance
    labels = [e for h in (Alpha158, Alpha158vwap, Alpha360, Alpha360vwap) for e in h.get_label_config(None)[0]]
    return {
        "alpha158": Alpha158.get_feature_config(None)[0],
        "alpha158_loader_default": Alpha158DL.get_feature_config()[0],
        "alpha360": Alpha360DL.get_feature_config()[0],
        "labels": labels,
    }


QLIB_EXPRESSIONS = _qlib_expressions()


def test_qlib_handlers_have_the_expressions_we_expect() -> None:
    assert len(QLIB_EXPRESSIONS["alpha158"]) == 158
    assert len(QLIB_EXPRESSIONS["alpha158_loader_default"]) == 158
    assert len(QLIB_EXPRESSIONS["alpha360"]) == 360
    assert "Ref($close, -2)/Ref($close, -1) - 1" in QLIB_EXPRESSIONS["labels"]


@pytest.mark.parametrize("group", sorted(QLIB_EXPRESSIONS))
def test_every_qlib_handler_expression_parses_and_means_the_same_to_qlib(group: str, qlib_eval: Any) -> None:
    for text in QLIB_EXPRESSIONS[group]:
        node = parse(text)
        canonical = to_qlib(node)
        assert parse(canonical) == node, text
        assert to_qlib(parse(canonical)) == canonical
        ours, theirs = qlib_eval(canonical), qlib_eval(text)
        assert str(ours) == str(theirs), text
        info = analyse(node)
        assert info.fields and not info.pit_fields and info.depth >= 1 and info.size >= 1
        # our look-back and look-ahead are Qlib's own accounting (what it loads around the dates asked for)
        assert (info.lookback, info.lookahead_days) == theirs.get_extended_window_size(), text
        if group == "labels":
            assert info.lookahead and info.lookahead_days == 2
        else:
            assert not info.lookahead and info.lookahead_days == 0


def test_the_operator_table_is_qlibs() -> None:
    from qlib.data.ops import OpsList
    from qlib.data.pit import P, PRef

    registered = {op.__name__ for op in [*OpsList, P, PRef]}  # what register_all_ops registers
    # Feature, PFeature and Rolling are in OpsList but are not written by users: $x, $$x and the named rolling ops
    assert set(INTERNAL_OPERATORS) == {"Feature", "PFeature", "Rolling"}
    assert set(OPERATORS) | set(INTERNAL_OPERATORS) == registered
    assert not set(OPERATORS) & set(INTERNAL_OPERATORS)
    assert set(BINARY_OPERATORS.values()) <= set(OPERATORS)


def test_the_arities_are_qlibs() -> None:
    import inspect

    from qlib.data.ops import OpsList
    from qlib.data.pit import P, PRef

    classes = {op.__name__: op for op in [*OpsList, P, PRef]}
    for name, spec in OPERATORS.items():
        params = list(inspect.signature(classes[name].__init__).parameters)[1:]
        assert params == [a.name for a in spec.args], name


# ------------------------------------------------------------------------------------------- examples


@pytest.mark.parametrize(
    ("text", "lookback"),
    [
        ("Mean($close, 5)", 4),
        ("Ref(Mean($close, 5), 10)", 14),
        ("Corr($close, Log($volume+1), 10)", 9),
        ("Ref($close, 1)", 1),
        ("Delta($close, 5)", 5),  # x - Ref(x, 5): Qlib's own accounting says 4
        ("Mean($close, 0)", None),  # expanding
        ("Ref($close, 0)", None),  # the first day
        ("EMA($close, 10)", 9),
        ("WMA($close, 10)", 9),
        ("Quantile($close, 20, 0.8)", 19),
        ("If($close > Ref($close, 3), Mean($close, 5), 0)", 4),
        ("P($$roewa_q)", 0),
        ("PRef($$roewa_q, 201901)", 0),
        ("P(Mean($$roewa_q, 4)) / $close", 0),
    ],
)
def test_lookback(text: str, lookback: int | None) -> None:
    info = check(text)
    assert info.lookback == lookback
    assert info.unbounded is (lookback is None)


def test_lookahead_is_flagged_not_refused() -> None:
    info = check("Ref($close, -2)")
    assert info.lookahead == ["Ref($close, -2) reads 2 days ahead"] and info.lookahead_days == 2
    assert check("Mean(Ref($close, -1), 5)").lookahead_days == 1
    assert check("Ref($close, 2)").lookahead == []


def test_analysis() -> None:
    info = check("(Corr($close, Log($volume+1), 10) > 0.5) & ($open != 1)")
    assert info.fields == ["close", "open", "volume"]
    assert info.operators == ["Add", "And", "Corr", "Gt", "Log", "Ne"]
    assert info.depth == 6 and info.size == 13
    assert check("P($$b) + PRef($$a, 2020)").pit_fields == ["a", "b"]


def test_precedence_is_pythons() -> None:
    assert parse("$a + $b * $c") == BinOp("+", Field("a"), BinOp("*", Field("b"), Field("c")))
    assert parse("$a - $b - $c") == BinOp("-", BinOp("-", Field("a"), Field("b")), Field("c"))
    assert parse("$a / $b / 2") == BinOp("/", BinOp("/", Field("a"), Field("b")), Number(2))
    assert parse("-2 * $a") == BinOp("*", UnaryOp("-", Number(2)), Field("a"))
    # comparisons bind more loosely than & and |: these are (a > b) == c and a > (b & c)
    assert parse("$a > $b & $c") == BinOp(">", Field("a"), BinOp("&", Field("b"), Field("c")))
    assert parse("$a | $b & $c") == BinOp("|", Field("a"), BinOp("&", Field("b"), Field("c")))
    assert parse("($a > 1) & ($b < 2)") == BinOp("&", BinOp(">", Field("a"), Number(1)),
                                                  BinOp("<", Field("b"), Number(2)))
    assert to_qlib(parse("($a > 1) & ($b < 2)")) == "($a > 1) & ($b < 2)"
    assert to_qlib(parse("(($a)) - ($b - $c)")) == "$a - ($b - $c)"


def test_numbers_keep_their_type() -> None:
    assert parse("EMA($close, 0.5)") != parse("EMA($close, 1)")
    assert parse("$a * 1") != parse("$a * 1.0")
    node = parse("$a + 1e-12 + .5 + 5. + 10")
    assert to_qlib(node) == "$a + 1e-12 + 0.5 + 5.0 + 10"
    assert parse(to_qlib(node)) == node


def test_positions() -> None:
    node = parse("Mean($close, 5) + 1")
    assert isinstance(node, BinOp) and (node.start, node.end) == (0, 19)
    assert isinstance(node.left, Call) and (node.left.start, node.left.end) == (0, 15)
    assert isinstance(node.left.args[0], Field) and (node.left.args[0].start, node.left.args[0].end) == (5, 11)


def test_strings_only_where_qlib_takes_them() -> None:
    assert parse("ChangeInstrument('SH000300', $close)") == Call("ChangeInstrument", (Str("SH000300"), Field("close")))
    assert to_qlib(parse('Mask($close, "^GSPC")')) == "Mask($close, '^GSPC')"
    assert to_qlib(parse("TResample($close, '5min', 'last')")) == "TResample($close, '5min', 'last')"
    for text in ["Mean('close', 5)", "Ref($close, '1')", "ChangeInstrument('../x', $close)",
                 "ChangeInstrument('a/b', $close)", "TResample($close, '5min', 'apply')", "$close + 'x'",
                 "ChangeInstrument('', $close)", "Mask($close, SH000300)"]:
        with pytest.raises(ExprError):
            parse(text)


@pytest.mark.parametrize(
    ("text", "position", "expected", "words"),
    [
        ("Mean($close, )", 13, "a window length", "found ')'"),
        ("Mean($close 5)", 12, "','", "found '5'"),
        ("Foo($close)", 0, "a Qlib operator", "'Foo' is not a Qlib operator"),
        ("", 0, "an expression", "found the end of the expression"),
        ("Mean($close)", 11, "','", "Mean takes 2 arguments: Mean(feature, N)"),
        ("Abs($close, 1)", 10, "')'", "Abs takes 1 argument"),
        ("Mean($close, 5", 14, "')'", "found the end"),
        ("$close +", 8, "an expression", "found the end"),
        ("$close $open", 7, "an operator", "found '$open'"),
        ("Mean($close, -1)", 13, "a window length", "-1 is not"),
        ("Mean($close, 2+3)", 13, "a window length", "2+3 is not"),
        ("Mean($close, 1.5)", 13, "a window length", "1.5 is not"),
        ("Quantile($close, 5, 2)", 20, "a number from 0 to 1", "2 is not"),
        ("EMA($close, 1.5)", 12, "a span", ""),
        ("Ref($close, 1.0)", 12, "a shift", ""),
        ("Corr($close, $open, 0)", 20, "from 1", ""),
        ("Skew($close, 2)", 13, "from 3", ""),
        ("Kurt($close, 3)", 13, "from 4", ""),
        ("Mean(5, 5)", 5, "an expression that reads a $field", "must read data"),
        ("Add(1, 2)", 0, "a $field", "at least one argument"),
        ("1 + 2", 0, "a $field", "reads no data"),
        ("-$close", 0, "a number", "cannot negate"),
        ("~$close", 0, "an expression", "Not(x)"),
        ("$a > $b > $c", 8, "parentheses around each comparison", "cannot be chained"),
        ("$a > 1 & $b < 2", 12, "parentheses around each comparison", "cannot be chained"),
        ("$close ** 2", 7, "an operator", "Power"),
        ("$close // 2", 7, "an operator", ""),
        ("$close % 2", 7, "an operator", "'%'"),
        ("Mean($close, N=5)", 13, "a window length", ""),
        ("Mean($close, 5) = 1", 16, "an operator", "'='"),
        ("$close.day", 6, "an operator", "attribute access"),
        ("Mean($close, 05)", 13, "a window length", "cannot start with 0"),
        ("$close + 1e999", 9, "a finite number", "not a finite number"),
        ("$close * (1e308 * 10)", 16, "", "not a finite number"),
        ("$close + 1 / 0", 11, "", "cannot be computed"),
        ("$close + (1.5 & 2)", 14, "", "cannot be computed"),
        ("mean($close, 5)", 0, "a Qlib operator", "did you mean Mean?"),
        ("Feature('close')", 0, "a Qlib operator", "write $name"),
        ("Rolling($close, 5, 'mean')", 0, "a Qlib operator", "named rolling operator"),
        ("Mean", 4, "'('", "Mean(feature, N)"),
        ("$$roewa_q", 0, "a $field", "P() or PRef()"),
        ("P($close)", 2, "a $$field", "only point-in-time"),
        ("P(P($$x))", 2, "an expression", "inside P()"),
        ("P(Ref($$x, -1))", 11, "a shift >= 0", "future periods"),
        ("$close\n+ 1", 6, "an operator", "line break"),
        ("$", 0, "an expression", "without a field name"),
        ("$close + $", 9, "an expression", "without a field name"),
        ("($close", 7, "')'", ""),
        ("$close)", 6, "the end of the expression", "found ')'"),
        ("Mean($close, 5),", 15, "the end of the expression", "found ','"),
        ("+$close", 0, "an expression", "found '+'"),
    ],
)
def test_errors_say_where_and_what(text: str, position: int, expected: str, words: str) -> None:
    with pytest.raises(ExprError) as info:
        parse(text)
    e = info.value
    assert e.position == position, str(e)
    assert str(e).startswith(f"at {position}: "), str(e)
    if expected:
        assert any(expected in x for x in e.expected), (str(e), e.expected)
    assert words in str(e)


def test_limits() -> None:
    ok = "$close" + " + $close" * 20
    parse(ok)
    with pytest.raises(ExprError) as info:
        parse("$close" + " " * MAX_LENGTH)
    assert info.value.position == MAX_LENGTH
    with pytest.raises(ExprError, match="nested more than"):
        parse("(" * (MAX_DEPTH + 1) + "$close" + ")" * (MAX_DEPTH + 1))
    with pytest.raises(ExprError, match="nested more than"):
        parse("Abs(" * (MAX_DEPTH + 1) + "$close" + ")" * (MAX_DEPTH + 1))
    with pytest.raises(ExprError, match="nested more than") as info:
        parse("$close" + "+1" * 100)  # a left-deep chain: the AST would be 101 levels deep
    assert info.value.position == 6 + 2 * MAX_DEPTH - 2
    with pytest.raises(ExprError, match="nested more than"):
        parse("1 - " + "-" * 100 + "1 + $close")
    assert check("(" * 30 + "$close" + ")" * 30).depth == 1
    with pytest.raises(ExprError):
        parse(None)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------- injections

INJECTIONS = [
    "__import__('os').system('id')",
    "().__class__",
    "().__class__.__bases__[0].__subclasses__()",
    "$close.__class__",
    "$close.__class__.__mro__",
    "Mean.__globals__",
    "Operators.__dict__",
    "Ref($close, 1) + (os.system)('id')",
    "(get_module_by_module_path)('/tmp/x')",
    "eval('1')",
    "exec('import os')",
    "open('/etc/passwd').read()",
    "getattr($close, 'load')",
    "compile('1', 'x', 'eval')",
    "globals()",
    "lambda: 1",
    "(lambda: 1)()",
    "Mean(lambda x: x, 5)",
    "[x for x in ()]",
    "{x: 1 for x in ()}",
    "(x for x in ())",
    "Mean($close, 5)[0]",
    "Mean($close, 5) if 1 else 0",
    "Ref($close, 1); import os",
    "import os",
    "Ref($close, 1)\nimport os",
    "$close and $open",
    "not $close",
    "$close is None",
    "f'{1}'",
    "f\"{__import__('os')}\"",
    "Mean($close, f'5')",
    "b'x'",
    "r'x'",
    "'x'",
    "'''x'''",
    "\\x41",
    "Ｍean($close, 5)",  # fullwidth M: Python would read it as Mean (NFKC), we refuse it
    "Mеan($close, 5)",  # Cyrillic е
    "$сlose",  # Cyrillic с
    "Mean（$close, 5）",  # fullwidth parentheses, which Qlib's field regex takes into the name
    "$close\u3001$open",
    "$close\x00",
    "\x00",
    "Mean($close,\x005)",
    "$close\u200b+1",  # zero-width space
    "$close\u00a0+ 1",  # no-break space
    "Mean($close, 5)#",
    "$close @ $open",
    "$close := 1",
    "Mean(*[$close, 5])",
    "Mean(**{'feature': $close})",
    "Mean(feature=$close, N=5)",
    "Ref($close, True)",
    "Ref($close, None)",
    "1j * $close",
    "0x10 * $close",
    "1_000 * $close",
    "...",
    "`id`",
    "$(id)",
    "${close}",
    "Mean($close, 5); del Mean",
    "\\\n$close",
    "Mean($close, 5) " * 300,
    "Abs(" * 200 + "$close" + ")" * 200,
    "(" * 1000 + "$close" + ")" * 1000,
    "-" * 500 + "1 * $close",
    "$close" + "+$close" * 1000,
    "",
    "   ",
]


# The shared list names what may pass as well as what must not: "Only our own parser's allowlist of operators,
# fields and numbers may pass", with `$fields` among its code spans.
DOC_NAMES_OF_WHAT_PASSES = frozenset({"$fields"})


def _security_doc_strings() -> list[str]:
    """Every `code` span of the shared list of bad inputs (paths, URIs, tags and expressions alike)."""
    if not SECURITY_INPUTS.exists():
        return []
    spans = re.findall(r"`([^`]+)`", SECURITY_INPUTS.read_text())
    return [s for s in spans if s not in DOC_NAMES_OF_WHAT_PASSES]


@pytest.mark.parametrize("text", INJECTIONS + _security_doc_strings())
def test_injections_are_refused_with_a_position(text: str) -> None:
    with pytest.raises(ExprError) as info:
        parse(text)
    assert 0 <= info.value.position <= len(text)
    assert str(info.value).startswith(f"at {info.value.position}: ")


def test_the_shared_list_of_bad_inputs_was_read() -> None:
    if not SECURITY_INPUTS.exists():
        service_missing(f"the shared list of bad inputs {SECURITY_INPUTS}")
    found = _security_doc_strings()
    assert "__import__('os').system('id')" in found and "().__class__" in found
    assert len(found) >= 20
    for text in DOC_NAMES_OF_WHAT_PASSES:
        parse(text)


def test_qlib_itself_would_run_what_we_refuse(qlib_eval: Any) -> None:
    """Why the parser exists: Qlib's parse_field + eval() runs Python (harmless stand-ins for the injections)."""
    assert qlib_eval("(1).__class__") is int
    assert qlib_eval("(lambda: 7)()") == 7
    # and why we refuse a minus in front of data: Qlib's expressions cannot be negated
    with pytest.raises(TypeError):
        qlib_eval("-$close")
    # and chained comparisons: Python's 'and' drops the first one
    assert str(qlib_eval("$a > 1 & $b < 2")) == "Lt(And(1,$b),2)"


MINIMAL = """
task:
  model:
    class: LGBModel
    module_path: qlib.contrib.model.gbdt
  dataset:
    class: DatasetH
    module_path: qlib.data.dataset
    kwargs:
      handler:
        class: Alpha158
        module_path: qlib.contrib.data.handler
        kwargs:
          instruments: demo
          label: [LABEL_HERE]
"""


def _yaml_quoted(text: str) -> str:
    return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'


@pytest.mark.parametrize("text", INJECTIONS + _security_doc_strings())
@pytest.mark.parametrize("form", ["list", "pair"])
def test_injections_in_a_handler_label_are_refused(text: str, form: str) -> None:
    config = load_config(MINIMAL.replace("LABEL_HERE", "x"))
    kwargs = config["task"]["dataset"]["kwargs"]["handler"]["kwargs"]
    kwargs["label"] = [text] if form == "list" else [[text], ["LABEL0"]]
    where = "task.dataset.kwargs.handler.kwargs.label.0" + (".0" if form == "pair" else "")
    with pytest.raises(ConfigError) as info:
        validate_config(config)
    e = info.value
    assert e.path == where, str(e)
    assert str(e).startswith(f"{where} ") and "is not allowed" in str(e)
    if "is not allowed as a Qlib expression" in str(e):
        assert e.offset is not None and f"at {e.offset}: " in str(e)


@pytest.mark.parametrize("text", ["__import__('os').system('id')", "().__class__", "Ref($close, 1); import os",
                                  "Mean($close 5)", "lambda: 1", "../../etc/passwd"])
def test_injections_in_a_loaders_fields_are_refused(text: str) -> None:
    config = load_config(MINIMAL.replace("LABEL_HERE", "x"))
    kwargs = config["task"]["dataset"]["kwargs"]["handler"]["kwargs"]
    del kwargs["label"]
    config["task"]["dataset"]["kwargs"]["handler"] = {
        "class": "DataHandlerLP", "module_path": "qlib.data.dataset.handler",
        "kwargs": {"instruments": "demo", "data_loader": {
            "class": "QlibDataLoader",
            "kwargs": {"config": {"feature": [["$close", text], ["CLOSE", "X"]], "label": ["Ref($close, -2)"]}},
        }},
    }
    with pytest.raises(ConfigError) as info:
        validate_config(config)
    assert info.value.path == "task.dataset.kwargs.handler.kwargs.data_loader.kwargs.config.feature.0.1"
    assert "is not allowed as a Qlib expression: at " in str(info.value)


def test_a_refused_expression_is_pointed_at_in_the_text() -> None:
    expression = "Ref($close, -2) / Ref($close -1) - 1"  # '$close -1' is a subtraction, so the ',' is missing
    at = expression.index(")", 20)
    text = MINIMAL.replace("LABEL_HERE", f"'{expression}'")
    with pytest.raises(ConfigError) as info:
        vet(text, {})
    e = info.value
    assert str(e) == (
        f"task.dataset.kwargs.handler.kwargs.label.0 {expression!r} is not allowed as a Qlib expression: at {at}: "
        "expected an operator or ',' but found ')': Ref takes 2 arguments: Ref(feature, N)"
    )
    assert e.offset == at and e.expected == ["an operator", "','"]
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "label:" in t)
    column = text.splitlines()[line - 1].index("'Ref") + 1
    assert error_position(text, e) == (line, column + 1 + at)
    # a plain scalar: no quote to skip; a folded one: the value's start
    plain = MINIMAL.replace("label: [LABEL_HERE]", "label:\n            - Mean($close, )")
    with pytest.raises(ConfigError) as info:
        vet(plain, {})
    line = plain.splitlines().index("            - Mean($close, )") + 1
    assert error_position(plain, info.value) == (line, 15 + 13)
    folded = MINIMAL.replace("label: [LABEL_HERE]", "label:\n            - >\n              Mean($close, )\n")
    with pytest.raises(ConfigError) as info:
        vet(folded, {})
    assert error_position(folded, info.value) == (line, 15)


def test_labels_with_lookahead_pass_the_config_vetting() -> None:
    for label in QLIB_EXPRESSIONS["labels"]:
        vet(MINIMAL.replace("LABEL_HERE", _yaml_quoted(label)), {})
    vet(MINIMAL.replace("[LABEL_HERE]", "[[" + ", ".join(_yaml_quoted(t) for t in QLIB_EXPRESSIONS["alpha158"])
                        + "], [LABEL0]]"), {})


# ------------------------------------------------------------------------------------------- properties

_FIELDS = st.sampled_from(["close", "open", "high", "low", "volume", "vwap", "factor", "change", "close5"])
_NUMBERS = st.one_of(
    st.integers(0, 10**6),
    st.floats(0, 1e6, allow_nan=False, allow_infinity=False),
    st.sampled_from([1e-12, 0.5, 1e6, 0.0, 1]),
).map(Number)
_CONSTANTS = st.one_of(_NUMBERS, _NUMBERS.map(lambda n: UnaryOp("-", n)))


def _literal(arg: Arg) -> st.SearchStrategy[Node]:
    def signed(value: int | float) -> Node:
        return UnaryOp("-", Number(-value)) if value < 0 else Number(value)

    strategies: dict[str, st.SearchStrategy[Any]] = {
        "window": st.one_of(st.just(0), st.integers(arg.low, 60)), "window1": st.integers(1, 60),
        "shift": st.integers(-20, 20), "span": st.one_of(st.integers(0, 60), st.floats(0.01, 0.99)),
        "fraction": st.floats(0, 1), "period": st.integers(0, 209904),
    }  # fmt: skip
    return strategies[arg.kind].map(signed)


def _strings(kind: str) -> st.SearchStrategy[Node]:
    values = {"instrument": ["SH000300", "^GSPC", "csi300", "BRK.B"], "freq": ["5min", "1D", "W"],
              "agg": sorted(RESAMPLE_FUNCS)}[kind]
    return st.sampled_from(values).map(Str)


def _extend(children: st.SearchStrategy[Node], pit: bool) -> st.SearchStrategy[Node]:
    operand = st.one_of(children, _CONSTANTS)
    binops = st.one_of(
        st.tuples(st.sampled_from(sorted(BINARY_OPERATORS)), children, operand),
        st.tuples(st.sampled_from(sorted(BINARY_OPERATORS)), _CONSTANTS, children),
    ).map(lambda t: BinOp(t[0], t[1], t[2]))
    calls = []
    for spec in OPERATORS.values():
        if spec.pit:
            continue
        if pit and spec.name in ("Ref",):
            calls.append(st.tuples(children, st.integers(0, 8).map(Number)).map(lambda a: Call("Ref", a)))
            continue
        parts = []
        for arg in spec.args:
            if arg.kind == "series":
                parts.append(children)
            elif arg.kind == "operand":
                parts.append(operand)
            elif arg.kind in ("instrument", "freq", "agg"):
                parts.append(_strings(arg.kind))
            else:
                parts.append(_literal(arg))
        strategy = st.tuples(*parts)
        if spec.pair:  # at least one operand reads data
            strategy = st.one_of(st.tuples(children, operand), st.tuples(_CONSTANTS, children))
        calls.append(strategy.map(_call(spec.name)))
    return st.one_of(binops, *calls)


def _call(name: str) -> Any:
    def build(args: tuple[Node, ...]) -> Node:
        return Call(name, tuple(args))

    return build


_PIT_EXPRESSIONS = st.recursive(_FIELDS.map(lambda n: Field(n, pit=True)), lambda c: _extend(c, True), max_leaves=4)
_PIT_CALLS = st.one_of(
    _PIT_EXPRESSIONS.map(lambda e: Call("P", (e,))),
    st.tuples(_PIT_EXPRESSIONS, st.integers(0, 209904)).map(lambda t: Call("PRef", (t[0], Number(t[1])))),
)
EXPRESSIONS = st.recursive(st.one_of(_FIELDS.map(Field), _PIT_CALLS), lambda c: _extend(c, False), max_leaves=10)


def _noisy(node: Node, rnd: random.Random) -> str:
    """Another text for ``node``: redundant parentheses, odd spacing, other spellings of its numbers."""
    def sp() -> str:
        return rnd.choice(["", " ", "  ", "\t"])

    def wrap(text: str) -> str:
        return f"({sp()}{text}{sp()})" if rnd.random() < 0.2 else text

    def go(n: Node, need: int) -> str:
        if isinstance(n, Number):
            if n.is_float:
                text = rnd.choice([repr(n.value), f"{n.value!r}".replace("e+", "E+"), f"{n.value:.17e}"])
                if float(text) != n.value:
                    text = repr(n.value)
            else:
                text = str(n.value)
            return wrap(text)
        if isinstance(n, Str):
            return rnd.choice([f"'{n.value}'", f'"{n.value}"'])
        if isinstance(n, Field):
            return wrap(("$$" if n.pit else "$") + n.name)
        if isinstance(n, Call):
            return wrap(f"{n.op}{sp()}({sp()}" + f"{sp()},{sp()}".join(go(a, 0) for a in n.args) + f"{sp()})")
        if isinstance(n, UnaryOp):
            text = n.op + sp() + go(n.operand, 6)
            return f"({text})" if need > 6 else wrap(text)
        assert isinstance(n, BinOp)
        prec = {"|": 2, "&": 3, "+": 4, "-": 4, "*": 5, "/": 5}.get(n.op, 1)
        text = go(n.left, prec + 1 if prec == 1 else prec) + sp() + n.op + sp() + go(n.right, prec + 1)
        return f"({text})" if need > prec else wrap(text)

    return go(node, 0)


_PY_OPS: dict[type, str] = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.BitAnd: "&", ast.BitOr: "|",
    ast.Gt: ">", ast.GtE: ">=", ast.Lt: "<", ast.LtE: "<=", ast.Eq: "==", ast.NotEq: "!=",
}  # fmt: skip


def _as_python(text: str) -> Node:
    """What Python's own parser makes of ``text`` (fields renamed to names), in our AST's terms."""
    source = re.sub(r"\$\$(\w+)", r"PIT_\1", text)
    source = re.sub(r"\$(\w+)", r"FIELD_\1", source)

    def conv(n: ast.AST) -> Node:
        if isinstance(n, ast.BinOp):
            return BinOp(_PY_OPS[type(n.op)], conv(n.left), conv(n.right))
        if isinstance(n, ast.Compare):
            assert len(n.ops) == 1
            return BinOp(_PY_OPS[type(n.ops[0])], conv(n.left), conv(n.comparators[0]))
        if isinstance(n, ast.UnaryOp):
            assert isinstance(n.op, ast.USub)
            return UnaryOp("-", conv(n.operand))
        if isinstance(n, ast.Constant):
            assert isinstance(n.value, (str, int, float))
            return Str(n.value) if isinstance(n.value, str) else Number(n.value)
        if isinstance(n, ast.Name):
            kind, _, name = n.id.partition("_")
            return Field(name, pit=kind == "PIT")
        assert isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and not n.keywords
        return Call(n.func.id, tuple(conv(a) for a in n.args))

    return conv(ast.parse(source, mode="eval").body)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(node=EXPRESSIONS, rnd=st.randoms(use_true_random=False))
def test_generated_expressions_round_trip(node: Node, rnd: random.Random, qlib_eval: Any) -> None:
    canonical = to_qlib(node)
    assert parse(canonical) == node
    assert _as_python(canonical) == node  # our precedence is Python's, so Qlib's eval() reads what we checked
    noisy = _noisy(node, rnd)
    if len(noisy) <= MAX_LENGTH:
        assert parse(noisy) == node, noisy
        assert _as_python(noisy) == node
    info = analyse(node)
    assert info.size >= 1 and 1 <= info.depth <= MAX_DEPTH and (info.lookback is None or info.lookback >= 0)
    # Qlib builds an Expression from all we accept, the same from the canonical and the other text
    from qlib.data.base import Expression

    built = qlib_eval(canonical)
    assert isinstance(built, Expression)
    assert str(built) == str(qlib_eval(noisy))
    if info.lookback is not None and "Delta" not in info.operators:
        assert (info.lookback, info.lookahead_days) == built.get_extended_window_size()


_TOKENS = st.sampled_from([
    "Mean", "Ref", "Corr", "If", "Abs", "P", "PRef", "ChangeInstrument", "TResample", "Quantile", "EMA", "Foo",
    "__import__", "lambda", "import", "(", ")", ",", "$close", "$open", "$$roe", "5", "0", "-2", "0.5", "1e-12",
    "'x'", "'SH000300'", "'5min'", "'sum'", "+", "-", "*", "/", "&", "|", "~", ">", ">=", "==", "!=", "<", ".", "[",
    "]", "=", ":", ";", "**", "\n", " ", "\x00", "é", "$",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_TOKENS, max_size=25).map(" ".join))
def test_token_soup_parses_only_as_python_does(text: str) -> None:
    try:
        node = parse(text)
    except ExprError as e:
        assert 0 <= e.position <= len(text) and str(e).startswith(f"at {e.position}: ")
        return
    assert _as_python(text) == node
    assert parse(to_qlib(node)) == node


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300).map(lambda b: b.decode("utf-8", errors="replace"))))
def test_any_text_is_parsed_or_refused_with_an_expr_error(text: str) -> None:
    try:
        node = parse(text)
    except ExprError as e:
        assert 0 <= e.position <= max(len(text), MAX_LENGTH)
        assert isinstance(e.expected, list)
    else:
        assert parse(to_qlib(node)) == node


def test_to_qlib_refuses_what_is_not_a_node() -> None:
    with pytest.raises(TypeError):
        to_qlib(object())  # type: ignore[arg-type]
