"""Property-based tests of every declared exercise's check, with hypothesis.

For every exercise in the registry:

- no generated answer raises, takes more than a second (hypothesis's deadline)
  or gets a message longer than MAX_MESSAGE characters;
- an answer is judged correct only when it equals the expected value within
  the exercise's tolerance (decided here by an oracle written independently of
  the checker's own coercion);
- every listed equivalent form of a correct answer is accepted.

Each expected answer is computed once for the module (the properties are about
judging, not about loading data).  Hypothesis keeps no example database; its
cache folder .hypothesis/ is ignored by git and by pytest's collection.
"""

import datetime as dt
import decimal
import fractions
import functools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from usiraq.checking import frozen, registry, words
from usiraq.checking.judging import check
from usiraq.checking.kinds import Choice, Date, Number, Sequence, Table, Text
from usiraq.checking.verdict import WORDS, Verdict

registry.load()  # declare every exercise
IDS = sorted(registry.EXERCISES)
MAX_MESSAGE = 500

PROPERTY = settings(
    max_examples=20,
    deadline=1000,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module", autouse=True)
def expected_once():
    """Judge with the exercises frozen (``usiraq.checking.frozen``): each expected answer, each
    mistake's answer and the rows asked for are computed once, and a fresh copy is given each time."""
    saved = dict(registry.exercises())
    registry.EXERCISES.update({i: frozen.freeze(ex) for i, ex in saved.items()})
    every_base_name()  # read once, outside the timed examples
    yield
    registry.EXERCISES.update(saved)


def rows_for(ex):
    return ex.rows.right() if getattr(ex, "rows", None) is not None else words.MISSING


def judged(exercise_id, answer):
    """The verdict, with the promises every verdict keeps."""
    ex = registry.EXERCISES[exercise_id]
    verdict = check(exercise_id, answer, rows=rows_for(ex))
    assert isinstance(verdict, Verdict)
    assert verdict.status in WORDS
    assert len(verdict.message) <= MAX_MESSAGE, (len(verdict.message), verdict.message[:200])
    assert verdict.hint_level in (0, 1, 2, 3)
    assert (verdict.hint_level > 0) == (verdict.status == "wrong"), verdict.text
    assert verdict.status != "error", verdict.text  # the checker itself never fails on an answer
    return verdict


# --- answers of every kind a student can produce --------------------------------------------

SCALARS = {
    "None": st.none(),
    "True/False": st.booleans(),
    "integer": st.integers(),
    "float (with NaN and inf)": st.floats(),
    "text": st.text(max_size=80),
    "long text": st.text(min_size=2000, max_size=5000, alphabet="0123456789,. x"),
    "numeric text": st.floats(allow_nan=False).map(lambda x: f"{x:,}"),
    "bytes": st.binary(max_size=20),
    "Decimal": st.decimals(),
    "Fraction": st.fractions(),
    "complex": st.complex_numbers(),
    "date": st.dates(),
    "datetime": st.datetimes(),
    "time difference": st.timedeltas(),
    "numpy float": st.floats().map(np.float64),
    "numpy int": st.integers(-(2**63), 2**63 - 1).map(np.int64),
    "numpy bool": st.booleans().map(np.bool_),
    "numpy datetime64": st.datetimes(
        min_value=dt.datetime(1700, 1, 1), max_value=dt.datetime(2200, 1, 1)
    ).map(lambda d: np.datetime64(d, "ns")),
    "numpy timedelta64": st.integers(-(10**15), 10**15).map(lambda n: np.timedelta64(n, "ns")),
    "NaT": st.sampled_from([pd.NaT, np.datetime64("NaT"), np.timedelta64("NaT")]),
    "pd.NA": st.just(pd.NA),
    "Timestamp": st.datetimes(
        min_value=dt.datetime(1700, 1, 1), max_value=dt.datetime(2200, 1, 1)
    ).map(pd.Timestamp),
    "Timedelta": st.timedeltas(
        min_value=dt.timedelta(days=-(10**5)), max_value=dt.timedelta(days=10**5)
    ).map(pd.Timedelta),
    "Period": st.dates(min_value=dt.date(1900, 1, 1)).flatmap(
        lambda d: st.sampled_from([pd.Period(d, "D"), pd.Period(d, "M"), pd.Period(d, "Y")])
    ),
    "function": st.sampled_from([len, max, print, lambda: 1]),
    "type": st.sampled_from([int, str, pd.Series, np.float64]),
    "object": st.builds(object),
}
scalar = st.one_of(*SCALARS.values())
CONTAINERS = {
    "list": st.lists(scalar, max_size=6),
    "tuple": st.lists(scalar, max_size=6).map(tuple),
    "set": st.sets(st.one_of(st.integers(), st.text(max_size=10)), max_size=6),
    "dictionary": st.dictionaries(st.text(max_size=10), scalar, max_size=5),
    "nested list": st.recursive(scalar, lambda inner: st.lists(inner, max_size=3), max_leaves=8),
    "numpy array of numbers": st.lists(st.floats(), max_size=6).map(np.array),
    "numpy array of texts": st.lists(st.text(max_size=8), max_size=6).map(np.array),
    "2-D numpy array": st.integers(1, 3).map(lambda n: np.zeros((n, 2))),
    "Series of numbers": st.lists(st.floats(), max_size=6).map(pd.Series),
    "Series of texts": st.lists(st.text(max_size=8), max_size=6).map(
        lambda v: pd.Series(v, dtype="object")
    ),
    "Series of dates": st.lists(
        st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 1, 1)), max_size=4
    ).map(lambda v: pd.Series(pd.to_datetime(v), dtype="datetime64[ns]")),
    "Index": st.lists(st.text(max_size=8), max_size=6).map(pd.Index),
    "DataFrame": st.lists(st.floats(), min_size=0, max_size=4).map(
        lambda v: pd.DataFrame({"a": v, "b": v})
    ),
    "empty DataFrame": st.just(pd.DataFrame()),
}
ANY_ANSWER = st.one_of(scalar, *CONTAINERS.values())


