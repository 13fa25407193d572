"""Every declared exercise answers correctly, wrongly, to a wrong type and to None.

The tests are generated from the registry, so an exercise added later is
tested the moment it is declared.  A "wrong" answer is made from the expected
one (a number outside the tolerance, another option, a reversed list...).
"""

import datetime as dt
import re

import pandas as pd
import pytest

from usiraq import challenges, data
from usiraq.checking import judging, ladder, registry, verdict, words
from usiraq.checking.judging import check
from usiraq.checking.kinds import Choice, Date, Number, Sequence, Table, Text
from usiraq.checking.registry import exercise

registry.load()  # declare every exercise
IDS = sorted(registry.EXERCISES)


@pytest.fixture(autouse=True)
def fresh_tries():
    ladder.reset()
    yield
    ladder.reset()


def correct_answer(ex):
    expected = ex.expected()
    if isinstance(ex, Text) and not isinstance(expected, str):
        return sorted(expected)[0]
    return expected


def correct_rows(ex):
    """The rows= an exercise whose number cannot show its filter asks for (MISSING for the others)."""
    return ex.rows.right() if getattr(ex, "rows", None) else words.MISSING


def wrong_answers(ex):
    """Wrong answers of the right kind, in the order they are tried."""
    expected = ex.expected()
    if isinstance(ex, Number):
        return [float(expected) + k * (2 * ex.tolerance + 1) for k in (1, 2, 3, -1, 5, 11)]
    if isinstance(ex, Choice):
        return [k for k in ex.options if k != expected]
    if isinstance(ex, Text):
        return ["certainly not this"]
    if isinstance(ex, Date):
        return [
            (pd.Timestamp(expected) + pd.Timedelta(days=d)).date().isoformat() for d in (400, 800)
        ]
    if isinstance(ex, Sequence):
        items = list(expected)
        other = (
            "1999-01" if ex.item_pattern else "something else"
        )  # in the asked form, not in the answer
        swapped = [items[1], items[0], *items[2:]] if len(items) > 1 else items
        candidates = [items[::-1], swapped] if ex.ordered and len(items) > 1 else []
        return candidates + [items[:-1] + [other]]
    if isinstance(ex, Table):
        return (
            [expected.iloc[:-1], expected.iloc[1:]] if len(expected) > 1 else [expected.iloc[0:0]]
        )
    raise AssertionError(f"no wrong answer defined for {type(ex).__name__}")


def wrong_answer(ex):
    """A wrong answer that is none of the declared mistakes (so it gets the exercise's own hints)."""
    for answer in wrong_answers(ex):
        if ex.diagnose(answer) is None:
            return answer
    raise AssertionError(f"{ex.id}: every wrong answer tried is a declared mistake")


def wrongly_typed_answer(ex):
    if isinstance(ex, (Number, Date)):
        return ["not", "a", "number"]
    if isinstance(ex, (Choice, Text)):
        return 42
    if isinstance(ex, Sequence):
        return "one string, not a list"
    if isinstance(ex, Table):
        return [1, 2, 3]
    raise AssertionError(type(ex).__name__)


def test_there_are_exercises():
    assert len(IDS) >= 2


@pytest.mark.parametrize("exercise_id", IDS)
def test_correct_answer_is_accepted(exercise_id):
    ex = exercise(exercise_id)
    verdict = check(exercise_id, correct_answer(ex), rows=correct_rows(ex))
    assert verdict.status == "correct", verdict.text
    assert verdict.text.startswith(f"{exercise_id}: Correct")


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_same_wrong_answer_climbs_the_hint_ladder(exercise_id):
    ex = exercise(exercise_id)
    answer = wrong_answer(ex)
    verdicts = [check(exercise_id, answer) for _ in ex.hints]
    assert all(v.status == "wrong" for v in verdicts), [v.text for v in verdicts]
    for level, (given, hint) in enumerate(zip(verdicts, ex.hints), start=1):
        assert hint in given.message and f"{ladder.label(level, len(ex.hints))}:" in given.message
        assert given.hint_level == level


