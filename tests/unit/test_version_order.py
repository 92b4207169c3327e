"""One order of questionnaire versions (`app.domain.version_order.version_key`), held to its
rule with Hypothesis, and used by every place that picks or lists versions."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.domain.version_order import version_key

releases = st.lists(st.integers(min_value=0, max_value=10**30), min_size=1, max_size=5).map(tuple)
words = st.from_regex(r"[A-Za-z]{1,6}", fullmatch=True)
separators = st.sampled_from(".-_")
any_text = st.text(max_size=20)  # whatever a hub might be sent: the key must still order it


def dotted(release: tuple[int, ...]) -> str:
    return ".".join(str(n) for n in release)


def test_the_pairs_that_used_to_disagree() -> None:
    ordered = ["1.0a1", "1.0b2", "1.0rc1", "1.0", "1.0.1", "1.9", "1.10", "2.0.0", "2.0-1"]
    for older, newer in zip(ordered, ordered[1:], strict=False):
        assert version_key(older) < version_key(newer), (older, newer)


@given(releases, releases)
def test_numbers_compare_as_numbers(a: tuple[int, ...], b: tuple[int, ...]) -> None:
    assert (version_key(dotted(a)) < version_key(dotted(b))) is (a < b)


@given(releases, releases, words, st.integers(min_value=0, max_value=99))
def test_a_pre_release_comes_after_older_releases_and_before_its_own(
    a: tuple[int, ...], b: tuple[int, ...], word: str, n: int
) -> None:
    pre = f"{dotted(b)}{word}{n}"
    assert version_key(pre) < version_key(dotted(b))
    if a < b:
        assert version_key(dotted(a)) < version_key(pre)


@given(releases, st.data())
def test_separators_only_separate(release: tuple[int, ...], data: st.DataObject) -> None:
    text = str(release[0]) + "".join(data.draw(separators) + str(n) for n in release[1:])
    assert version_key(text)[0] == version_key(dotted(release))[0]


@given(any_text, any_text)
def test_different_versions_never_tie(a: str, b: str) -> None:
    assert (version_key(a) == version_key(b)) is (a == b)


@given(st.lists(any_text, max_size=8), st.randoms())
def test_the_newest_does_not_depend_on_the_order_found(versions: list[str], rnd) -> None:
    shuffled = list(versions)
    rnd.shuffle(shuffled)
    assert sorted(versions, key=version_key) == sorted(shuffled, key=version_key)


def test_the_hub_the_shipped_forms_and_the_window_share_the_rule() -> None:
    import app.forms.registry
    import app.hub.checks

    assert app.hub.checks.version_key is version_key
    assert app.forms.registry.version_key is version_key


def test_numbers_of_any_length() -> None:
    huge = "1." + "9" * 5000  # int() refuses this many digits; the order must not
    assert version_key("1.10") < version_key(huge) < version_key("2")