@pytest.mark.parametrize("exercise_id", IDS)
@settings(PROPERTY, max_examples=40)
@given(answer=ANY_ANSWER)
def test_no_answer_of_any_kind_breaks_a_check(exercise_id, answer):
    verdict = judged(exercise_id, answer)
    if verdict.correct:
        assert equals_expected(registry.EXERCISES[exercise_id], answer), (exercise_id, answer)


# --- an oracle for "equals the expected value", written apart from the checker -------------------


def _one(value):
    for _ in range(3):
        if isinstance(value, (list, tuple)) and len(value) == 1:
            value = value[0]
        elif isinstance(value, (np.ndarray, pd.Series, pd.DataFrame, pd.Index)) and value.size == 1:
            value = np.asarray(value).reshape(-1)[0]
    return value


def choice_forms(ex, letter):
    """Every way to write an option: the letter as 'd', 'd.', 'd)', 'd:' or '(d)', alone or before the option's text."""
    option = " ".join(ex.options[letter].casefold().split())
    letters = [form.format(letter.casefold()) for form in ("{}", "{}.", "{})", "{}:", "({})")]
    return {option, *letters, *(f"{written} {option}" for written in letters)}


def equals_expected(ex, answer):
    """True when the answer is, as a value, the expected one (within tolerance)."""
    expected = ex.expected()
    if isinstance(ex, Number):
        value = _one(answer)
        if isinstance(value, (bool, np.bool_, str)) or not isinstance(
            value, (int, float, np.number, decimal.Decimal, fractions.Fraction)
        ):
            return False
        return (
            math.isfinite(float(value))
            and abs(float(value) - float(expected)) <= ex.tolerance + 1e-9
        )
    if isinstance(ex, Choice):
        value = _one(answer)
        if not isinstance(value, str):
            return False
        return " ".join(value.casefold().split()) in choice_forms(ex, expected)
    if isinstance(ex, Text):
        value = _one(answer)
        accepted = [expected] if isinstance(expected, str) else list(expected)
        return isinstance(value, str) and ex.normalise(value) in {ex.normalise(a) for a in accepted}
    if isinstance(ex, Date):
        value = _one(answer)
        if isinstance(value, pd.Period):
            value = value.start_time
        try:
            return (
                pd.Timestamp(value.strip() if isinstance(value, str) else value).date()
                == pd.Timestamp(expected).date()
            )
        except (ValueError, TypeError, AttributeError):
            return False
    if isinstance(ex, Sequence):
        items = sorted(answer, key=str) if isinstance(answer, (set, frozenset)) else list(answer)
        mine = [" ".join(str(x).casefold().split()) for x in items]
        theirs = [" ".join(x.casefold().split()) for x in expected]
        return mine == theirs if ex.ordered else sorted(mine) == sorted(theirs)
    if isinstance(ex, Table):
        series = _series(answer, expected)
        if series is None or len(series) != len(expected) or series.isna().any():
            return False
        if set(series.index) != set(expected.index):
            return False
        mine = pd.to_numeric(series.reindex(expected.index), errors="coerce").astype("float64")
        return bool((mine - expected.astype("float64")).abs().le(ex.tolerance).all())
    raise AssertionError(type(ex).__name__)