@pytest.mark.parametrize("exercise_id", IDS)
def test_wrongly_typed_answer_says_what_is_expected(exercise_id):
    verdict = check(exercise_id, wrongly_typed_answer(exercise(exercise_id)))
    assert verdict.status == "invalid", verdict.text
    assert "Traceback" not in verdict.text


@pytest.mark.parametrize("exercise_id", IDS)
def test_missing_answer_is_not_answered_yet(exercise_id):
    verdict = check(exercise_id, None)
    assert verdict.status == "unanswered"
    assert "not answered yet" in verdict.message


@pytest.mark.parametrize("exercise_id", IDS)
def test_every_exercise_says_why_it_matters_and_has_its_hints(exercise_id):
    ex = exercise(exercise_id)
    assert ex.title and ex.success and all(ex.hints)
    assert len(ex.hints) == (2 if ".q" in exercise_id else 3)
    assert len(set(ex.hints)) == len(ex.hints)


def test_unknown_exercise_is_an_error_not_a_traceback():
    verdict = check("99.9", 1)
    assert verdict.status == "error" and "no exercise" in verdict.message


def numbers():
    return Number(
        id="t.n",
        title="t",
        expected=lambda: 41.6,
        hints=("h1", "h2"),
        success="s",
        tolerance=0.5,
        unit="%",
        minimum=0,
    )


def test_number_tolerance_is_stated_and_applied():
    ex = numbers()
    assert ex.judge(42.0)[0] == "correct"
    assert ex.judge(42.2)[0] == "wrong"
    assert "±0.5 %" in ex.tolerance_text()


@pytest.mark.parametrize(
    "answer, says",
    [
        ("41.6", "without quotes"),
        ("forty", "needs a number"),
        (float("nan"), "NaN"),
        (-3, "cannot be below 0"),
        (True, "single number"),
        ([41.6, 3.0], "single number"),
    ],
)
def test_number_rejects_bad_types_kindly(answer, says):
    with pytest.raises(words.Invalid, match=says):
        numbers().coerce(answer)


def test_number_accepts_numpy_and_one_cell_series():
    import numpy as np

    ex = numbers()
    assert ex.judge(np.float64(41.6))[0] == "correct"
    assert ex.judge(pd.Series([41.6]))[0] == "correct"


def test_text_is_compared_without_case_or_spaces():
    ex = Text(
        id="t.t",
        title="t",
        expected=lambda: ["Ain al-Asad", "ain-al-asad"],
        hints=("a", "b"),
        success="s",
    )
    assert ex.judge("  AIN   al-asad ")[0] == "correct"
    assert ex.judge("balad")[0] == "wrong"


def test_date_accepts_text_date_and_timestamp():
    ex = Date(
        id="t.d",
        title="t",
        expected=lambda: pd.Timestamp("2020-01-08"),
        hints=("a", "b"),
        success="s",
    )
    for answer in ["2020-01-08", dt.date(2020, 1, 8), pd.Timestamp("2020-01-08")]:
        assert ex.judge(answer)[0] == "correct"
    with pytest.raises(words.Invalid, match="YYYY-MM-DD"):
        ex.judge("8 January 2020")


def test_sequence_says_how_many_are_in_place():
    ex = Sequence(
        id="t.s", title="t", expected=lambda: ["a", "b", "c"], hints=("x", "y"), success="s"
    )
    status, extra = ex.judge(["a", "c", "b"])
    assert status == "wrong" and "only 1 of 3" in extra
    assert ex.judge(["A", "b", "c"])[0] == "correct"