def _series(answer, expected):
    if isinstance(answer, dict):
        return pd.Series(answer, dtype="object")
    if isinstance(answer, pd.Series):
        return answer
    if isinstance(answer, pd.DataFrame):
        frame = (
            answer.set_index(expected.index.name)
            if expected.index.name in answer.columns
            else answer
        )
        numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
        return (
            frame[numeric[0]]
            if len(numeric) == 1
            else frame.iloc[:, 0]
            if frame.shape[1] == 1
            else None
        )
    return None


# --- answers near the expected one: correct exactly when within tolerance --------------------------

NUMBERS = [i for i in IDS if isinstance(registry.EXERCISES[i], Number)]


@pytest.mark.parametrize("exercise_id", NUMBERS)
@PROPERTY
@given(offset=st.floats(-3, 3), form=st.sampled_from(["float", "numpy", "list", "Series"]))
def test_a_number_is_correct_exactly_within_its_tolerance(exercise_id, offset, form):
    ex = registry.EXERCISES[exercise_id]
    step = ex.tolerance if ex.tolerance else 1
    value = float(ex.expected()) + offset * step
    assume(
        abs(abs(value - float(ex.expected())) - ex.tolerance) > 1e-6
    )  # not on the edge of the tolerance
    answer = {
        "float": value,
        "numpy": np.float64(value),
        "list": [value],
        "Series": pd.Series([value]),
    }[form]
    verdict = judged(exercise_id, answer)
    inside = abs(value - float(ex.expected())) <= ex.tolerance
    if ex.minimum is not None and value < ex.minimum:
        assert verdict.status == "invalid"
    else:
        assert verdict.correct == inside, (value, verdict.text)


TABLES = [i for i in IDS if isinstance(registry.EXERCISES[i], Table)]


@st.composite
def changed_tables(draw, expected):
    """The expected Series with one change: a value moved, a value missing, a row dropped or added."""
    changed = expected.astype("float64").copy()
    row = draw(st.integers(0, len(changed) - 1))
    how = draw(st.sampled_from(["move", "NaN", "pd.NA", "drop", "add", "relabel"]))
    if how == "move":
        changed.iloc[row] += draw(st.sampled_from([-2, -1, 0.5, 1, 3]))
    elif how == "NaN":
        changed.iloc[row] = np.nan
    elif how == "pd.NA":
        changed = changed.astype("object")
        changed.iloc[row] = pd.NA
    elif how == "drop":
        changed = changed.drop(changed.index[row])
    elif how == "add":
        changed.loc["a place not in the data"] = 1.0
    else:
        changed = changed.rename(index={changed.index[row]: "another-base"})
    return changed


@pytest.mark.parametrize("exercise_id", TABLES)
@PROPERTY
@given(data=st.data())
def test_a_changed_table_is_never_correct(exercise_id, data):
    ex = registry.EXERCISES[exercise_id]
    answer = data.draw(changed_tables(ex.expected()))
    verdict = judged(exercise_id, answer)
    assert not verdict.correct, answer


DATES = [i for i in IDS if isinstance(registry.EXERCISES[i], Date)]


@pytest.mark.parametrize("exercise_id", DATES)
@PROPERTY
@given(
    days=st.integers(-800, 800), form=st.sampled_from(["text", "Timestamp", "datetime64", "date"])
)
def test_a_date_is_correct_exactly_on_the_day(exercise_id, days, form):
    day = pd.Timestamp(registry.EXERCISES[exercise_id].expected()) + pd.Timedelta(days=days)
    answer = {
        "text": day.date().isoformat(),
        "Timestamp": day,
        "datetime64": day.to_datetime64(),
        "date": day.date(),
    }[form]
    assert judged(exercise_id, answer).correct == (days == 0)


SEQUENCES = [i for i in IDS if isinstance(registry.EXERCISES[i], Sequence)]


@pytest.mark.parametrize("exercise_id", SEQUENCES)
@PROPERTY
@given(data=st.data())
def test_a_list_is_correct_only_with_the_right_items(exercise_id, data):
    ex = registry.EXERCISES[exercise_id]
    expected = list(ex.expected())
    pool = expected + ["1999-01" if ex.item_pattern else "Something that never happened"]
    answer = data.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=len(pool), unique=True))
    verdict = judged(exercise_id, answer)
    right = answer == expected if ex.ordered else sorted(answer) == sorted(expected)
    assert verdict.correct == right, (answer, verdict.text)