def test_table_checks_kind_columns_and_values():
    expected = pd.DataFrame({"base": ["k1", "taji"], "attacks": [2, 4]}).set_index("base")
    ex = Table(id="t.tab", title="t", expected=lambda: expected, hints=("x", "y"), success="s")
    assert ex.judge(expected.iloc[::-1])[0] == "correct"
    with pytest.raises(words.Invalid, match="needs \\['attacks'\\]"):
        ex.judge(expected.rename(columns={"attacks": "n"}))
    with pytest.raises(words.Invalid, match="DataFrame"):
        ex.judge(expected["attacks"])
    assert ex.judge(expected.assign(attacks=[2, 5]))[0] == "wrong"


def test_a_checker_failure_is_reported_not_raised():
    def broken():
        raise RuntimeError("boom")

    registry.register(
        Number(id="t.broken", title="t", expected=broken, hints=("a", "b"), success="s")
    )
    try:
        verdict = check("t.broken", 3)
        assert verdict.status == "error" and "RuntimeError" in verdict.message
    finally:
        del registry.EXERCISES["t.broken"]


def test_checks_are_logged_when_asked(tmp_path, monkeypatch):
    log = tmp_path / "log.jsonl"
    monkeypatch.setenv(judging.LOG_VAR, str(log))
    check("00.q1", "D")
    check("00.q1", None)
    assert log.read_text().splitlines() == [
        '{"id": "00.q1", "status": "correct"}',
        '{"id": "00.q1", "status": "unanswered"}',
    ]


# --- Judgments under any input (issue 10) --------------------------------------------------------

import numpy as np  # noqa: E402

from usiraq.checking.declarations import n01_emergence, n05_conclusion  # noqa: E402


def test_a_series_of_nan_or_na_is_not_accepted_as_a_table():
    for exercise_id in ("02.1", "02.3", "03.1", "04.1"):
        expected = exercise(exercise_id).expected()
        for missing in (np.nan, pd.NA):
            blank = pd.Series(
                missing, index=expected.index, dtype="object" if missing is pd.NA else "float64"
            )
            verdict = check(exercise_id, blank)
            assert verdict.status != "correct", (exercise_id, verdict.text)
            assert "missing" in verdict.message, verdict.text


def test_a_table_with_one_missing_value_is_not_correct():
    expected = exercise("02.1").expected()
    holed = expected.astype("float64")
    holed.iloc[0] = np.nan
    assert check("02.1", holed).status == "wrong"


def test_a_numpy_datetime64_date_is_accepted():
    for exercise_id in ("01.5", "03.4", "04.6"):
        expected = pd.Timestamp(exercise(exercise_id).expected())
        assert check(exercise_id, expected.to_datetime64()).status == "correct", exercise_id
        assert check(exercise_id, pd.Series([expected]).values).status == "correct", exercise_id


@pytest.mark.parametrize(
    "exercise_id", [["01.1"], {"id": "01.1"}, {"01.1"}, 1.1, None, b"01.1", "x" * 10**6]
)
def test_an_odd_exercise_id_is_an_error_not_a_traceback(exercise_id):
    verdict = check(exercise_id, 3)
    assert verdict.status == "error"
    assert len(verdict.text) < 300


def test_check_without_an_answer_is_not_answered_yet():
    verdict = check("01.1")
    assert verdict.status == "unanswered" and "not answered yet" in verdict.message


def test_a_huge_string_is_not_echoed_whole():
    for exercise_id in ("01.1", "00.q1", "01.5", "04.2"):
        huge = "9" * 10_000_000 if exercise_id == "01.1" else "x" * 10_000_000
        verdict = check(exercise_id, [huge] if exercise_id == "04.2" else huge)
        assert verdict.status == "invalid" and len(verdict.message) < 400, (
            exercise_id,
            len(verdict.message),
        )
        assert "…" in verdict.message


@pytest.mark.parametrize(
    "exercise_id, answer, says",
    [
        ("01.2", pd.NaT, "missing date"),
        ("01.2", float("inf"), "infinite"),
        ("01.2", -np.inf, "infinite"),
        ("04.5", np.timedelta64(30, "D"), ".days"),
        ("04.5", np.timedelta64(30 * 86_400 * 10**9, "ns"), ".days"),
        ("04.5", pd.Series([pd.Timedelta(days=30)]).values, ".days"),
        ("01.q1", "171,000", "without quotes and without the comma"),
        ("01.q1", "2500", "without quotes"),
        ("01.q1", (171, 0), "comma"),
        ("01.5", pd.NaT, "missing date"),
        ("01.5", np.datetime64("NaT"), "missing date"),
        ("04.6", pd.Period("2020-01", "M"), ".start_time"),
        ("04.2", ["2019/12", "2020/01"], "'YYYY-MM'"),
        ("04.2", [pd.Timestamp("2019-12-01"), pd.Timestamp("2020-01-01")], "'YYYY-MM'"),
        ("04.2", ["2019-12", "2019-12"], "twice"),
        ("01.7", {"a", "b"}, "no order"),
    ],
)
def test_bad_forms_get_an_invalid_message_that_says_what_to_change(exercise_id, answer, says):
    verdict = check(exercise_id, answer)
    assert verdict.status == "invalid", verdict.text
    assert says in verdict.message, verdict.text
    assert verdict.hint_level == 0


def test_nat_and_inf_do_not_use_up_a_hint():
    check("01.2", pd.NaT)
    check("01.2", float("inf"))
    verdict = check("01.2", 99.0)
    assert verdict.status == "wrong" and verdict.hint_level == 1 and "Hint:" in verdict.message


def test_the_plural_of_one_item_is_item():
    ex = Sequence(id="t.s1", title="t", expected=lambda: ["a", "b"], hints=("x", "y"), success="s")
    status, extra = ex.judge(["a"])
    assert status == "wrong" and "1 item;" in extra and "1 items" not in extra


PLAIN_WORDS = [
    "NAType",
    "NaTType",
    "ndarray",
    "Index",
    "datetime64",
    "timedelta64",
    "NoneType",
    "float64",
    "int64",
    "builtin_function",
    "method",
]


@pytest.mark.parametrize(
    "answer",
    [
        pd.NA,
        pd.NaT,
        np.array([1, 2]),
        pd.Index(["a", "b"]),
        np.datetime64("2020-01-01"),
        np.timedelta64(3, "D"),
        {"a": 1},
        {1, 2},
        len,
        np.float64,
        object(),
    ],
)
def test_messages_name_a_value_in_plain_words(answer):
    for exercise_id in ("01.2", "00.q1", "02.4", "01.5", "01.7", "02.1"):
        verdict = check(exercise_id, answer)
        assert verdict.status in {"invalid", "wrong"}, (exercise_id, verdict.text)
        for word in PLAIN_WORDS:
            assert word not in verdict.message, (exercise_id, verdict.text)


@pytest.mark.parametrize(
    "make",
    [
        lambda x: [x],
        lambda x: (x,),
        lambda x: np.array([x]),
        lambda x: pd.Series([x]),
        lambda x: pd.DataFrame({"a": [x]}),
        lambda x: np.float64(x),
        lambda x: int(x) if float(x).is_integer() else x,
    ],
)
def test_number_accepts_one_element_containers(make):
    expected = exercise("03.5").expected()
    assert check("03.5", make(expected)).status == "correct"


def test_number_text_says_how_to_write_it():
    verdict = check("01.q1", "171,000")
    assert "171000" in verdict.message
    assert check("01.2", "1,6").status == "invalid"
    assert "point" in check("01.2", "1,6").message


def test_table_accepts_reset_index_and_extra_columns():
    expected = exercise("02.1").expected()
    assert check("02.1", expected.reset_index()).status == "correct"
    assert check("02.1", expected.rename("attacks").reset_index()).status == "correct"
    wide = expected.rename("attacks").to_frame().assign(note="x")
    assert check("02.1", wide).status == "correct"
    assert check("02.1", expected.to_dict()).status == "correct"
    frame = pd.DataFrame({"base": ["k1", "taji"], "attacks": [2, 4]}).set_index("base")
    ex = Table(id="t.tab2", title="t", expected=lambda: frame, hints=("x", "y"), success="s")
    assert ex.judge(frame.assign(extra=1))[0] == "correct"
    assert ex.judge(frame.reset_index())[0] == "correct"