@functools.cache
def every_base_name():
    """Every name bases.csv lists, for every base (read once)."""
    from usiraq import bases
    from usiraq import data as tables

    return [name for base_id in tables.bases()["base_id"] for name in bases.names_of(base_id)]


CHOICES_AND_TEXTS = [i for i in IDS if isinstance(registry.EXERCISES[i], (Choice, Text))]


@pytest.mark.parametrize("exercise_id", CHOICES_AND_TEXTS)
@PROPERTY
@given(data=st.data())
def test_a_choice_or_name_is_correct_only_when_it_is_the_answer(exercise_id, data):
    ex = registry.EXERCISES[exercise_id]
    if isinstance(ex, Choice):
        pool = list(ex.options) + list(ex.options.values()) + ["E", "AB", ""]
    else:
        pool = every_base_name() + ["Baghdad", ""]
    answer = data.draw(st.sampled_from(pool))
    verdict = judged(exercise_id, answer)
    assert verdict.correct == equals_expected(ex, answer), (answer, verdict.text)


# --- every listed equivalent form of a correct answer is accepted --------------------------------


def _case(text, draw):
    return draw(
        st.sampled_from([text, text.upper(), text.lower(), f"  {text} ", text.replace(" ", "  ")])
    )


def equivalent_forms(ex, draw):
    """One equivalent form of the correct answer, drawn from the forms listed for its kind."""
    expected = ex.expected()
    if isinstance(ex, Number):
        value = float(expected) + draw(st.floats(-0.99, 0.99)) * ex.tolerance
        forms = [
            value,
            np.float64(value),
            [value],
            (value,),
            np.array([value]),
            pd.Series([value]),
            pd.DataFrame({"x": [value]}),
            decimal.Decimal(repr(value)),
        ]
        if float(value).is_integer():
            forms += [int(value), np.int64(int(value)), fractions.Fraction(int(value))]
        return draw(st.sampled_from(forms))
    if isinstance(ex, Choice):
        text = ex.options[expected]
        forms = [
            expected,
            expected.lower(),
            f" {expected} ",
            f"{expected}.",
            f"{expected})",
            f"({expected})",
            text,
            f"{expected}. {text}",
            [expected],
        ]
        return _case(form, draw) if isinstance(form := draw(st.sampled_from(forms)), str) else form
    if isinstance(ex, Text):
        accepted = [expected] if isinstance(expected, str) else list(expected)
        name = _case(draw(st.sampled_from(accepted)), draw)
        return draw(st.sampled_from([name, [name], pd.Series([name]), np.str_(name)]))
    if isinstance(ex, Date):
        day = pd.Timestamp(expected).normalize()
        return draw(
            st.sampled_from(
                [
                    day.date().isoformat(),
                    f" {day.date().isoformat()} ",
                    str(day),
                    day,
                    day.to_pydatetime(),
                    day.date(),
                    day.to_datetime64(),
                    np.datetime64(day.date(), "D"),
                    [day],
                    pd.Series([day]),
                    pd.Series([day]).values,
                    pd.Period(day, "D"),
                ]
            )
        )
    if isinstance(ex, Sequence):
        items = [_case(x, draw) for x in expected]
        if not ex.ordered:
            items = draw(st.permutations(items))
        forms = [list(items), tuple(items), np.array(items), pd.Series(items), pd.Index(items)]
        if not ex.ordered:
            forms.append(set(items))
        return draw(st.sampled_from(forms))
    if isinstance(ex, Table):
        shuffled = expected.sample(frac=1, random_state=draw(st.integers(0, 1000)))
        return draw(
            st.sampled_from(
                [
                    shuffled,
                    shuffled.astype("float64"),
                    shuffled.astype("int64"),
                    shuffled.reset_index(),
                    shuffled.rename("n").reset_index(),
                    shuffled.to_frame(),
                    shuffled.to_frame().assign(note="x"),
                    shuffled.to_dict(),
                ]
            )
        )
    raise AssertionError(type(ex).__name__)


@pytest.mark.parametrize("exercise_id", IDS)
@PROPERTY
@given(data=st.data())
def test_every_equivalent_form_of_the_correct_answer_is_accepted(exercise_id, data):
    ex = registry.EXERCISES[exercise_id]
    answer = equivalent_forms(ex, data.draw)
    verdict = judged(exercise_id, answer)
    assert verdict.correct, (answer, verdict.text)