def test_table_of_text_numbers_is_invalid():
    expected = exercise("02.1").expected()
    verdict = check("02.1", expected.astype(str))
    assert verdict.status == "invalid" and "text" in verdict.message


def test_sequence_accepts_arrays_and_a_set_when_order_does_not_matter():
    months, rows = exercise("04.2").expected(), exercise("04.2").rows.right()
    assert check("04.2", np.array(months), rows=rows).status == "correct"
    assert check("04.2", set(months), rows=rows).status == "correct"
    assert check("04.2", tuple(reversed(months)), rows=rows).status == "correct"
    assert check("04.2", pd.Index(months), rows=rows).status == "correct"
    frames = exercise("01.7").expected()
    assert check("01.7", np.array(frames)).status == "correct"


def test_one_month_as_text_is_told_to_go_in_a_list():
    verdict = check("04.2", "2019-12")
    assert verdict.status == "invalid" and "['2019-12']" in verdict.message


def test_months_in_another_form_are_told_the_format():
    verdict = check("04.2", ["December 2019"])
    assert (
        verdict.status == "invalid"
        and "'YYYY-MM'" in verdict.message
        and "'2019-06'" in verdict.message
    )


@pytest.mark.parametrize(
    "answer",
    [
        "D",
        " d ",
        "D.",
        "d)",
        "(D)",
        "D. How many US soldiers have served in Iraq since 2003?",
        "How many US soldiers have served in Iraq since 2003?",
        ["D"],
    ],
)
def test_choice_accepts_a_letter_in_any_usual_form_and_the_option_text(answer):
    assert check("00.q1", answer).status == "correct", answer


def test_choice_rejects_a_letter_with_the_text_of_another_option():
    verdict = check("00.q1", "D. What are its tasks and goals?")
    assert verdict.status == "invalid"


@pytest.mark.parametrize(
    "exercise_id, names",
    [
        (
            "02.4",
            [
                "K1 Air Base",
                "K-1",
                "Kirkuk",
                "k1",
                "K1 Air Base (Kirkuk)",
                "Base K1",
                "K-1 Air Base",
                "Camp Ki-one",
            ],
        ),
        (
            "02.6",
            [
                "Al Taqaddum",
                "Taqaddum Airbase",
                "al-Taqaddum",
                "taqaddum",
                "Al-Taqaddum Air Base",
                "TAQADDUM AIR BASE",
            ],
        ),
    ],
)
def test_base_names_accept_every_name_the_bases_table_lists(exercise_id, names):
    for name in names:
        assert check(exercise_id, name).status == "correct", name


@pytest.mark.parametrize(
    "names",
    [
        ["al-Qaim", "Qayyarah", "K1", "Mosul palaces", "al-Taqaddum"],
        ["al-qaim", "qayyarah", "k1", "mosul-palaces", "taqaddum"],
        [
            "Al-Qaim base",
            "Q-West",
            "K-1 Air Base",
            "Presidential palaces, Mosul",
            "Al Taqaddum Air Base",
        ],
    ],
)
def test_02_2_accepts_every_name_the_notebook_shows(names):
    assert check("02.2", names).status == "correct", names


def test_02_2_names_a_name_it_does_not_know_instead_of_blaming_the_order():
    verdict = check("02.2", ["al-Qaim", "Qayyarah", "K1", "Mosul", "al-Taqaddum"])
    assert (
        verdict.status == "invalid"
        and "'Mosul'" in verdict.message
        and "Hint" not in verdict.message
    )
    wrong_base = check("02.2", ["al-Qaim", "Qayyarah", "K1", "Taji", "al-Taqaddum"])
    assert wrong_base.status == "wrong" and "Camp Taji was not handed over" in wrong_base.message
    swapped = check("02.2", ["al-Qaim", "Qayyarah", "K1", "al-Taqaddum", "Mosul palaces"])
    assert swapped.status == "wrong" and "3 of 5 are in the right place" in swapped.message
    papers = check("02.2", ["al-Qaim", "K1", "Qayyarah", "Mosul palaces", "al-Taqaddum"])
    assert papers.status == "wrong" and "the paper's dates" in papers.message
    assert (
        check("02.2", ["al-Qaim", "K1", "K-1 Air Base", "Mosul palaces", "al-Taqaddum"]).status
        == "invalid"
    )


def test_base_names_stay_apart():
    from usiraq import bases

    owner = {}
    for base_id in data.bases()["base_id"]:
        for name in bases.names_of(base_id):
            key = bases.normalise(name)
            assert owner.setdefault(key, base_id) == base_id, (name, base_id, owner[key])
    assert check("02.4", "Qayyarah").status == "wrong"
    assert check("02.6", "Balad").status == "wrong"


def test_01_1_needs_the_rows_to_see_the_filter():
    expected = exercise("01.1").expected()
    verdict = check("01.1", expected)
    assert (
        verdict.status == "invalid" and "rows=" in verdict.message and "public" in verdict.message
    )
    public = n01_emergence._public(data_troops())
    assert check("01.1", expected, rows=public).status == "correct"
    years = public[public["date"].dt.year.isin([2007, 2011])]
    assert check("01.1", expected, rows=years.reset_index(drop=True)).status == "correct"
    every_source = check("01.1", expected, rows=data_troops())
    assert every_source.status == "wrong" and "public" in every_source.message
    assert check("01.1", expected, rows=public[public["date"].dt.year == 2007]).status == "wrong"
    assert check("01.1", expected, rows=[1, 2]).status == "invalid"


def test_05_4_needs_the_rows_to_see_the_filter():
    expected = exercise("05.4").expected()
    assert check("05.4", expected).status == "invalid"
    troops = data_troops()
    present = troops[~troops["kind"].isin(["announced", "cap"])]
    assert check("05.4", expected, rows=present).status == "correct"
    assert (
        check("05.4", expected, rows=present[["row_id", "date", "us_troops"]]).status == "correct"
    )
    verdict = check("05.4", expected, rows=troops)
    assert verdict.status == "wrong" and "announced" in verdict.message
    assert n05_conclusion.ORDER_EVENTS  # the module is imported for its declarations


def data_troops():
    from usiraq import data

    return data.troop_levels()


def test_verdict_has_a_hint_level_for_the_grader():
    assert check("01.2", 1.6).hint_level == 0
    assert check("01.2", 50.0).hint_level == 1
    assert check("01.2", 50.0).hint_level == 2
    assert check("01.2", 50.0).hint_level == 3
    assert check("01.2", 50.0).hint_level == 3
    assert check("01.2", None).hint_level == 0


def _luminance(colour):
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    high, low = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


# JupyterLab's page backgrounds (--jp-layout-color0/1) in the light and the dark theme.
THEME_BACKGROUNDS = {"light": ["#ffffff", "#ffffff"], "dark": ["#111111", "#212121"]}


@pytest.mark.parametrize("status", list(verdict.WORDS))
def test_verdict_colours_reach_4_5_to_1_on_light_and_dark_themes(status):
    import re

    html_text = verdict.Verdict("t", status, "message")._repr_html_()
    text = re.search(r"(?<![-\w])color:\s*(#[0-9A-Fa-f]{6})", html_text).group(1)
    background = re.search(r"background(?:-color)?:\s*(#[0-9A-Fa-f]{6})", html_text)
    for theme, pages in THEME_BACKGROUNDS.items():
        for page in pages:
            behind = background.group(1) if background else page
            assert contrast(text, behind) >= 4.5, (status, theme, text, behind)


def test_verdict_is_announced_to_screen_readers():
    html_text = check("00.q1", "A")._repr_html_()
    assert 'aria-live="polite"' in html_text and 'role="status"' in html_text


def test_rows_left_as_the_placeholder_say_to_set_them():
    verdict = check("01.1", exercise("01.1").expected(), rows=None)
    assert verdict.status == "invalid" and "set public to the rows you kept" in verdict.message
    assert check("01.1", None, rows=None).status == "unanswered"


def test_a_number_typed_with_commas_in_code_is_echoed_back_not_a_figure_from_the_data():
    """12,500 typed as code is the tuple (12, 500): the message repeats the student's number, never another."""
    verdict = check("01.2", (12, 500))
    assert verdict.status == "invalid"
    assert (
        "12,500" in verdict.message and "12500" in verdict.message and "171" not in verdict.message
    )
    three = check("01.2", (1, 234, 567))
    assert "1,234,567" in three.message and "1234567" in three.message


def test_a_whole_number_too_large_for_a_float_is_judged_not_an_error():
    assert check("01.2", 2**2000).status in {"invalid", "wrong"}


def test_a_dictionary_of_lists_for_a_table_is_invalid_not_an_error():
    assert check("04.1", {"taji": [1, 2]}).status == "invalid"


def test_an_empty_tuple_for_a_number_is_invalid_not_an_error():
    assert check("01.2", ()).status == "invalid"


def test_an_empty_table_of_rows_is_told_it_kept_nothing():
    verdict = check("01.1", exercise("01.1").expected(), rows=data_troops().iloc[0:0])
    assert (
        verdict.status == "wrong"
        and "empty table" in verdict.message
        and "leave out" not in verdict.message
    )


def test_a_share_given_as_a_fraction_is_told_to_multiply_by_100():
    expected = float(exercise("01.1").expected())
    verdict = check("01.1", expected / 100, rows=n01_emergence._public(data_troops()))
    assert verdict.status == "wrong" and "multiply it by 100" in verdict.message
    other = check("01.1", 0.5, rows=n01_emergence._public(data_troops()))
    assert other.status == "wrong" and "multiply" not in other.message
    assert (
        "multiply" not in check("01.4", float(exercise("01.4").expected()) / 100).message
    )  # not a percent


def test_a_negative_difference_is_not_called_a_count():
    message = check("04.5", -30).message
    assert "below 0" in message and "count" not in message and "later minus earlier" in message


def test_an_all_empty_result_of_misaligned_rows_says_why():
    a, b = pd.Series([2020], index=[3]), pd.Series([2003], index=[5])
    verdict = check("05.3", a - b)
    assert (
        verdict.status == "invalid"
        and "index label" in verdict.message
        and ".iloc[0]" in verdict.message
    )
    assert "index label" not in check("05.3", pd.Series([1.0, 2.0])).message


def test_a_list_with_a_stray_item_names_it():
    expected = list(exercise("05.7").expected())
    stray = expected[:-1] + ["Something that never happened"]
    verdict = check("05.7", stray)
    assert (
        verdict.status == "wrong" and "1 item of your list is not in the answer" in verdict.message
    )
    assert "'something that never happened'" in verdict.message


class BackwardSet(frozenset):
    """A set whose iteration order is the reverse of sorted order, as a real set's may be."""

    def __iter__(self):
        return iter(sorted(super().__iter__(), reverse=True))


def test_a_set_with_a_stray_item_names_the_stray_not_another_item():
    right = list(exercise("04.2").expected())  # months, in any order
    verdict = check("04.2", BackwardSet(right[1:] + ["1999-01"]))
    assert verdict.status == "wrong" and "'1999-01'" in verdict.message, verdict.message


def test_02_3_refuses_the_shortcut_and_asks_for_the_join():
    """The counts come out of the bases table alone; only the joined rows show the join."""
    shortcut = (
        data.bases().query("in_paper").set_index("base_id")["spellings"].str.split(";").str.len()
    )
    verdict = check("02.3", shortcut)
    assert (
        verdict.status == "invalid"
        and "rows=joined" in verdict.message
        and "join" in verdict.message
    )
    method = exercise("02.3").rows
    joined = method.right()
    assert check("02.3", shortcut, rows=joined).status == "correct"
    assert check("02.3", shortcut, rows=joined.iloc[1:]).status == "wrong"
    unmatched = joined.assign(base_id=joined["base_id"].where(joined.index > 2))
    assert "found nothing" in check("02.3", shortcut, rows=unmatched).message
    swapped = joined.assign(base_id=joined["base_id"].iloc[::-1].to_numpy())
    assert "wrong row" in check("02.3", shortcut, rows=swapped).message
    assert check("02.3", shortcut, rows=joined[["base_id"]]).status == "invalid"


def test_04_2_sees_the_rows_of_the_period():
    months = exercise("04.2").expected()
    everything = challenges.incidents()
    assert check("04.2", months).status == "invalid"
    assert check("04.2", months, rows=exercise("04.2").rows.right()).status == "correct"
    verdict = check("04.2", months, rows=everything)
    assert verdict.status == "wrong" and "outside October 2017 to March 2020" in verdict.message


EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f]")


@pytest.mark.parametrize("status", list(verdict.WORDS))
def test_a_verdict_says_itself_in_words_with_an_icon_that_needs_no_emoji_font(status):
    messages = {
        "unanswered": "not answered yet. Replace None.",
        "correct": "Correct. Well done.",
        "wrong": "Not yet. Hint: think.",
        "invalid": "This needs a number.",
        "error": "the checker could not judge this answer.",
    }
    shown = verdict.Verdict("01.2", status, messages[status])
    page = shown._repr_html_()
    assert f"<strong>{verdict.WORDS[status]}</strong>".casefold() in page.casefold()
    assert "<svg" in page and 'aria-hidden="true"' in page
    assert not EMOJI.search(page) and not EMOJI.search(shown.text)
    assert shown.text.casefold().startswith(f"01.2: {verdict.WORDS[status]}".casefold())
    assert shown.text.count(messages[status]) == 1


# --- the share of the points an answer earns ------------------------------------------------------


def test_a_right_answer_earns_all_and_a_plain_wrong_one_nothing():
    right = exercise("01.2").expected()
    assert check("01.2", right).credit == 1.0
    assert check("01.2", 50.0).credit == 0.0 and check("01.2", None).credit == 0.0


def test_a_number_close_to_the_answer_earns_half_and_says_why():
    ex = exercise("01.2")
    near = float(ex.expected()) + 3 * ex.tolerance
    verdict = check("01.2", near)
    assert verdict.status == "wrong" and verdict.credit == 0.5 and "close" in verdict.credit_note
    assert check("01.2", float(ex.expected()) + 6 * ex.tolerance).credit == 0.0


def test_a_declared_mistake_earns_nothing_and_is_named():
    ex = exercise("01.2")
    mistake = ex.mistakes[0]
    verdict = check("01.2", mistake.answer())
    assert verdict.credit == 0.0 and verdict.diagnosis == mistake.name


def test_the_right_number_from_the_wrong_rows_earns_half():
    expected = exercise("01.1").expected()
    everything = data.troop_levels()
    verdict = check("01.1", expected, rows=everything)
    assert verdict.status == "wrong" and verdict.credit == 0.5 and "rows" in verdict.credit_note


def test_an_order_with_some_items_in_place_earns_part():
    order = list(exercise("01.7").expected())
    swapped = [order[1], order[0], *order[2:]]
    verdict = check("01.7", swapped)
    assert verdict.status == "wrong" and verdict.credit == round(
        0.5 * (len(order) - 2) / len(order), 2
    )
